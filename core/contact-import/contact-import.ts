import { ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency, forbidden } from "../access";
import { useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Jobs from "../job";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
import { expected, type Field, Mapping, plan } from "./columns";
import { ContactImportEntity, type Status, statuses } from "./contact-import.entity";
import type { Job } from "./job";
import * as ListFill from "./list-fill";
import { checkedRows, limits, uploadKey } from "./source";
import { columnOf, type LineError, type Pending } from "./validate";

export { Mapping } from "./columns";
export { Job, run } from "./job";
export { limits } from "./source";

export type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof ContactImportEntity.get>["go"]>>["data"]>;

const Counts = z.object({
  total: z.number().int(),
  rowsDone: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  errors: z.number().int(),
});

export const Headers = z.object({
  matched: z.array(z.object({ key: z.string(), header: z.string() })),
  unknown: z.array(z.string()),
  missing: z.array(z.string()),
});
export type Headers = z.infer<typeof Headers>;

export const Info = z.object({
  importId: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  status: z.enum(statuses),
  createdAt: z.string(),
  createdBy: z.object({ userId: z.string(), name: z.string() }),
  agencyIds: z.array(z.string()),
  listId: z.string().optional(),
  onlyValid: z.boolean().optional(),
  check: z
    .object({
      total: z.number().int(),
      valid: z.number().int(),
      errors: z.number().int(),
      /** Lines with at least one error; a line may hold several (`errors`). */
      errorLines: z.number().int().optional(),
      checkedAt: z.string(),
      mapping: Mapping.optional(),
      headers: Headers.optional(),
    })
    .optional(),
  progress: Counts.extend({ percent: z.number().min(0).max(100) }),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
  hasReport: z.boolean(),
  /** Worker runs so far: more than one after a continuation, a retry or a crash. */
  runs: z.number().int(),
  /** Running, but no worker has reported for a few minutes: it will be resumed by SQS's next delivery. */
  stalled: z.boolean(),
});
export type Info = z.infer<typeof Info>;

const stalledAfterMs = 5 * 60_000;

export function toInfo(row: Row): Info {
  const total = row.total;
  return {
    importId: row.importId,
    fileName: row.fileName,
    size: row.size,
    status: row.status,
    createdAt: row.createdAt,
    createdBy: { userId: row.createdBy, name: row.createdByName },
    agencyIds: [...row.agencyIds],
    listId: row.listId,
    onlyValid: row.onlyValid,
    check: row.checkedAt
      ? {
          total: row.total,
          valid: row.valid,
          errors: row.errorCount,
          errorLines: row.errorLines,
          checkedAt: row.checkedAt,
          mapping: row.mapping as Mapping | undefined,
          headers: row.headers as Headers | undefined,
        }
      : undefined,
    progress: {
      total,
      rowsDone: row.rowsDone,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      skipped: row.skipped,
      errors: row.errors,
      percent:
        row.status === "done" ? 100 : total > 0 ? Math.min(100, Math.floor((row.rowsDone / total) * 100)) : 0,
    },
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    failure: row.failureCode ? { code: row.failureCode, message: row.failureMessage ?? "" } : undefined,
    hasReport: Boolean(row.reportKey),
    runs: row.runs,
    stalled: row.status === "running" && (row.leaseUntil ?? 0) + stalledAfterMs < Date.now(),
  };
}

const notFound = () => new VisibleError("import.not_found", "Import not found", 404);

/** Imports an acting user may see: their own, those of their agencies, all of them for an Admin. */
function canSee(row: Row) {
  const actor = useUser();
  return (
    actor.role === "admin" ||
    row.createdBy === actor.userId ||
    row.agencyIds.some((agencyId: string) => actor.agencyIds.includes(agencyId))
  );
}

async function visible(importId: string) {
  const found = await ContactImportEntity.get({ companyId: useCompanyId(), importId }).go({
    consistent: true,
  });
  if (!found.data || !canSee(found.data)) throw notFound();
  return found.data;
}

export const fromId = fn(z.string(), async (importId) => toInfo(await visible(importId)));

/** Same person, same file: a dry run retried on it makes the earlier one pointless. */
const sameFile = (row: Row) => `${row.createdBy}\n${row.size}\n${row.fileName}`;

/**
 * The company's latest imports the acting user may see, newest first. A checked import followed by a
 * newer one of the same file and person is left out: retrying a dry run must not pile up « Vérifié » rows.
 */
export const list = fn(
  z.object({ limit: z.number().int().min(1).max(100).default(20) }),
  async ({ limit }) => {
    const actor = useUser();
    const page = await ContactImportEntity.query
      .byCompany({ companyId: useCompanyId() })
      .where(({ createdBy, agencyIds }, { eq, contains }) =>
        actor.role === "admin"
          ? ""
          : [eq(createdBy, actor.userId), ...actor.agencyIds.map((id) => contains(agencyIds, id))].join(
              " OR ",
            ),
      )
      .go({ order: "desc", limit: limit * 2, pages: 5 });
    const newer = new Set<string>();
    const shown = page.data.filter((row) => {
      const key = sameFile(row);
      const superseded = row.status === "checked" && newer.has(key);
      newer.add(key);
      return !superseded;
    });
    return shown.slice(0, limit).map(toInfo);
  },
);

/**
 * Step 1: an import waiting for its file, and a presigned POST that lets the browser upload it straight
 * to S3. S3 itself refuses more than `limits.maxBytes` (policy condition), whatever the client says.
 */
export const create = fn(
  z.object({ fileName: z.string().trim().min(1).max(200), size: z.number().int().min(1) }),
  async (input) => {
    const actor = useUser();
    if (input.size > limits.maxBytes) {
      throw new Spreadsheet.SpreadsheetError("spreadsheet.too_large", "The file is larger than 10 MB.", {
        maxBytes: limits.maxBytes,
      });
    }
    if (/\.xls$/i.test(input.fileName)) {
      throw new Spreadsheet.SpreadsheetError(
        "spreadsheet.unsupported_format",
        "Excel 97-2003 workbooks (.xls) cannot be imported. Save the file as an Excel workbook (.xlsx) or as CSV and try again.",
        { detected: "xls" },
      );
    }
    const companyId = useCompanyId();
    const importId = ulid();
    const key = uploadKey(companyId, importId);
    const created = await ContactImportEntity.create({
      companyId,
      importId,
      fileName: input.fileName,
      size: input.size,
      fileKey: key,
      createdBy: actor.userId,
      createdByName: actor.name,
      agencyIds: [...actor.agencyIds],
    }).go();
    const expiresIn = 900;
    const upload = await Storage.presignUpload("attachments", key, { maxBytes: limits.maxBytes, expiresIn });
    return {
      import: toInfo(created.data as Row),
      upload: {
        url: upload.url,
        fields: upload.fields,
        maxBytes: limits.maxBytes,
        expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
      },
    };
  },
);

export const previewSize = 20;
export const maxListedErrors = 1000;

export const Preview = z.object({
  line: z.number().int(),
  civility: z.enum(["M", "Mme"]).optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  mobile: z.string().optional(),
  smsCapable: z.boolean(),
  /** Absent when the file says nothing: new contacts are then "externe", existing ones keep theirs. */
  type: z.string().optional(),
  skills: z.array(z.string()).optional(),
  description: z.string().optional(),
  position: z.string().optional(),
  preferredChannel: z.string().optional(),
  customFields: z.record(z.string(), z.string()).optional(),
});

export const LineErrorInfo = z.object({
  line: z.number().int(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
  value: z.string().optional(),
  cell: z.string().optional(),
});

const checkable: Status[] = ["uploading", "checked"];

/**
 * Step 2, the dry run: reads the uploaded file through the spreadsheet reader, validates every row as the
 * worker will, and lists every error with its line and column. Writes nothing but the import's summary.
 * A file that cannot be read at all (format, size, rows, zip bomb) is refused with the reader's code.
 */
export const check = fn(
  z.object({ importId: z.string().max(64), mapping: Mapping.optional() }),
  async ({ importId, mapping }) => {
    const row = await visible(importId);
    if (!checkable.includes(row.status)) {
      throw new VisibleError("import.already_started", "This import has already started", 409);
    }
    const columns = plan(mapping);
    const pending: Pending[] = [];
    const warned: Pending[] = [];
    let errorCount = 0;
    let errorLines = 0;
    let warningCount = 0;
    let valid = 0;
    const preview: Array<z.infer<typeof Preview>> = [];
    const rows = checkedRows({ key: row.fileKey, fileName: row.fileName }, columns);
    let next = await rows.next();
    for (; !next.done; next = await rows.next()) {
      const checked = next.value;
      if (checked.ok) {
        valid++;
        if (preview.length < previewSize) preview.push({ line: checked.line, ...checked.value });
        // Imported all the same (a first name is enough), but a recruiter wants to know before.
        if (!checked.value.lastName) {
          warningCount++;
          if (warned.length < maxListedErrors)
            warned.push({
              line: checked.line,
              field: "lastName",
              code: "import.last_name_missing",
              message: `Line ${checked.line}: no last name, the contact will be imported without one`,
            });
        }
        continue;
      }
      errorLines++;
      for (const error of checked.errors) {
        errorCount++;
        if (pending.length < maxListedErrors) pending.push(error);
      }
    }
    const summary = next.value;
    const matchedKeys = new Set<string>(summary.header.matched.map((match) => match.key));
    const headers: Headers = {
      matched: summary.header.matched,
      unknown: summary.header.unknown.filter((header) => !columns.customs.has(header)),
      missing: expected.filter((field: Field) => !matchedKeys.has(field)),
    };
    const errors: LineError[] = pending.map(columnOf(summary.header));
    const warnings: LineError[] = warned.map(columnOf(summary.header));
    const total = summary.rows;
    try {
      const updated = await ContactImportEntity.patch({ companyId: useCompanyId(), importId })
        .set({
          status: "checked",
          mapping,
          headers,
          total,
          valid,
          errorCount,
          errorLines,
          checkedAt: new Date().toISOString(),
        })
        .where(({ status }, { eq }) => checkable.map((value) => eq(status, value)).join(" OR "))
        .go({ response: "all_new" });
      return {
        import: toInfo(updated.data as Row),
        total,
        valid,
        errorCount,
        errorLines,
        errors,
        truncated: errorCount > errors.length,
        warningCount,
        warnings,
        headers,
        preview,
      };
    } catch (error) {
      if (isConditionalFailure(error)) {
        throw new VisibleError("import.already_started", "This import has already started", 409);
      }
      throw error;
    }
  },
);

export const StartInput = z.object({
  importId: z.string().max(64),
  agencyIds: z.array(z.string().max(64)).min(1, "Pick at least one agency").max(50),
  listId: z.string().max(64).optional(),
  onlyValid: z.boolean().optional(),
});

/**
 * Step 3: checks the agencies (and list), then hands the import to the worker through the import queue.
 * Refused while the dry run found errors, unless the user agreed to import only the valid lines.
 */
export const start = fn(StartInput, async (input) => {
  const actor = useUser();
  const row = await visible(input.importId);
  if (row.status !== "checked") {
    throw row.status === "uploading"
      ? new VisibleError("import.not_checked", "Run the dry run (check) first", 409)
      : new VisibleError("import.already_started", "This import has already started", 409);
  }
  const agencyIds = [...new Set(input.agencyIds)].sort();
  if (!agencyIds.every((agencyId) => canSeeAgency(actor, agencyId)))
    forbidden("You cannot use these agencies");
  await Agency.assertUsable(agencyIds);
  if (row.errorCount > 0 && !input.onlyValid) {
    throw new VisibleError(
      "import.has_errors",
      `The dry run found ${row.errorCount} error(s): fix the file, or import only the valid lines`,
      422,
      { errors: row.errorCount },
    );
  }
  if (row.valid === 0)
    throw new VisibleError("import.nothing_valid", "No line of the file can be imported", 422);
  const listFields = [...plan(row.mapping as Mapping | undefined).listFields.values()];
  if (input.listId) await ListFill.assertUsable(input.listId, listFields);
  else if (listFields.length > 0) {
    throw new VisibleError("import.list_required", "Columns are mapped to list fields: pick the list", 400);
  }

  const companyId = useCompanyId();
  const queuedAt = new Date().toISOString();
  try {
    await ContactImportEntity.patch({ companyId, importId: row.importId })
      .set({
        status: "queued",
        active: "import",
        activeSince: queuedAt,
        agencyIds,
        listId: input.listId,
        onlyValid: input.onlyValid ?? false,
        startedBy: {
          userId: actor.userId,
          name: actor.name,
          role: actor.role,
          agencyIds: actor.agencyIds,
        },
        queuedAt,
      })
      .where(
        ({ status, checkedAt }, { eq }) => `${eq(status, "checked")} AND ${eq(checkedAt, row.checkedAt!)}`,
      )
      .go();
  } catch (error) {
    if (isConditionalFailure(error)) {
      throw new VisibleError("import.changed", "The import changed meanwhile: check it again", 409);
    }
    throw error;
  }
  const job: Job = { kind: "contacts", companyId, importId: row.importId };
  try {
    await Jobs.enqueue(job);
  } catch (error) {
    // Nothing will pick the import up: put it back so that it can be started again.
    await ContactImportEntity.patch({ companyId, importId: row.importId })
      .set({ status: "checked" })
      .where(({ status }, { eq }) => eq(status, "queued"))
      .go()
      .catch(() => undefined);
    throw error;
  }
  return toInfo(await visible(row.importId));
});

/** A short-lived link to the error report (.xlsx) of a finished import. */
export const reportLink = fn(z.string().max(64), async (importId) => {
  const row = await visible(importId);
  if (!row.reportKey) {
    throw new VisibleError(
      "import.no_report",
      row.status === "done" || row.status === "failed"
        ? "This import had no error"
        : "The error report is written when the import ends",
      404,
    );
  }
  const base = row.fileName.replace(/\.[^.]*$/, "") || "import";
  const fileName = `erreurs-${base}.xlsx`;
  const expiresIn = 300;
  return {
    url: await Storage.presignDownload("attachments", row.reportKey, { fileName, expiresIn }),
    fileName,
    expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
  };
});

/**
 * GDPR erasure: the rows an import kept for its report (conflicts) lose the person's values. The report
 * file itself, in S3, is written from them at the end of the import and is not rewritten.
 */
export async function forgetPerson(personal: string[]) {
  const strings = personal.filter((value) => value.length >= 3);
  const companyId = useCompanyId();
  const found = await ContactImportEntity.query.byCompany({ companyId }).go({ pages: "all" });
  let changed = 0;
  for (const row of found.data) {
    const conflicts = (row.conflicts as LineError[] | undefined) ?? [];
    const quoting = (error: LineError) => strings.some((text) => JSON.stringify(error).includes(text));
    if (!conflicts.some(quoting)) continue;
    const kept = conflicts.map((error) =>
      quoting(error) ? { ...error, value: undefined, message: "—" } : error,
    );
    await ContactImportEntity.patch({ companyId, importId: row.importId }).set({ conflicts: kept }).go();
    changed++;
  }
  return changed;
}

export { template } from "./report";
