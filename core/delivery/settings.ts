import * as z from "zod";
import { type Role, roles, useCompanyId, useRole } from "../actor";
import { Audit } from "../audit";
import { CompanyEntity } from "../company/company.entity";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Sms from "../platform/sms";
import * as Pricing from "./pricing";
import { defaultQuietHours, nextAllowed, type QuietHours, quietReason } from "./quiet-hours";
import { spentThisMonth } from "./spending";

export type DeliverySettings = {
  quietHours: QuietHours;
  perSecond: { sms: number; email: number };
  /** The operator's ceilings on `perSecond` (0: none): every company shares the account's throughput. */
  perSecondMax: { sms: number; email: number };
  /** Who SMS come from: a sender ID for info messages, a number that takes replies for Yes/No. */
  senderId?: string;
  replyNumber?: string;
  /** Countries SMS may go to (region codes) and the month's SMS spending cap, in millicents. */
  smsCountries: string[];
  monthlyCapMillicents: number;
  /** What one email costs the company (operators' terms), in millicents: counted in its usage. */
  emailPriceMillicents: number;
  /** What one SMS unit to France costs it (operators' terms), in millicents; see Pricing.unitPriceFor. */
  smsUnitPriceMillicents: number;
  /** Who may send « Urgent »: it skips quiet hours, so not everyone. */
  urgentRoles: Role[];
};

export const defaultUrgentRoles: Role[] = ["admin", "manager"];

/** Defaults: 10 SMS/s and 14 emails/s (SES sandbox-free rate); 0 turns a limit off. */
export const defaultRates = { sms: 10, email: 14 };

/** The company's quiet hours and rate limits, defaults filled in. */
export async function settingsOf(companyId: string): Promise<DeliverySettings> {
  const { data } = await CompanyEntity.get({ companyId }).go();
  return {
    quietHours: {
      timezone: data?.timezone ?? defaultQuietHours.timezone,
      start: data?.quietStart ?? defaultQuietHours.start,
      end: data?.quietEnd ?? defaultQuietHours.end,
      sundays: data?.quietSundays ?? defaultQuietHours.sundays,
      holidays: data?.quietHolidays ?? defaultQuietHours.holidays,
    },
    perSecond: {
      sms: data?.smsPerSecond ?? defaultRates.sms,
      email: data?.emailsPerSecond ?? defaultRates.email,
    },
    perSecondMax: {
      sms: data?.smsPerSecondMax ?? defaultRates.sms,
      email: data?.emailsPerSecondMax ?? defaultRates.email,
    },
    senderId: data?.smsSenderId,
    replyNumber: data?.smsReplyNumber,
    smsCountries: data?.smsCountries?.length ? data.smsCountries : Pricing.defaultCountries,
    monthlyCapMillicents: data?.smsMonthlyCapMillicents ?? Pricing.defaultMonthlyCapMillicents,
    emailPriceMillicents: data?.emailPriceMillicents ?? 0,
    smsUnitPriceMillicents: data?.smsUnitPriceMillicents ?? 4500,
    urgentRoles: data?.urgentRoles
      ? data.urgentRoles.filter((role): role is Role => (roles as readonly string[]).includes(role))
      : defaultUrgentRoles,
  };
}

/**
 * The identity a campaign's SMS leave from: Yes/No questions need a number that takes replies (sender
 * IDs cannot receive any), info messages prefer the sender ID. Undefined lets AWS pick the account's.
 */
export function originationFor(kind: "yesno" | "info", settings: DeliverySettings) {
  return kind === "yesno" ? settings.replyNumber : (settings.senderId ?? settings.replyNumber);
}

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Time as HH:mm");

export const Update = z
  .object({
    quietHours: z
      .object({ start: Time, end: Time, sundays: z.boolean(), holidays: z.boolean() })
      .partial()
      .optional(),
    perSecond: z
      .object({ sms: z.number().int().min(0).max(1000), email: z.number().int().min(0).max(1000) })
      .partial()
      .optional(),
    /** Operators assign these: named here so that sending one gets a clear 403, not « unrecognized key ». */
    senderId: z.unknown().optional(),
    replyNumber: z.unknown().optional(),
    /** Where SMS may go: priced countries only (see pricing.ts). */
    smsCountries: z
      .array(z.enum(Pricing.pricedCountries as [string, ...string[]]))
      .min(1)
      .max(50)
      .optional(),
    /** Roles that may send « Urgent »; empty: nobody. */
    urgentRoles: z.array(z.enum(roles)).max(roles.length).optional(),
  })
  .strict();

