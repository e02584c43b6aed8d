import { PassThrough } from "node:stream";
import { Entity } from "electrodb";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId } from "../actor";
import { Audit } from "../audit";
import { entityConfig, onTable, transactWrite, write } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Job from "../job";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
import { assertImportable } from "../spreadsheet/importable";
import { fold } from "../text";
import * as Partner from "./partner";

/**
 * Partners from Excel or CSV, as contacts and users are imported: upload straight to S3, a dry run that
 * lists every error by line and column and writes nothing, then a background job (`partners.import`) that
 * creates the valid lines. A line whose matricule, mobile or email a partner already holds is an error in
 * the dry run and skipped by the job, so a job run twice creates nobody twice.
 */
export const limits = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 };

type Key =
  | "kind"
  | "firstName"
  | "lastName"
  | "organisation"
  | "matricule"
  | "categories"
  | "mobile"
  | "email"
  | "channel"
  | "language";
const columns: Spreadsheet.Column<Key>[] = [
  { key: "kind", aliases: ["Type", "Personne ou organisation"] },
  { key: "firstName", aliases: ["Prénom", "First name"] },
  { key: "lastName", aliases: ["Nom", "Last name", "Nom de famille"] },
  { key: "organisation", aliases: ["Raison sociale", "Organisation", "Société", "Company"] },
  { key: "matricule", aliases: ["Matricule", "N° matricule", "Employee number", "ID"] },
  { key: "categories", aliases: ["Catégories", "Catégorie", "Categories", "Category"], required: true },
  { key: "mobile", aliases: ["Mobile", "Portable", "Téléphone", "Phone"] },
  { key: "email", aliases: ["Email", "E-mail", "Courriel"] },
  { key: "channel", aliases: ["Canal", "Channel", "Préférence"] },
  { key: "language", aliases: ["Langue", "Language"] },
];

export const PartnerImportEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "partnerImport", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          importId: { type: "string", required: true, readOnly: true },
          fileName: { type: "string", required: true, readOnly: true },
          status: { type: ["uploaded", "running", "done"] as const, required: true },
          total: { type: "number", required: true, default: 0 },
          created: { type: "number", required: true, default: 0 },
          skipped: { type: "number", required: true, default: 0 },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
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

const keyOf = (companyId: string, importId: string) => `imports/partners/${companyId}/${importId}`;

export const upload = fn(
  z.object({ fileName: z.string().min(1).max(200), size: z.number().int().min(1) }),
  async (input) => {
    const actor = Partner.useManager();
    assertImportable(input, limits.maxBytes);
    const companyId = useCompanyId();
    const importId = ulid();
    await PartnerImportEntity.create({
      companyId,
      importId,
      fileName: input.fileName,
      status: "uploaded",
      createdBy: actor.userId,
      createdByName: actor.name,
      createdAt: new Date().toISOString(),
    }).go();
    const post = await Storage.presignUpload("attachments", keyOf(companyId, importId), {
      maxBytes: limits.maxBytes,
    });
    return { importId, url: post.url, fields: post.fields };
  },
);

export type LineError = { line: number; column?: string; code: string; message: string };

const kinds: Record<string, "person" | "organisation"> = {
  personne: "person",
  person: "person",
  particulier: "person",
  organisation: "organisation",
  organization: "organisation",
  societe: "organisation",
  entreprise: "organisation",
  company: "organisation",
};
const channelNames: Record<string, "sms" | "email"> = {
  sms: "sms",
  mobile: "sms",
  email: "email",
  mail: "email",
  courriel: "email",
};

async function importRow(companyId: string, importId: string) {
  const { data } = await PartnerImportEntity.get({ companyId, importId }).go();
  if (!data) throw new VisibleError("import.not_found", "Import not found", 404);
  return data;
}

