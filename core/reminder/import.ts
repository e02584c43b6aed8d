import { PassThrough } from "node:stream";
import { Entity } from "electrodb";
import { ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency } from "../access";
import { type Role, roles, useCompanyId, useUser, withActor } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { Contact } from "../contact";
import { entityConfig, isConditionalFailure, onTable, transactWrite, write } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Job from "../job";
import { Phone } from "../phone";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
import { assertImportable } from "../spreadsheet/importable";
import { fold } from "../text";
import { parseDate } from "./planning";
import * as Reminder from "./reminder";
import { CustomerEntity, type civilities, ReminderEntity, VehicleEntity } from "./reminder.entity";

/**
 * Garage customers and their vehicles from Excel or CSV (« Relance clients »), as partners are imported:
 * upload straight to S3, a dry run that lists every error by line and column and writes nothing, then a
 * background job (`customers.import`) that creates the valid lines as the user who started it. A customer
 * is merged by mobile (as the customer screen does), a plate the customer already has adds no vehicle, and
 * a scenario already pending for that vehicle is not scheduled again: a file imported twice creates nothing
 * the second time.
 */
export const limits = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 };

type Key =
  | "civility"
  | "lastName"
  | "firstName"
  | "mobile"
  | "email"
  | "plate"
  | "make"
  | "model"
  | "deliveryDate"
  | "deliveryKm"
  | "lastDate"
  | "lastKm"
  | "scenarios"
  | "dueDate";
/** The first alias is the template's header, and the column an error names. */
const columns: Spreadsheet.Column<Key>[] = [
  { key: "civility", aliases: ["Civilité", "Civility", "Titre"] },
  { key: "lastName", aliases: ["Nom", "Last name", "Nom de famille"], required: true },
  { key: "firstName", aliases: ["Prénom", "First name"] },
  { key: "mobile", aliases: ["Mobile", "Portable", "Téléphone", "Phone"], required: true },
  { key: "email", aliases: ["Email", "E-mail", "Courriel"] },
  { key: "plate", aliases: ["Immatriculation", "Immat", "Plaque", "Plate"], required: true },
  { key: "make", aliases: ["Marque", "Make"] },
  { key: "model", aliases: ["Modèle", "Model"] },
  { key: "deliveryDate", aliases: ["Date de livraison", "Delivery date"] },
  { key: "deliveryKm", aliases: ["Km livraison", "Kilométrage livraison", "Delivery km"] },
  { key: "lastDate", aliases: ["Date dernière intervention", "Last service date"] },
  {
    key: "lastKm",
    aliases: ["Km dernière intervention", "Kilométrage dernière intervention", "Last service km"],
  },
  { key: "scenarios", aliases: ["Scénarios", "Scénario", "Scenarios", "Scenario"] },
  { key: "dueDate", aliases: ["Date de relance", "Reminder date"] },
];
const header = (key: Key) => columns.find((column) => column.key === key)!.aliases[0]!;

export const CustomerImportEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "customerImport", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          importId: { type: "string", required: true, readOnly: true },
          fileName: { type: "string", required: true, readOnly: true },
          status: { type: ["uploaded", "running", "done"] as const, required: true },
          /** Chosen when starting: the agency the customers are created in. */
          agencyId: { type: "string" },
          /** Lines to import (the valid ones), lines done so far, and what they made. */
          total: { type: "number", required: true, default: 0 },
          processed: { type: "number", required: true, default: 0 },
          customers: { type: "number", required: true, default: 0 },
          vehicles: { type: "number", required: true, default: 0 },
          reminders: { type: "number", required: true, default: 0 },
          /** Lines left out: errors in the file, or refused while importing. */
          skipped: { type: "number", required: true, default: 0 },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          /** The importer's role and agencies when starting: the job acts as them. */
          startedRole: { type: roles },
          startedAgencyIds: { type: "list", items: { type: "string" } },
          createdAt: { type: "string", required: true, readOnly: true },
          finishedAt: { type: "string" },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["importId"] },
          },
        },
      },
      entityConfig(),
    ),
);

const keyOf = (companyId: string, importId: string) => `imports/customers/${companyId}/${importId}`;