/** What the Admin page shows: the settings and, to make quiet hours concrete, when a send now would go. */
export async function describe() {
  const settings = await settingsOf(useCompanyId());
  const now = new Date();
  const quiet = quietReason(now, settings.quietHours);
  const { monthlyCapMillicents, ...rest } = settings;
  return {
    ...rest,
    monthlyCapEuros: monthlyCapMillicents / 100_000,
    spentThisMonthEuros: (await spentThisMonth(useCompanyId(), now)) / 100_000,
    pricedCountries: Pricing.pricedCountries,
    defaults: {
      quietHours: defaultQuietHours,
      perSecond: defaultRates,
      smsCountries: Pricing.defaultCountries,
      monthlyCapEuros: Pricing.defaultMonthlyCapMillicents / 100_000,
      urgentRoles: defaultUrgentRoles,
    },
    nextSendAt: quiet ? nextAllowed(now, settings.quietHours).toISOString() : now.toISOString(),
  };
}

/**
 * A rate above the operator's ceiling, or 0 (no limit) under one, is refused: one company could otherwise
 * take the whole account's SMS throughput from the others.
 */
async function checkRates(companyId: string, perSecond: z.infer<typeof Update>["perSecond"]) {
  if (!perSecond) return;
  const { perSecondMax } = await settingsOf(companyId);
  for (const channel of ["sms", "email"] as const) {
    const rate = perSecond[channel];
    const max = perSecondMax[channel];
    if (rate === undefined || max === 0 || (rate > 0 && rate <= max)) continue;
    throw new VisibleError(
      "delivery.rate_above_limit",
      `At most ${max} ${channel === "sms" ? "SMS" : "emails"} per second: your operator's limit`,
      400,
      { fields: [{ path: `perSecond.${channel}`, message: `At most ${max}` }], max },
    );
  }
}

/** A sender ID registered on the account, a reply number that takes replies: else a 400 naming the field. */
export async function checkIdentities(input: { senderId?: string | null; replyNumber?: string | null }) {
  if (input.senderId && !(await Sms.senderIdExists(input.senderId)))
    throw new VisibleError(
      "delivery.sender_id_unknown",
      `Sender ID ${input.senderId} is not registered for France on this account`,
      400,
      { fields: [{ path: "senderId", message: "Not registered" }] },
    );
  if (input.replyNumber) {
    const number = await Sms.phoneNumber(input.replyNumber);
    if (!number?.twoWay)
      throw new VisibleError(
        "delivery.reply_number_unusable",
        number
          ? `${input.replyNumber} cannot receive replies (two-way SMS is off)`
          : `${input.replyNumber} is not a number of this account`,
        400,
        { fields: [{ path: "replyNumber", message: number ? "Two-way SMS is off" : "Unknown number" }] },
      );
  }
}

/**
 * Admins change quiet hours, rates, countries and who may send « Urgent ». The SMS identities are the
 * operator's to assign (core/operator/companies.ts `setTerms`): they are registered with carriers for this
 * company, and an Admin pointing at another one could send as someone else.
 */
export const update = fn(Update, async (input) => {
  useRole("admin");
  const companyId = useCompanyId();
  if (input.senderId !== undefined || input.replyNumber !== undefined)
    throw new VisibleError(
      "delivery.identities_by_operator",
      "Your sender ID and reply number are assigned by your Relais operator: ask them to change them",
      403,
    );
  await checkRates(companyId, input.perSecond);
  const set = {
    quietStart: input.quietHours?.start,
    quietEnd: input.quietHours?.end,
    quietSundays: input.quietHours?.sundays,
    quietHolidays: input.quietHours?.holidays,
    smsPerSecond: input.perSecond?.sms,
    emailsPerSecond: input.perSecond?.email,
    smsCountries: input.smsCountries ? [...new Set(input.smsCountries)] : undefined,
    urgentRoles: input.urgentRoles ? roles.filter((role) => input.urgentRoles!.includes(role)) : undefined,
  };
  const changes = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
  await CompanyEntity.patch({ companyId }).set(changes).go({ response: "none" });
  await Audit.record("company.delivery_updated", {
    target: { type: "company", id: companyId, label: "delivery" },
    details: { changes: input },
  });
  return describe();
});