/** Reads and checks every line; writes nothing. */
export async function check(importId: string) {
  const companyId = useCompanyId();
  const row = await importRow(companyId, importId);
  let bytes: Uint8Array;
  try {
    bytes = await Storage.readBytes("attachments", keyOf(companyId, importId));
  } catch (error) {
    if (!Storage.isMissing(error)) throw error;
    throw new VisibleError("import.not_found", "Upload the file first", 404);
  }
  const categories = await Partner.categories();
  const categoryByName = new Map(
    categories.map((category) => [fold(category.name).trim(), category.categoryId]),
  );
  const known = new Set(categories.map((category) => category.categoryId));
  const errors: LineError[] = [];
  const candidates: Array<{ line: number; clean: Partner.Clean }> = [];
  const seen = new Map<string, number>();
  let total = 0;
  for await (const line of Spreadsheet.readRows({ bytes, fileName: row.fileName }, columns, limits)) {
    total++;
    const before = errors.length;
    const fail = (column: string | undefined, code: string, message: string) =>
      errors.push({ line: line.line, column, code, message });
    for (const issue of line.issues) fail(issue.column, issue.code, issue.message);
    const values = line.values;
    const kind = values.kind
      ? kinds[fold(values.kind).trim()]
      : values.organisation && !values.lastName
        ? "organisation"
        : "person";
    if (!kind)
      fail("Type", "partner.kind_invalid", `Unknown type "${values.kind}" (Personne or Organisation)`);
    const names = (values.categories ?? "")
      .split(/[;,\n]/)
      .map((name) => name.trim())
      .filter(Boolean);
    const categoryIds: string[] = [];
    for (const name of names) {
      const id = categoryByName.get(fold(name).trim());
      if (id) categoryIds.push(id);
      else
        fail(
          "Catégories",
          "partner.category_unknown",
          `Unknown category "${name}" (${categories.map((c) => c.name).join(", ")})`,
        );
    }
    if (names.length === 0) fail("Catégories", "partner.category_missing", "Name at least one category");
    const channel = values.channel ? channelNames[fold(values.channel).trim()] : undefined;
    if (values.channel && !channel)
      fail("Canal", "partner.channel_invalid", `Unknown channel "${values.channel}" (SMS or Email)`);
    const language = values.language
      ? fold(values.language).startsWith("en")
        ? "en"
        : fold(values.language).startsWith("fr")
          ? "fr"
          : undefined
      : "fr";
    if (!language)
      fail("Langue", "partner.language_invalid", `Unknown language "${values.language}" (FR or EN)`);
    if (errors.length > before || !kind || !language) continue;
    try {
      const clean = await Partner.normalise(
        Partner.Input.parse({
          kind,
          firstName: values.firstName,
          lastName: values.lastName,
          organisation: values.organisation,
          matricule: values.matricule,
          categoryIds,
          mobile: values.mobile,
          email: values.email,
          preferredChannel: channel,
          language,
        }),
        known,
      );
      let duplicate = false;
      for (const key of Partner.keysOf(clean)) {
        const first = seen.get(key);
        if (first !== undefined) {
          duplicate = true;
          const [what] = key.split("#");
          fail(columnOf(what), "partner.duplicate_in_file", `Same ${what} as line ${first}`);
        } else seen.set(key, line.line);
      }
      if (!duplicate) candidates.push({ line: line.line, clean });
    } catch (error) {
      if (!(error instanceof VisibleError)) throw error;
      const field = (error.details?.fields as Array<{ path: string }> | undefined)?.[0]?.path;
      fail(columnOf(field), error.code, error.message);
    }
  }
  // Matricules, numbers and emails partners already hold, in batch reads.
  const held = await Partner.taken(candidates.flatMap((candidate) => Partner.keysOf(candidate.clean)));
  const valid = candidates.filter((candidate) => {
    const clash = Partner.keysOf(candidate.clean).find((key) => held.has(key));
    if (!clash) return true;
    const [what] = clash.split("#");
    errors.push({
      line: candidate.line,
      column: columnOf(what),
      code: "partner.exists",
      message: `A partner already has this ${what}`,
    });
    return false;
  });
  errors.sort((a, b) => a.line - b.line);
  return {
    total,
    valid: valid.length,
    errors,
    preview: valid.slice(0, 20).map(({ line, clean }) => ({
      line,
      name: Partner.nameOf(clean),
      matricule: clean.matricule,
      mobile: clean.mobile,
      email: clean.email,
    })),
    candidates: valid,
  };
}

const columnOf = (field: string | undefined) =>
  ({
    matricule: "Matricule",
    mobile: "Mobile",
    email: "Email",
    lastName: "Nom",
    firstName: "Prénom",
    organisation: "Raison sociale",
    preferredChannel: "Canal",
    categoryIds: "Catégories",
  })[field ?? ""] ?? field;

