import { Entity, Service } from "electrodb";
import { entityConfig, lazy, onTable } from "../db";

/**
 * uploading → (dry run) checked → (start) queued → (worker claims) running → done | failed.
 * A dry run may be repeated while `uploading` or `checked` (new mapping, file uploaded again).
 */
export const statuses = ["uploading", "checked", "queued", "running", "done", "failed"] as const;
export type Status = (typeof statuses)[number];

const counter = { type: "number", required: true, default: 0 } as const;

/** One import of a spreadsheet of contacts: its file, dry-run summary, options and progress. */
export const ContactImportEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "contactImport", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          importId: { type: "string", required: true, readOnly: true },
          fileName: { type: "string", required: true, readOnly: true },
          size: { type: "number", required: true, readOnly: true },
          /** Under imports/<companyId>/<importId>/: never built from what the user typed. */
          fileKey: { type: "string", required: true, readOnly: true },
          status: { type: statuses, required: true, default: "uploading" },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          /** Who may see it besides its creator and Admins: the creator's agencies, then the chosen ones. */
          agencyIds: { type: "list", items: { type: "string" }, required: true },

          /** Dry run. */
          mapping: { type: "any" },
          headers: { type: "any" },
          total: counter,
          valid: counter,
          errorCount: counter,
          /** Lines holding those errors (absent on imports checked before it was counted). */
          errorLines: { type: "number" },
          checkedAt: { type: "string" },

          /** Start. */
          onlyValid: { type: "boolean" },
          listId: { type: "string" },
          startedBy: { type: "any" },
          queuedAt: { type: "string" },

          /** Run: the lease of the worker holding the job, and what is committed up to `checkpoint`. */
          runId: { type: "string" },
          leaseUntil: { type: "number" },
          runs: counter,
          failures: counter,
          checkpoint: counter,
          rowsDone: counter,
          created: counter,
          updated: counter,
          unchanged: counter,
          skipped: counter,
          errors: counter,
          startedAt: { type: "string" },
          finishedAt: { type: "string" },
          failureCode: { type: "string" },
          failureMessage: { type: "string" },
          reportKey: { type: "string" },
          /** Rows refused at write time (number and email held by two contacts), kept for the report. */
          conflicts: { type: "any" },
          /** Set when queued, removed by the sweeper once done or failed: the sparse `byActivity` index. */
          active: { type: ["import"] as const },
          activeSince: { type: "string" },

          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          updatedAt: {
            type: "string",
            required: true,
            default: () => new Date().toISOString(),
            watch: "*",
            set: () => new Date().toISOString(),
          },
        },
        indexes: {
          /** ULIDs sort by time: the newest imports come first in a reverse query. */
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["importId"] },
          },
          /** Sparse: only imports with `active`, across companies, for the sweeper. */
          byActivity: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["active"] },
            sk: { field: "gsi1sk", composite: ["activeSince"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * One per company while an import writes contacts: `Contact.upsertBatch` is not safe against a second
 * import of the same company merging the same numbers at the same time. Held under a lease the running
 * worker renews, so a crashed worker cannot block the company for longer than the lease.
 */
export const ContactImportLockEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "contactImportLock", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          importId: { type: "string", required: true },
          leaseUntil: { type: "number", required: true },
        },
        indexes: {
          byCompany: { pk: { field: "pk", composite: ["companyId"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

export const ContactImportService = lazy(
  () =>
    new Service(
      { contactImport: ContactImportEntity, contactImportLock: ContactImportLockEntity },
      entityConfig(),
    ),
);
