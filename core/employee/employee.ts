import * as z from "zod";
import { useCompanyId, usePartner, useRole } from "../actor";
import { Audit } from "../audit";
import { nextAllowed } from "../delivery/quiet-hours";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Partner } from "../partner";
import { PartnerEntity } from "../partner/partner.entity";
import { EmployeeSettingsEntity } from "./employee.entity";

/**
 * Employees are partners in a category the company marks as staff (partner.entity.ts `staff`): adding a
 * partner to such a category makes them an employee, removing it or erasing them ends it, with nothing
 * else to keep in step.
 */

export const defaultQuiet = { start: "20:00", end: "09:00" } as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:mm");

export const Settings = z.object({
  phone: z.string().optional(),
  email: z.string().optional(),
  hours: z.string().optional(),
  quietStart: z.string(),
  quietEnd: z.string(),
});
export type Settings = z.infer<typeof Settings>;

export async function settings(): Promise<Settings> {
  const { data } = await EmployeeSettingsEntity.get({ companyId: useCompanyId() }).go();
  return {
    phone: data?.phone,
    email: data?.email,
    hours: data?.hours,
    quietStart: data?.quietStart ?? defaultQuiet.start,
    quietEnd: data?.quietEnd ?? defaultQuiet.end,
  };
}

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => value || undefined);

export const SettingsInput = z.object({
  phone: optional(40),
  email: optional(254).refine((value) => !value || /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value), {
    message: "Invalid email",
  }),
  hours: optional(1000),
  quietStart: hhmm.default(defaultQuiet.start),
  quietEnd: hhmm.default(defaultQuiet.end),
});

/** « Coordonnées » and the notification window (Admin). */
export const updateSettings = fn(SettingsInput, async (input) => {
  useRole("admin");
  const companyId = useCompanyId();
  await EmployeeSettingsEntity.put({ companyId, ...input }).go();
  await Audit.record("employee.settings_updated", {
    target: { type: "company", id: companyId, label: "Coordonnées" },
  });
  return settings();
});

/** When notifications of something published at `at` may go: `at`, or the end of the quiet window. */
export function notifyAt(at: Date, quiet: { quietStart: string; quietEnd: string }) {
  if (quiet.quietStart === quiet.quietEnd) return at;
  return nextAllowed(at, {
    timezone: "Europe/Paris",
    start: quiet.quietStart,
    end: quiet.quietEnd,
    sundays: false,
    holidays: false,
  });
}

/** The ids of the company's staff categories. */
export async function staffCategories() {
  return new Set(
    (await Partner.categories()).filter((category) => category.staff).map((category) => category.categoryId),
  );
}

export const isStaff = (row: { categoryIds?: string[]; erasedAt?: string }, staff: Set<string>) =>
  !row.erasedAt && (row.categoryIds ?? []).some((categoryId) => staff.has(categoryId));

/** Every employee of the company (live partners of a staff category). */
export async function all() {
  const staff = await staffCategories();
  return (await Partner.all()).filter((row) => isStaff(row, staff));
}

export const notEmployee = () =>
  new VisibleError("employee.not_found", "This section is for the company's employees", 404);

/** The signed-in partner, when an employee; anyone else is refused as if the section did not exist. */
export async function useEmployee() {
  const { companyId, partnerId } = usePartner();
  const { data } = await PartnerEntity.get({ companyId, partnerId }).go();
  if (!data || !isStaff(data, await staffCategories())) throw notEmployee();
  return data;
}

/** Whether the signed-in partner is an employee (the space shows its staff sections then). */
export async function isEmployee() {
  try {
    await useEmployee();
    return true;
  } catch (error) {
    if (error instanceof VisibleError && error.code === "employee.not_found") return false;
    throw error;
  }
}

/** What an employee's Contact section shows. */
export async function contact() {
  await useEmployee();
  const { phone, email, hours } = await settings();
  return { phone, email, hours };
}