export const dryRun = fn(z.string().max(64), async (importId) => {
  Partner.useManager();
  const { candidates: _all, ...result } = await check(importId);
  return result;
});

/** Starts the background job; with errors, only when the user chose to import the valid lines alone. */
export const start = fn(z.object({ importId: z.string().max(64), onlyValid: z.boolean() }), async (input) => {
  const actor = Partner.useManager();
  const companyId = useCompanyId();
  if ((await importRow(companyId, input.importId)).status !== "uploaded")
    throw new VisibleError("import.started", "This import has already started", 409);
  const result = await check(input.importId);
  if (result.errors.length > 0 && !input.onlyValid)
    throw new VisibleError(
      "import.has_errors",
      `The file has ${result.errors.length} error(s): fix them or import only the valid lines`,
      422,
    );
  if (result.valid === 0) throw new VisibleError("import.nothing_valid", "No line can be imported", 422);
  try {
    await PartnerImportEntity.patch({ companyId, importId: input.importId })
      .set({ status: "running", total: result.valid })
      .where(({ status }, { eq }) => eq(status, "uploaded"))
      .go();
  } catch {
    throw new VisibleError("import.started", "This import has already started", 409);
  }
  await Job.enqueue({ kind: "partners.import", companyId, importId: input.importId, userId: actor.userId });
  return progress(input.importId);
});

export const progress = fn(z.string().max(64), async (importId) => {
  Partner.useManager();
  const row = await importRow(useCompanyId(), importId);
  return {
    importId,
    status: row.status,
    total: row.total,
    created: row.created,
    skipped: row.skipped,
    finishedAt: row.finishedAt,
  };
});

export const ImportJob = z.object({
  kind: z.literal("partners.import"),
  companyId: z.string(),
  importId: z.string(),
  userId: z.string(),
});

export const ImportPartners = Job.define({
  kind: "partners.import",
  queue: "import",
  schema: ImportJob,
  run: async (job) => {
    const { data: row } = await PartnerImportEntity.get({
      companyId: job.companyId,
      importId: job.importId,
    }).go();
    if (row?.status !== "running") return { outcome: "skipped" };
    // A rerun re-reads the file: lines created by an earlier attempt now clash with themselves and are skipped.
    const result = await check(job.importId);
    let created = 0;
    for (let start = 0; start < result.candidates.length; start += 10) {
      const chunk = result.candidates.slice(start, start + 10);
      const outcomes = await Promise.allSettled(chunk.map((candidate) => Partner.insert(candidate.clean)));
      const made = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
      const failed = outcomes.find(
        (outcome) => outcome.status === "rejected" && !(outcome.reason instanceof VisibleError),
      );
      if (failed && failed.status === "rejected") throw failed.reason;
      created += made;
      await PartnerImportEntity.update({ companyId: job.companyId, importId: job.importId })
        .add({ created: made })
        .go({ response: "none" });
    }
    // « Terminé » and its audit entry appear together.
    await transactWrite([
      write.update(
        PartnerImportEntity.patch({ companyId: job.companyId, importId: job.importId })
          .set({ status: "done", finishedAt: new Date().toISOString() })
          .params(),
      ),
      Audit.entry("partner.imported", {
        target: { type: "import", id: job.importId, label: row.fileName },
        details: { created },
        onBehalfOf: { userId: row.createdBy, name: row.createdByName },
      }),
    ]);
    await Storage.remove("attachments", keyOf(job.companyId, job.importId));
    return { outcome: "done", created };
  },
});

/** The template offered for download: the expected headers and two example lines. */
export async function template() {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Partenaires",
      columns: columns.map((column) => ({ header: column.aliases[0]!, key: column.key, width: 18 })),
      rows: [
        {
          kind: "Personne",
          firstName: "Camille",
          lastName: "Dupont",
          matricule: "0042",
          categories: "Intérimaire",
          mobile: "06 12 34 56 78",
          email: "camille.dupont@exemple.fr",
          channel: "SMS",
          language: "FR",
        },
        {
          kind: "Organisation",
          organisation: "Bâtiment Durand SARL",
          matricule: "C-107",
          categories: "Client",
          email: "contact@durand.example.fr",
          channel: "Email",
          language: "FR",
        },
      ],
    },
  ]);
  return Buffer.concat(chunks);
}
