import { formatInTimeZone, fromZonedTime } from "date-fns-tz";
import { ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency } from "../access";
import { useCompanyId, useRole, useUser } from "../actor";
import { Agency } from "../agency";
import { MessageEntity, messageStatuses } from "../campaign/campaign.entity";
import { Contact } from "../contact";
import { ContactKeyEntity } from "../contact/contact.entity";
import { isConditionalFailure as isConditional } from "../db";
import { nextAllowed } from "../delivery/quiet-hours";
import { settingsOf } from "../delivery/settings";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { fold } from "../text";
import { seededScenarios } from "./catalogue";
import { addMonths, parseDate, parseMileage, propose, sameDay, yearlyMileage } from "./planning";
import { parsePlate } from "./plate";
import {
  CustomerEntity,
  civilities,
  ReminderEntity,
  reminderStatuses,
  ScenarioEntity,
  VehicleEntity,
} from "./reminder.entity";

/**
 * After-sales reminders (« Relance clients »): scenarios, customers and their vehicles, and reminders
 * that fire unattended on their day (./fire.ts). Users see the reminders of their agencies.
 */

export const timezone = "Europe/Paris";
/** The local day now, yyyy-MM-dd. */
export const today = (now = new Date()) => formatInTimeZone(now, timezone, "yyyy-MM-dd");
/** Pending reminders are spread over this many partitions of each day in `byDue`. */
export const dueShards = 8;
export const shardOf = (reminderId: string) => {
  let hash = 0;
  for (const char of reminderId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return String(hash % dueShards);
};

/** A field's problem: `code` lets the console say it in the person's language (reminders.field.<code>). */
type Field = { path: string; code?: string; message: string };
const invalid = (fields: Field[]) =>
  new VisibleError("reminder.invalid", fields[0]?.message ?? "Invalid input", 400, { fields });

// ─── Scenarios ───────────────────────────────────────────────────────────────

export const Scenario = z.object({
  scenarioId: z.string(),
  name: z.string(),
  template: z.string(),
  delayMonths: z.number(),
  everyKm: z.number().optional(),
  everyMonths: z.number().optional(),
  firstMonths: z.number().optional(),
  enabled: z.boolean(),
  seeded: z.boolean(),
});
export type Scenario = z.infer<typeof Scenario>;

type ScenarioRow = NonNullable<Awaited<ReturnType<ReturnType<typeof ScenarioEntity.get>["go"]>>["data"]>;
const toScenario = (row: ScenarioRow): Scenario => ({
  scenarioId: row.scenarioId,
  name: row.name,
  template: row.template,
  delayMonths: row.delayMonths,
  everyKm: row.everyKm,
  everyMonths: row.everyMonths,
  firstMonths: row.firstMonths,
  enabled: row.enabled,
  seeded: row.seeded,
});

/**
 * Every scenario, seeded ones first in their order, then the company's by name. Seeded scenarios are written on
 * first read, each one that is missing (not only when none is there): a read racing a first read's writes
 * would otherwise see a partial catalogue and miss, say, « Révision ».
 */
export async function scenarios(): Promise<Scenario[]> {
  const companyId = useCompanyId();
  const rows = (await ScenarioEntity.query.byCompany({ companyId }).go({ pages: "all" })).data;
  const present = new Set(rows.map((row) => row.scenarioId));
  const missing = seededScenarios
    .filter((scenario) => !present.has(scenario.key))
    .map((scenario) => ({
      companyId,
      scenarioId: scenario.key,
      name: scenario.name.fr,
      template: scenario.template.fr,
      delayMonths: scenario.delayMonths,
      everyKm: scenario.rule.everyKm,
      everyMonths: scenario.rule.everyMonths,
      firstMonths: scenario.rule.firstMonths,
      enabled: true,
      seeded: true,
    }));
  // Created only when absent: a racing first read writes the same defaults, and an edit made meanwhile stays.
  const written = await Promise.all(
    missing.map((row) =>
      ScenarioEntity.create(row)
        .go()
        .then(
          () => row,
          async (caught) => {
            if (!isConditional(caught)) throw caught;
            const stored = await ScenarioEntity.get({ companyId, scenarioId: row.scenarioId }).go();
            return stored.data ?? row;
          },
        ),
    ),
  );
  rows.push(...written);
  const rank = (scenarioId: string) => {
    const index = seededScenarios.findIndex((scenario) => scenario.key === scenarioId);
    return index === -1 ? seededScenarios.length : index;
  };
  return rows
    .map(toScenario)
    .sort((a, b) => rank(a.scenarioId) - rank(b.scenarioId) || a.name.localeCompare(b.name, "fr"));
}

async function scenarioOf(scenarioId: string) {
  const found = (await scenarios()).find((scenario) => scenario.scenarioId === scenarioId);
  if (!found) throw new VisibleError("reminder.scenario_not_found", "Scenario not found", 404);
  return found;
}

const Template = z.string().trim().min(1, "The text is required").max(640);
export const NewScenario = z.object({
  name: z.string().trim().min(1, "The name is required").max(80),
  template: Template,
  delayMonths: z.number().int().min(1).max(120),
  everyKm: z.number().int().min(1000).max(500_000).optional(),
});

/** A company's own scenario (Admins and Managers). */
export const createScenario = fn(NewScenario, async (input) => {
  useRole("admin", "manager");
  const taken = (await scenarios()).some((scenario) => fold(scenario.name) === fold(input.name));
  if (taken) throw new VisibleError("reminder.scenario_exists", "A scenario with this name exists", 409);
  const row = {
    companyId: useCompanyId(),
    scenarioId: ulid(),
    ...input,
    everyMonths: input.delayMonths,
    enabled: true,
    seeded: false,
  };
  await ScenarioEntity.create(row).go();
  return toScenario(row);
});

export const updateScenario = fn(
  z.object({
    scenarioId: z.string(),
    template: Template.optional(),
    delayMonths: z.number().int().min(1).max(120).optional(),
    everyKm: z.number().int().min(1000).max(500_000).nullable().optional(),
    enabled: z.boolean().optional(),
  }),
  async ({ scenarioId, everyKm, ...changes }) => {
    useRole("admin", "manager");
    const before = await scenarioOf(scenarioId);
    const patch = ScenarioEntity.patch({ companyId: useCompanyId(), scenarioId }).set({
      ...changes,
      ...(typeof everyKm === "number" ? { everyKm } : {}),
    });
    await (everyKm === null ? patch.remove(["everyKm"]) : patch).go();
    return {
      ...before,
      ...changes,
      ...(everyKm === undefined ? {} : { everyKm: everyKm ?? undefined }),
    } satisfies Scenario;
  },
);

// ─── Customers and vehicles ──────────────────────────────────────────────────

/** Dates and mileages as typed (JJMMAAAA, JJ/MM/AAAA; « 45 000 »): checked here, errors name the field. */
export const VehicleInput = z.object({
  plate: z.string().max(20),
  make: z.string().trim().max(60).optional(),
  model: z.string().trim().max(60).optional(),
  deliveryDate: z.string().max(20).optional(),
  deliveryKm: z.union([z.string().max(20), z.number()]).optional(),
  lastDate: z.string().max(20).optional(),
  lastKm: z.union([z.string().max(20), z.number()]).optional(),
});
export type VehicleInput = z.infer<typeof VehicleInput>;

export const Vehicle = z.object({
  vehicleId: z.string(),
  plate: z.string(),
  make: z.string().optional(),
  model: z.string().optional(),
  deliveryDate: z.string().optional(),
  deliveryKm: z.number().optional(),
  lastDate: z.string().optional(),
  lastKm: z.number().optional(),
});
export type Vehicle = z.infer<typeof Vehicle>;

const blank = (value: string | number | undefined) => value === undefined || String(value).trim() === "";

/** The vehicle's fields, parsed, or every problem with its field's path (prefix `vehicle.`). */
export function parseVehicle(input: VehicleInput, prefix = "vehicle.") {
  const fields: Field[] = [];
  const plate = parsePlate(input.plate);
  if (!plate.ok) fields.push({ path: `${prefix}plate`, code: plate.code, message: plate.message });
  const date = (key: "deliveryDate" | "lastDate") => {
    const value = input[key];
    if (blank(value)) return undefined;
    const parsed = parseDate(value!);
    if (!parsed.ok) fields.push({ path: `${prefix}${key}`, code: parsed.code, message: parsed.message });
    return parsed.ok ? parsed.date : undefined;
  };
  const km = (key: "deliveryKm" | "lastKm") => {
    const value = input[key];
    if (blank(value)) return undefined;
    const parsed = parseMileage(value!);
    if (!parsed.ok) fields.push({ path: `${prefix}${key}`, code: parsed.code, message: parsed.message });
    return parsed.ok ? parsed.km : undefined;
  };
  const vehicle = {
    plate: plate.ok ? plate.plate : input.plate,
    make: input.make || undefined,
    model: input.model || undefined,
    deliveryDate: date("deliveryDate"),
    deliveryKm: km("deliveryKm"),
    lastDate: date("lastDate"),
    lastKm: km("lastKm"),
  };
  if (fields.length === 0 && vehicle.deliveryDate && vehicle.deliveryKm !== undefined) {
    const checked = yearlyMileage(
      {
        deliveryDate: vehicle.deliveryDate,
        deliveryKm: vehicle.deliveryKm,
        lastDate: vehicle.lastDate,
        lastKm: vehicle.lastKm,
      },
      today(),
    );
    if (!checked.ok)
      fields.push({ path: `${prefix}${checked.field}`, code: checked.code, message: checked.message });
  }
  return { vehicle, fields };
}

export const Customer = z.object({
  contactId: z.string(),
  civility: z.enum(civilities).optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  mobile: z.string().optional(),
  email: z.string().optional(),
  agencyIds: z.array(z.string()),
  optedOut: z.boolean(),
  vehicles: z.array(Vehicle),
});
export type Customer = z.infer<typeof Customer>;

async function customerOf(contactId: string): Promise<Customer> {
  const contact = await Contact.visible(contactId);
  const companyId = useCompanyId();
  const [{ data: profile }, { data: vehicles }] = await Promise.all([
    CustomerEntity.get({ companyId, contactId }).go(),
    VehicleEntity.query.byContact({ companyId, contactId }).go({ pages: "all" }),
  ]);
  return {
    contactId,
    civility: profile?.civility ?? contact.civility,
    firstName: contact.firstName,
    lastName: contact.lastName,
    mobile: contact.mobile,
    email: contact.email,
    agencyIds: [...contact.agencyIds],
    optedOut: Boolean(contact.optOutSmsAt),
    vehicles: vehicles.map(({ companyId: _c, contactId: _k, ...vehicle }) => vehicle),
  };
}

export const customer = fn(z.string(), customerOf);

/** Step 1 of the customer screen: who has this mobile (a contact I can see), with their vehicles. */
export const lookup = fn(z.object({ mobile: z.string().max(40) }), async ({ mobile }) => {
  const { value, issues } = Contact.normalize({ mobile });
  const problem = issues.find((issue) => issue.field === "mobile");
  if (!value.mobile || problem)
    throw invalid([{ path: "mobile", message: problem?.message ?? "Enter a mobile number" }]);
  const contactId = await contactIdOf(useCompanyId(), value.mobile);
  if (!contactId) return { mobile: value.mobile };
  try {
    return { mobile: value.mobile, customer: await customerOf(contactId) };
  } catch (error) {
    // A contact of another agency: as if unknown (creating merges into it, as the contacts screen does).
    if (error instanceof VisibleError && error.status === 404) return { mobile: value.mobile };
    throw error;
  }
});

async function contactIdOf(companyId: string, mobile: string) {
  const { data } = await ContactKeyEntity.get({ companyId, key: `m:${mobile}` }).go();
  return data?.contactId;
}

export const CustomerInput = z.object({
  /** An existing contact (found by `lookup`); otherwise the contact is created (or merged by number). */
  contactId: z.string().optional(),
  agencyId: z.string(),
  mobile: z.string().max(40),
  civility: z.enum(civilities).optional(),
  firstName: z.string().trim().max(80).optional(),
  lastName: z.string().trim().min(1, "The name is required").max(80),
  email: z.string().trim().max(254).optional(),
  /** A vehicle to add, or to update when it carries its id. */
  vehicle: VehicleInput.extend({ vehicleId: z.string().optional() }),
});

const contactCivility = (civility?: (typeof civilities)[number]) =>
  civility === "M" ? "M" : civility === "Mme" || civility === "Mlle" ? "Mme" : undefined;

/** Step 2: the customer (a contact of type client) and their vehicle, saved together. */
export const saveCustomer = fn(CustomerInput, async (input) => {
  const user = useUser();
  if (!canSeeAgency(user, input.agencyId)) throw Contact.notFound();
  const { vehicle, fields } = parseVehicle(input.vehicle);
  if (fields.length > 0) throw invalid(fields);
  const person = {
    civility: contactCivility(input.civility),
    firstName: input.firstName || undefined,
    lastName: input.lastName,
    mobile: input.mobile,
    email: input.email || undefined,
    type: "client",
  };
  const contactId = input.contactId
    ? (await Contact.update({ contactId: input.contactId, ...person })).contactId
    : (await Contact.create({ ...person, agencyIds: [input.agencyId] })).contact.contactId;
  const companyId = useCompanyId();
  const vehicleId = input.vehicle.vehicleId ?? ulid();
  if (input.vehicle.vehicleId) {
    const { data: existing } = await VehicleEntity.get({ companyId, contactId, vehicleId }).go();
    if (!existing) throw new VisibleError("reminder.vehicle_not_found", "Vehicle not found", 404);
  }
  await Promise.all([
    CustomerEntity.put({ companyId, contactId, civility: input.civility }).go(),
    VehicleEntity.put({ companyId, contactId, vehicleId, ...vehicle }).go(),
  ]);
  return customerOf(contactId);
});

// ─── Planning ────────────────────────────────────────────────────────────────

/** « Aide à la planification »: proposed dates per scenario from what is known of the vehicle. */
export const plan = fn(
  z.object({ vehicle: VehicleInput.partial({ plate: true }), scenarioIds: z.array(z.string()).max(20) }),
  async (input) => {
    useUser();
    const { vehicle, fields } = parseVehicle({ plate: "AA-123-AA", ...input.vehicle });
    const relevant = fields.filter((field) => field.path !== "vehicle.plate" || input.vehicle.plate);
    if (relevant.length > 0) throw invalid(relevant);
    if (!vehicle.deliveryDate || vehicle.deliveryKm === undefined)
      throw invalid([
        {
          path: vehicle.deliveryDate ? "vehicle.deliveryKm" : "vehicle.deliveryDate",
          code: "reminder.plan_needs_delivery",
          message: "The delivery date and mileage are needed to plan",
        },
      ]);
    const facts = {
      deliveryDate: vehicle.deliveryDate,
      deliveryKm: vehicle.deliveryKm,
      lastDate: vehicle.lastDate,
      lastKm: vehicle.lastKm,
    };
    const now = today();
    const all = await scenarios();
    const proposals = [];
    let kmPerYear = 0;
    let assumed = false;
    for (const scenarioId of input.scenarioIds) {
      const scenario = all.find((candidate) => candidate.scenarioId === scenarioId);
      if (!scenario) continue;
      const rule = {
        everyKm: scenario.everyKm,
        everyMonths: scenario.everyMonths ?? scenario.delayMonths,
        firstMonths: scenario.firstMonths,
      };
      const proposal = propose(rule, facts, now);
      if (!proposal.ok)
        throw invalid([
          { path: `vehicle.${proposal.field}`, code: proposal.code, message: proposal.message },
        ]);
      kmPerYear = proposal.kmPerYear;
      assumed = proposal.assumed;
      // Never today or before: an overdue service is proposed for tomorrow.
      proposals.push({
        scenarioId,
        date: proposal.date <= now ? nextDay(now) : proposal.date,
        by: proposal.by,
        overdue: proposal.overdue,
        kmAtDate: proposal.kmAtDate,
      });
    }
    if (input.scenarioIds.length === 0) {
      const yearly = yearlyMileage(facts, now);
      if (yearly.ok) ({ kmPerYear, assumed } = yearly);
    }
    return { kmPerYear, assumed, proposals, sameDay: sameDay(proposals.map((proposal) => proposal.date)) };
  },
);

const nextDay = (day: string) => {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

// ─── Reminders ───────────────────────────────────────────────────────────────

export const Info = z.object({
  reminderId: z.string(),
  contactId: z.string(),
  vehicleId: z.string(),
  agencyId: z.string(),
  scenarioId: z.string(),
  scenarioName: z.string(),
  dueOn: z.string(),
  /** When it will go, quiet hours applied (the morning of its day, or the next allowed one). */
  firesAt: z.string().optional(),
  status: z.enum(reminderStatuses),
  text: z.string().optional(),
  name: z.string(),
  mobile: z.string().optional(),
  plate: z.string(),
  createdAt: z.string(),
  createdByName: z.string(),
  sentAt: z.string().optional(),
  campaignId: z.string().optional(),
  messageId: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelReason: z.enum(["user", "opted_out", "no_mobile"]).optional(),
  /** For a sent one: where its SMS stands (sent, delivered, undeliverable, unsubscribed…), from its message. */
  delivery: z.enum(messageStatuses).optional(),
});
export type Info = z.infer<typeof Info>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof ReminderEntity.get>["go"]>>["data"]>;

/** The hourly tick takes a reminder from its day's local midnight, at the first hour sending is allowed. */
async function firesAtOf(companyId: string) {
  const { quietHours } = await settingsOf(companyId);
  return (dueOn: string) =>
    nextAllowed(fromZonedTime(`${dueOn}T00:00:00`, timezone), quietHours).toISOString();
}

const toInfo = (row: Row, firesAt?: (dueOn: string) => string): Info => ({
  reminderId: row.reminderId,
  contactId: row.contactId,
  vehicleId: row.vehicleId,
  agencyId: row.agencyId,
  scenarioId: row.scenarioId,
  scenarioName: row.scenarioName,
  dueOn: row.dueOn,
  firesAt: row.status === "pending" && firesAt ? firesAt(row.dueOn) : undefined,
  status: row.status,
  text: row.text,
  name: row.name,
  mobile: row.mobile,
  plate: row.plate,
  createdAt: row.createdAt,
  createdByName: row.createdByName,
  sentAt: row.sentAt,
  campaignId: row.campaignId,
  messageId: row.messageId,
  cancelledAt: row.cancelledAt,
  cancelReason: row.cancelReason,
});

const nameOf = (customer: Customer) =>
  [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.mobile || "—";

export const ScheduleInput = z.object({
  contactId: z.string(),
  vehicleId: z.string(),
  agencyId: z.string(),
  items: z
    .array(
      z.object({
        scenarioId: z.string(),
        /** A day (JJ/MM/AAAA, JJMMAAAA or yyyy-MM-dd), or « dans N mois ». */
        date: z.string().max(20).optional(),
        inMonths: z.number().int().min(1).max(120).optional(),
        /** Texte libre: the message itself. */
        text: z.string().trim().max(640).optional(),
      }),
    )
    .min(1, "Choose at least one scenario")
    .max(20),
});

/** Step 3: one or several scenarios for a customer's vehicle; two on the same day are allowed, with a warning. */
export const schedule = fn(ScheduleInput, async (input) => {
  const user = useUser();
  if (!canSeeAgency(user, input.agencyId)) throw Contact.notFound();
  await Agency.assertUsable([input.agencyId]);
  const customer = await customerOf(input.contactId);
  const vehicle = customer.vehicles.find((candidate) => candidate.vehicleId === input.vehicleId);
  if (!vehicle) throw new VisibleError("reminder.vehicle_not_found", "Vehicle not found", 404);
  if (!customer.mobile)
    throw invalid([
      {
        path: "contactId",
        code: "reminder.no_mobile",
        message: "This customer has no mobile number to remind",
      },
    ]);
  const now = today();
  const all = await scenarios();
  const fields: Field[] = [];
  const planned = input.items.map((item, index) => {
    const scenario = all.find((candidate) => candidate.scenarioId === item.scenarioId);
    if (!scenario?.enabled)
      fields.push({
        path: `items.${index}.scenarioId`,
        code: "reminder.scenario_unknown",
        message: "Unknown or disabled scenario",
      });
    let dueOn: string | undefined;
    if (item.date) {
      const parsed = parseDate(item.date);
      if (!parsed.ok)
        fields.push({ path: `items.${index}.date`, code: parsed.code, message: parsed.message });
      else dueOn = parsed.date;
    } else dueOn = addMonths(now, item.inMonths ?? scenario?.delayMonths ?? 12);
    if (dueOn && dueOn <= now)
      fields.push({
        path: `items.${index}.date`,
        code: "reminder.day_after_today",
        message: "Choose a day after today",
      });
    if (scenario?.scenarioId === "texte_libre" && !item.text)
      fields.push({
        path: `items.${index}.text`,
        code: "reminder.text_required",
        message: "Write the message of this reminder",
      });
    return { item, scenario: scenario!, dueOn: dueOn! };
  });
  if (fields.length > 0) throw invalid(fields);
  const companyId = useCompanyId();
  const name = nameOf(customer);
  const rows = planned.map(({ item, scenario, dueOn }) => {
    const reminderId = ulid();
    return {
      companyId,
      reminderId,
      contactId: customer.contactId,
      vehicleId: vehicle.vehicleId,
      agencyId: input.agencyId,
      scenarioId: scenario.scenarioId,
      scenarioName: scenario.name,
      dueOn,
      status: "pending" as const,
      text: item.text || undefined,
      name,
      mobile: customer.mobile,
      plate: vehicle.plate,
      searchText: fold(
        `${name} ${customer.mobile ?? ""} ${vehicle.plate} ${vehicle.plate.replace(/[- ]/g, "")}`,
      ),
      createdBy: user.userId,
      createdByName: user.name,
      dueDay: dueOn,
      dueShard: shardOf(reminderId),
    };
  });
  await ReminderEntity.put(rows).go();
  const firesAt = await firesAtOf(companyId);
  return {
    reminders: rows.map((row) => toInfo({ ...row, createdAt: new Date().toISOString() } as Row, firesAt)),
    sameDay: sameDay(rows.map((row) => row.dueOn)),
  };
});

export const Filters = z.object({
  status: z.enum(reminderStatuses).optional(),
  query: z.string().max(100).optional(),
  contactId: z.string().optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** « Relances en cours »: by due day; search by name, number or plate; a user sees their agencies' only. */
export const list = fn(Filters, async (input) => {
  const user = useUser();
  const companyId = useCompanyId();
  const words = input.query
    ? fold(input.query)
        .split(/\s+/)
        .filter(Boolean)
        .map((word) => word.replace(/^0(\d{9})$/, "33$1"))
    : [];
  const base = input.contactId
    ? ReminderEntity.query.byContact({ companyId, contactId: input.contactId })
    : ReminderEntity.query.byCompany({ companyId });
  const page = await base
    .where((attr, op) =>
      [
        input.status ? op.eq(attr.status, input.status) : "",
        user.role === "admin"
          ? ""
          : `(${user.agencyIds.map((id) => op.eq(attr.agencyId, id)).join(" OR ") || op.eq(attr.agencyId, "-")})`,
        ...words.map((word) => op.contains(attr.searchText, word)),
      ]
        .filter(Boolean)
        .join(" AND "),
    )
    .go({
      cursor: input.cursor ?? null,
      count: input.limit ?? 50,
      order: input.status === "pending" ? "asc" : "desc",
    });
  const firesAt = await firesAtOf(companyId);
  const delivery = await deliveryOf(page.data);
  return {
    items: page.data.map((row) => ({ ...toInfo(row, firesAt), delivery: delivery.get(row.reminderId) })),
    cursor: page.cursor ?? undefined,
  };
});

/** The status of each sent reminder's message (one BatchGetItem per 100). */
async function deliveryOf(rows: Row[]) {
  const keys = rows
    .filter((row) => row.campaignId && row.messageId)
    .map((row) => ({ companyId: row.companyId, campaignId: row.campaignId!, messageId: row.messageId! }));
  if (keys.length === 0) return new Map<string, (typeof messageStatuses)[number]>();
  const { data } = await MessageEntity.get(keys).go({ attributes: ["messageId", "status"] });
  return new Map(data.map((message) => [message.messageId, message.status]));
}

async function visible(reminderId: string) {
  const { data } = await ReminderEntity.get({ companyId: useCompanyId(), reminderId }).go();
  if (!data || !canSeeAgency(useUser(), data.agencyId))
    throw new VisibleError("reminder.not_found", "Reminder not found", 404);
  return data;
}

export const get = fn(z.string(), async (reminderId) => {
  const row = await visible(reminderId);
  const delivery = await deliveryOf([row]);
  return { ...toInfo(row, await firesAtOf(useCompanyId())), delivery: delivery.get(reminderId) };
});

const notPending = () =>
  new VisibleError("reminder.not_pending", "This reminder was already sent or cancelled", 409);

/** Another day for a pending reminder; the index moves with it, in the same conditional write. */
export const reschedule = fn(
  z.object({ reminderId: z.string(), date: z.string().max(20) }),
  async (input) => {
    const row = await visible(input.reminderId);
    const parsed = parseDate(input.date);
    if (!parsed.ok) throw invalid([{ path: "date", code: parsed.code, message: parsed.message }]);
    if (parsed.date <= today())
      throw invalid([
        { path: "date", code: "reminder.day_after_today", message: "Choose a day after today" },
      ]);
    try {
      await ReminderEntity.patch({ companyId: row.companyId, reminderId: row.reminderId })
        .set({ dueOn: parsed.date, dueDay: parsed.date, dueShard: shardOf(row.reminderId) })
        .where(({ status }, { eq }) => eq(status, "pending"))
        .go();
    } catch (error) {
      if (isConditional(error)) throw notPending();
      throw error;
    }
    return get(input.reminderId);
  },
);

/**
 * A pending reminder cancelled and taken out of the firing index, in one update refused (conditional
 * failure) once it is no longer pending. Shared by the list, STOP and the fire run.
 */
export function cancelling(
  key: { companyId: string; reminderId: string },
  reason: "user" | "opted_out" | "no_mobile",
  { by, at = new Date().toISOString() }: { by?: string; at?: string } = {},
) {
  return ReminderEntity.patch(key)
    .set({ status: "cancelled", cancelledAt: at, cancelReason: reason, ...(by ? { cancelledBy: by } : {}) })
    .remove(["dueDay", "dueShard"])
    .where(({ status }, { eq }) => eq(status, "pending"));
}

/** Unchecked in the list: cancelled while still pending (a sent one stays sent). */
export const cancel = fn(z.string(), async (reminderId) => {
  const row = await visible(reminderId);
  const user = useUser();
  try {
    await cancelling({ companyId: row.companyId, reminderId }, "user", { by: user.name }).go();
  } catch (error) {
    if (isConditional(error)) throw notPending();
    throw error;
  }
  return get(reminderId);
});

/**
 * A customer said STOP: their pending reminders are cancelled (and show why). Runs as the company's
 * system actor, from the suppression event; safe to repeat.
 */
export async function cancelForOptOut(companyId: string, mobile: string) {
  const contactId = await contactIdOf(companyId, mobile);
  if (!contactId) return 0;
  const pending = (
    await ReminderEntity.query
      .byContact({ companyId, contactId })
      .where(({ status }, { eq }) => eq(status, "pending"))
      .go({ pages: "all" })
  ).data;
  let cancelled = 0;
  for (const row of pending) {
    try {
      await cancelling({ companyId, reminderId: row.reminderId }, "opted_out").go();
      cancelled++;
    } catch (error) {
      if (!isConditional(error)) throw error;
    }
  }
  return cancelled;
}

/**
 * GDPR erasure of a contact: their customer record, vehicles and reminders go (pending ones with them,
 * so nothing fires for an erased person). Sent reminders' messages are erased with the other messages.
 */
export async function forgetCustomer(companyId: string, contactId: string) {
  const [reminders, vehicles] = await Promise.all([
    ReminderEntity.query.byContact({ companyId, contactId }).go({ pages: "all", attributes: ["reminderId"] }),
    VehicleEntity.query.byContact({ companyId, contactId }).go({ pages: "all", attributes: ["vehicleId"] }),
  ]);
  await Promise.all([
    reminders.data.length > 0
      ? ReminderEntity.delete(reminders.data.map(({ reminderId }) => ({ companyId, reminderId }))).go()
      : undefined,
    vehicles.data.length > 0
      ? VehicleEntity.delete(vehicles.data.map(({ vehicleId }) => ({ companyId, contactId, vehicleId }))).go()
      : undefined,
    CustomerEntity.delete({ companyId, contactId }).go(),
  ]);
}