export const upload = fn(
  z.object({ fileName: z.string().min(1).max(200), size: z.number().int().min(1) }),
  async (input) => {
    const user = useUser();
    assertImportable(input, limits.maxBytes);
    const companyId = useCompanyId();
    const importId = ulid();
    await CustomerImportEntity.create({
      companyId,
      importId,
      fileName: input.fileName,
      status: "uploaded",
      createdBy: user.userId,
      createdByName: user.name,
      createdAt: new Date().toISOString(),
    }).go();
    const post = await Storage.presignUpload("attachments", keyOf(companyId, importId), {
      maxBytes: limits.maxBytes,
    });
    return { importId, url: post.url, fields: post.fields };
  },
);

export type LineError = { line: number; column?: string; code: string; message: string };

type Civility = (typeof civilities)[number];
const civilityNames: Record<string, Civility> = {
  m: "M",
  mr: "M",
  monsieur: "M",
  mme: "Mme",
  madame: "Mme",
  mmes: "Mme",
  metmme: "M et Mme",
  mretmme: "M et Mme",
  monsieuretmadame: "M et Mme",
  mlle: "Mlle",
  melle: "Mlle",
  mademoiselle: "Mlle",
  societe: "Societe",
  ste: "Societe",
  entreprise: "Societe",
};
const compact = (text: string) => fold(text).replace(/[^a-z0-9]+/g, "");

/** Overseas regions whose numbers are French too (core/phone). */
const frenchRegions = new Set(["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"]);

const vehicleColumns: Record<string, Key> = {
  "vehicle.plate": "plate",
  "vehicle.deliveryDate": "deliveryDate",
  "vehicle.deliveryKm": "deliveryKm",
  "vehicle.lastDate": "lastDate",
  "vehicle.lastKm": "lastKm",
};

export type Candidate = {
  line: number;
  civility?: Civility;
  firstName?: string;
  lastName: string;
  mobile: string;
  email?: string;
  vehicle: ReturnType<typeof Reminder.parseVehicle>["vehicle"];
  scenarioIds: string[];
  /** yyyy-MM-dd; absent: each scenario's default delay. */
  dueOn?: string;
};

type ImportRow = NonNullable<Awaited<ReturnType<ReturnType<typeof CustomerImportEntity.get>["go"]>>["data"]>;

/** The import, for its creator (Admins and Managers see every one of their company). */
async function importRow(importId: string) {
  const user = useUser();
  const { data } = await CustomerImportEntity.get({ companyId: useCompanyId(), importId }).go();
  if (!data || (user.role === "user" && data.createdBy !== user.userId))
    throw new VisibleError("import.not_found", "Import not found", 404);
  return data;
}

