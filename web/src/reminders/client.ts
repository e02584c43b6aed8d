import type { InferRequestType, InferResponseType } from "hono/client";
import { api, filled, unwrap } from "../api";

/** After-sales reminders (functions/api/reminders.ts), through the typed `hc` client. */

type Reminders = typeof api.api.reminders;
type Scenarios = Reminders["scenarios"];

export type Scenario = InferResponseType<Scenarios["$get"], 200>["items"][number];
export type NewScenario = InferRequestType<Scenarios["$post"]>["json"];
export type ScenarioChanges = InferRequestType<Scenarios[":scenarioId"]["$patch"]>["json"];
export type Lookup = InferResponseType<Reminders["customers"]["lookup"]["$get"], 200>;
export type Customer = NonNullable<Lookup["customer"]>;
export type Vehicle = Customer["vehicles"][number];
export type CustomerInput = InferRequestType<Reminders["customers"]["$post"]>["json"];
export type Civility = NonNullable<CustomerInput["civility"]>;
export type PlanInput = InferRequestType<Reminders["plan"]["$post"]>["json"];
export type Plan = InferResponseType<Reminders["plan"]["$post"], 200>;
export type Proposal = Plan["proposals"][number];
export type ScheduleInput = InferRequestType<Reminders["$post"]>["json"];
export type Scheduled = InferResponseType<Reminders["$post"], 201>;
export type Reminder = InferResponseType<Reminders["$get"], 200>["items"][number];
export type ReminderStatus = Reminder["status"];

export const civilities = ["M", "Mme", "M et Mme", "Mlle", "Societe"] as const satisfies readonly Civility[];
export const statuses = ["pending", "sent", "cancelled"] as const satisfies readonly ReminderStatus[];
/** Variables a scenario's text may hold (core/reminder/catalogue.ts). */
export const templateVariables = [
  "civilite",
  "nom",
  "immatriculation",
  "modele",
  "garage",
  "telephone",
] as const;
/** The seeded scenario whose text is written for each reminder. */
export const freeText = "texte_libre";

const fresh = { init: { cache: "no-store" as const } };
const reminderParam = (reminderId: string) => ({ param: { reminderId } });

export const scenarios = {
  list: () => unwrap(api.api.reminders.scenarios.$get(undefined, fresh)),
  create: (json: NewScenario) => unwrap(api.api.reminders.scenarios.$post({ json })),
  update: (scenarioId: string, json: ScenarioChanges) =>
    unwrap(api.api.reminders.scenarios[":scenarioId"].$patch({ param: { scenarioId }, json })),
};

export const customers = {
  lookup: (mobile: string) => unwrap(api.api.reminders.customers.lookup.$get({ query: { mobile } }, fresh)),
  save: (json: CustomerInput) => unwrap(api.api.reminders.customers.$post({ json })),
};

export const reminders = {
  list: (filters: { status?: ReminderStatus; query?: string; contactId?: string; cursor?: string }) =>
    unwrap(api.api.reminders.$get({ query: filled({ ...filters, limit: "50" }) }, fresh)),
  plan: (json: PlanInput) => unwrap(api.api.reminders.plan.$post({ json })),
  schedule: (json: ScheduleInput) => unwrap(api.api.reminders.$post({ json })),
  move: (reminderId: string, date: string) =>
    unwrap(api.api.reminders[":reminderId"].$patch({ ...reminderParam(reminderId), json: { date } })),
  cancel: (reminderId: string) =>
    unwrap(api.api.reminders[":reminderId"].cancel.$post(reminderParam(reminderId))),
};

type Imports = Reminders["imports"];
export type CustomerImportCheck = InferResponseType<Imports[":importId"]["check"]["$post"], 200>;
export type CustomerImportProgress = InferResponseType<Imports[":importId"]["$get"], 200>;
const importParam = (importId: string) => ({ param: { importId } });

/** Customers and vehicles from Excel or CSV: upload, dry run, start in an agency, progress. */
export const customerImports = {
  templateUrl: api.api.reminders.imports.template.$path(),
  upload: (json: { fileName: string; size: number }) => unwrap(api.api.reminders.imports.$post({ json })),
  check: (importId: string) =>
    unwrap(api.api.reminders.imports[":importId"].check.$post(importParam(importId))),
  start: (importId: string, json: { agencyId: string; onlyValid: boolean }) =>
    unwrap(api.api.reminders.imports[":importId"].start.$post({ ...importParam(importId), json })),
  progress: (importId: string) =>
    unwrap(api.api.reminders.imports[":importId"].$get(importParam(importId), fresh)),
};