/** Reads and checks every line; writes nothing (the company's scenarios aside, seeded on first read). */
export async function check(row: ImportRow) {
  const companyId = row.companyId;
  let bytes: Uint8Array;
  try {
    bytes = await Storage.readBytes("attachments", keyOf(companyId, row.importId));
  } catch (error) {
    if (!Storage.isMissing(error)) throw error;
    throw new VisibleError("import.not_found", "Upload the file first", 404);
  }
  // Texte libre needs its message written, which a spreadsheet line cannot carry.
  const enabled = (await Reminder.scenarios()).filter(
    (scenario) => scenario.enabled && scenario.scenarioId !== "texte_libre",
  );
  const scenarioByName = new Map(enabled.map((scenario) => [compact(scenario.name), scenario]));
  const today = Reminder.today();
  const errors: LineError[] = [];
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  for await (const line of Spreadsheet.readRows({ bytes, fileName: row.fileName }, columns, limits)) {
    total++;
    const before = errors.length;
    const fail = (key: Key | string | undefined, code: string, message: string) =>
      errors.push({
        line: line.line,
        column: columns.some((column) => column.key === key) ? header(key as Key) : key,
        code,
        message,
      });
    for (const issue of line.issues) fail(issue.column, issue.code, issue.message);
    const values = line.values;

    let civility: Civility | undefined;
    if (values.civility) {
      civility = civilityNames[compact(values.civility)];
      if (!civility)
        fail(
          "civility",
          "customer.civility_unknown",
          `Unknown civility "${values.civility}" (M., Mme, M. et Mme, Mlle or Société)`,
        );
    }
    if (!values.lastName) fail("lastName", "customer.name_missing", "The name is required");

    let mobile: string | undefined;
    if (!values.mobile) fail("mobile", "customer.mobile_missing", "The mobile number is required");
    else {
      const parsed = Phone.parse(values.mobile);
      if (!parsed || !frenchRegions.has(parsed.country ?? "FR"))
        fail("mobile", "customer.mobile_invalid", `Invalid French phone number "${values.mobile}"`);
      else if (!parsed.mobile)
        fail("mobile", "customer.mobile_not_mobile", `"${values.mobile}" is not a mobile number`);
      else mobile = parsed.e164;
    }
    let email: string | undefined;
    if (values.email) {
      const { value, issues } = Contact.normalize({ email: values.email });
      if (issues.some((issue) => issue.field === "email"))
        fail("email", "customer.email_invalid", `Invalid email "${values.email}"`);
      else email = value.email;
    }

    if (!values.plate) fail("plate", "customer.plate_missing", "The number plate is required");
    const { vehicle, fields } = Reminder.parseVehicle({
      plate: values.plate ?? "",
      make: values.make,
      model: values.model,
      deliveryDate: values.deliveryDate,
      deliveryKm: values.deliveryKm,
      lastDate: values.lastDate,
      lastKm: values.lastKm,
    });
    for (const field of fields) {
      const key = vehicleColumns[field.path];
      if (key === "plate" && !values.plate) continue;
      fail(
        key,
        key === "plate"
          ? "customer.plate_invalid"
          : key === "deliveryKm" || key === "lastKm"
            ? "customer.mileage_invalid"
            : "customer.date_invalid",
        field.message,
      );
    }

    const names = (values.scenarios ?? "")
      .split(/[;,\n]/)
      .map((name) => name.trim())
      .filter(Boolean);
    const scenarioIds: string[] = [];
    for (const name of names) {
      const scenario = scenarioByName.get(compact(name));
      if (!scenario)
        fail(
          "scenarios",
          "customer.scenario_unknown",
          `Unknown scenario "${name}" (${enabled.map((known) => known.name).join(", ")})`,
        );
      else if (!scenarioIds.includes(scenario.scenarioId)) scenarioIds.push(scenario.scenarioId);
    }

    let dueOn: string | undefined;
    if (values.dueDate) {
      const parsed = parseDate(values.dueDate);
      if (!parsed.ok) fail("dueDate", "customer.due_invalid", parsed.message);
      else if (parsed.date <= today)
        fail("dueDate", "customer.due_past", `Choose a day after today ("${values.dueDate}")`);
      else dueOn = parsed.date;
      if (names.length === 0)
        fail("scenarios", "customer.scenario_missing", "Name the scenario of this reminder date");
    }

    if (errors.length > before || !mobile || !values.lastName) continue;
    const key = `${mobile}#${vehicle.plate}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail("plate", "customer.duplicate_in_file", `Same mobile and plate as line ${first}`);
      continue;
    }
    seen.set(key, line.line);
    candidates.push({
      line: line.line,
      civility,
      firstName: values.firstName,
      lastName: values.lastName,
      mobile,
      email,
      vehicle,
      scenarioIds,
      dueOn,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  const nameOf = (id: string) => enabled.find((scenario) => scenario.scenarioId === id)?.name ?? id;
  return {
    total,
    valid: candidates.length,
    errors,
    preview: candidates.slice(0, 20).map((candidate) => ({
      line: candidate.line,
      name: [candidate.firstName, candidate.lastName].filter(Boolean).join(" "),
      mobile: candidate.mobile,
      plate: candidate.vehicle.plate,
      scenarios: candidate.scenarioIds.map(nameOf),
      dueOn: candidate.dueOn,
    })),
    candidates,
  };
}

export const dryRun = fn(z.string().max(64), async (importId) => {
  const { candidates: _all, ...result } = await check(await importRow(importId));
  return result;
});

/** Starts the background job; with errors, only when the user chose to import the valid lines alone. */
export const start = fn(
  z.object({ importId: z.string().max(64), agencyId: z.string().max(64), onlyValid: z.boolean() }),
  async (input) => {
    const user = useUser();
    const companyId = useCompanyId();
    const row = await importRow(input.importId);
    if (row.status !== "uploaded")
      throw new VisibleError("import.started", "This import has already started", 409);
    if (!canSeeAgency(user, input.agencyId))
      throw new VisibleError("agency.not_found", "Unknown or archived agency", 404);
    await Agency.assertUsable([input.agencyId]);
    const result = await check(row);
    if (result.errors.length > 0 && !input.onlyValid)
      throw new VisibleError(
        "import.has_errors",
        `The file has ${result.errors.length} error(s): fix them or import only the valid lines`,
        422,
      );
    if (result.valid === 0) throw new VisibleError("import.nothing_valid", "No line can be imported", 422);
    try {
      await CustomerImportEntity.patch({ companyId, importId: input.importId })
        .set({
          status: "running",
          agencyId: input.agencyId,
          total: result.valid,
          skipped: result.total - result.valid,
          startedRole: user.role,
          startedAgencyIds: user.agencyIds,
        })
        .where(({ status }, { eq }) => eq(status, "uploaded"))
        .go();
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      throw new VisibleError("import.started", "This import has already started", 409);
    }
    await Job.enqueue({ kind: "customers.import", companyId, importId: input.importId });
    return progress(input.importId);
  },
);

const toProgress = (row: ImportRow) => ({
  importId: row.importId,
  status: row.status,
  agencyId: row.agencyId,
  total: row.total,
  processed: row.processed,
  customers: row.customers,
  vehicles: row.vehicles,
  reminders: row.reminders,
  skipped: row.skipped,
  finishedAt: row.finishedAt,
});

export const progress = fn(z.string().max(64), async (importId) => toProgress(await importRow(importId)));

export const ImportJob = z.object({
  kind: z.literal("customers.import"),
  companyId: z.string(),
  importId: z.string(),
});

type Made = { customers: number; vehicles: number; reminders: number; skipped: number };

const contactCivility = (civility?: Civility) =>
  civility === "M" ? "M" : civility === "Mme" || civility === "Mlle" ? "Mme" : undefined;

/**
 * One line, as the customer screen saves it: the contact created or merged by mobile, its vehicle unless
 * it already has this plate, and each scenario not already pending for that vehicle.
 */
async function importLine(candidate: Candidate, agencyId: string): Promise<Made> {
  const companyId = useCompanyId();
  const { contact, merged } = await Contact.create({
    civility: contactCivility(candidate.civility),
    firstName: candidate.firstName,
    lastName: candidate.lastName,
    mobile: candidate.mobile,
    email: candidate.email,
    type: "client",
    agencyIds: [agencyId],
  });
  const contactId = contact.contactId;
  if (candidate.civility)
    await CustomerEntity.put({ companyId, contactId, civility: candidate.civility }).go();
  else
    await CustomerEntity.create({ companyId, contactId })
      .go()
      .catch((error) => {
        if (!isConditionalFailure(error)) throw error;
      });
  const { data: vehicles } = await VehicleEntity.query
    .byContact({ companyId, contactId })
    .go({ pages: "all" });
  let vehicleId = vehicles.find((vehicle) => vehicle.plate === candidate.vehicle.plate)?.vehicleId;
  const newVehicle = !vehicleId;
  if (!vehicleId) {
    vehicleId = ulid();
    await VehicleEntity.create({ companyId, contactId, vehicleId, ...candidate.vehicle }).go();
  }
  let reminders = 0;
  if (candidate.scenarioIds.length > 0) {
    const { data: pending } = await ReminderEntity.query
      .byContact({ companyId, contactId })
      .where(
        ({ status, vehicleId: vehicle }, { eq }) => `${eq(status, "pending")} AND ${eq(vehicle, vehicleId)}`,
      )
      .go({ pages: "all", attributes: ["scenarioId"] });
    const planned = new Set(pending.map((reminder) => reminder.scenarioId));
    const items = candidate.scenarioIds
      .filter((scenarioId) => !planned.has(scenarioId))
      .map((scenarioId) => ({ scenarioId, date: candidate.dueOn }));
    if (items.length > 0) {
      const scheduled = await Reminder.schedule({ contactId, vehicleId, agencyId, items });
      reminders = scheduled.reminders.length;
    }
  }
  return { customers: merged ? 0 : 1, vehicles: newVehicle ? 1 : 0, reminders, skipped: 0 };
}

export const ImportCustomers = Job.define({
  kind: "customers.import",
  queue: "import",
  schema: ImportJob,
  run: async (job) => {
    const key = { companyId: job.companyId, importId: job.importId };
    const { data: row } = await CustomerImportEntity.get(key).go({ consistent: true });
    if (row?.status !== "running" || !row.agencyId || !row.startedRole) return { outcome: "skipped" };
    const agencyId = row.agencyId;
    // The verbs run as the importer, with the role and agencies they had when starting.
    const actor = {
      type: "user" as const,
      companyId: job.companyId,
      userId: row.createdBy,
      name: row.createdByName,
      role: row.startedRole as Role,
      agencyIds: row.startedAgencyIds ?? [],
    };
    return withActor(actor, async () => {
      // A rerun re-reads the file: what an earlier attempt made is found again and not made twice.
      const result = await check(row);
      await CustomerImportEntity.patch(key).set({ processed: 0 }).go({ response: "none" });
      // A customer's lines one after the other (their vehicles, their reminders); customers ten at a time.
      const byMobile = new Map<string, Candidate[]>();
      for (const candidate of result.candidates)
        byMobile.set(candidate.mobile, [...(byMobile.get(candidate.mobile) ?? []), candidate]);
      const groups = [...byMobile.values()];
      const totals: Made = { customers: 0, vehicles: 0, reminders: 0, skipped: 0 };
      for (let start = 0; start < groups.length; start += 10) {
        const chunk = groups.slice(start, start + 10);
        const made = await Promise.all(
          chunk.map(async (lines) => {
            const sum: Made = { customers: 0, vehicles: 0, reminders: 0, skipped: 0 };
            for (const candidate of lines) {
              try {
                const one = await importLine(candidate, agencyId);
                sum.customers += one.customers;
                sum.vehicles += one.vehicles;
                sum.reminders += one.reminders;
              } catch (error) {
                // Refused (a number or email another contact holds, an archived agency…): the line is skipped.
                if (!(error instanceof VisibleError)) throw error;
                sum.skipped++;
              }
            }
            return sum;
          }),
        );
        const add = made.reduce((all, one) => ({
          customers: all.customers + one.customers,
          vehicles: all.vehicles + one.vehicles,
          reminders: all.reminders + one.reminders,
          skipped: all.skipped + one.skipped,
        }));
        totals.customers += add.customers;
        totals.vehicles += add.vehicles;
        totals.reminders += add.reminders;
        totals.skipped += add.skipped;
        await CustomerImportEntity.update(key)
          .add({ ...add, processed: chunk.reduce((count, lines) => count + lines.length, 0) })
          .go({ response: "none" });
      }
      // « Terminé » and its audit entry appear together.
      await transactWrite([
        write.update(
          CustomerImportEntity.patch(key)
            .set({ status: "done", finishedAt: new Date().toISOString() })
            .where(({ status }, { eq }) => eq(status, "running"))
            .params(),
        ),
        Audit.entry("customer.imported", {
          target: { type: "import", id: job.importId, label: row.fileName },
          details: { ...totals, agencyId },
          onBehalfOf: { userId: row.createdBy, name: row.createdByName },
        }),
      ]);
      await Storage.remove("attachments", keyOf(job.companyId, job.importId));
      return { outcome: "done", ...totals };
    });
  },
});

/** The template offered for download: the expected headers and two example lines. */
export async function template() {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  const year = Number(Reminder.today().slice(0, 4));
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Clients",
      columns: columns.map((column) => ({ header: column.aliases[0]!, key: column.key, width: 18 })),
      rows: [
        {
          civility: "M.",
          lastName: "Dupont",
          firstName: "Camille",
          mobile: "06 12 34 56 78",
          email: "camille.dupont@exemple.fr",
          plate: "AB-123-CD",
          make: "Renault",
          model: "Clio",
          deliveryDate: `15/03/${year - 3}`,
          deliveryKm: "10",
          lastDate: `20/04/${year - 1}`,
          lastKm: "38 000",
          scenarios: "Révision",
        },
        {
          civility: "Mme",
          lastName: "Martin",
          firstName: "Léa",
          mobile: "07 98 76 54 32",
          plate: "EF-456-GH",
          make: "Peugeot",
          model: "208",
          scenarios: "Révision; Contrôle technique",
          dueDate: `15/09/${year + 1}`,
        },
      ],
    },
  ]);
  return Buffer.concat(chunks);
}
