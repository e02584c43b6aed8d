import * as z from "zod";
import { CompanyEntity } from "../company/company.entity";
import { BatchWriter, isConditionalFailure, scanCompany } from "../db";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import * as Storage from "../platform/storage";
import { record } from "./audit";

/**
 * A closed company's erasure, once its grace period is over: every item and object of the company goes,
 * except what the platform must keep — the company's own row (its name and code, state « erased »), its
 * monthly usage (the invoices' basis, no personal data) and the operators' audit log.
 */
export const kept = new Set(["company", "spend", "operatorAudit"]);

/**
 * Every object key names its company as the first or second folder; these are the folders. A test reads
 * core/ for key builders, so a new folder fails it until it is listed here.
 */
export const companyFolders = (companyId: string): Array<[Storage.Bucket, string]> => [
  ["vault", `documents/${companyId}/`],
  ["attachments", `campaign-attachments/${companyId}/`],
  ["attachments", `companies/${companyId}/`],
  ["attachments", `imports/${companyId}/`],
  ["attachments", `imports/users/${companyId}/`],
  ["attachments", `imports/customers/${companyId}/`],
  ["attachments", `imports/partners/${companyId}/`],
  ["attachments", `imports/staff-groups/${companyId}/`],
  ["attachments", `recruitment/${companyId}/`],
  ["attachments", `announcements/${companyId}/`],
];

export const EraseJob = z.object({
  kind: z.literal("company.erase"),
  companyId: z.string(),
  /** Where the previous invocation's Scan stopped (a job hands over to the next past its time). */
  cursor: z.record(z.string(), z.unknown()).optional(),
  items: z.number().int().optional(),
  objects: z.number().int().optional(),
});
export type EraseJob = z.infer<typeof EraseJob>;

export const EraseCompany = Job.define({
  kind: "company.erase",
  queue: "erasure",
  schema: EraseJob,
  run: (job, { timeLeft }) => erase(job, { timeLeft }),
});

export const scheduleName = (companyId: string) => `company-erase-${companyId}`;

/** Called when a company closes: its erasure at the end of the grace period (a retried create is harmless). */
export async function schedule(companyId: string, at: Date) {
  await Scheduler.at(scheduleName(companyId), at, { kind: "company.erase", companyId } satisfies EraseJob);
}

/** Stop scanning with this little left, and hand over to a new message. */
const margin = 60_000;

/**
 * Runs only for a company still « closing » whose date has come: a reactivated company, or one already
 * erased, is left alone (a schedule retried after the fact does nothing). Deletions are idempotent, so a
 * crash anywhere is repaired by the redelivery starting again.
 */
export async function erase(job: EraseJob, options: { timeLeft?: () => number; now?: Date } = {}) {
  const { companyId } = job;
  const { data: company } = await CompanyEntity.get({ companyId }).go();
  if (company?.state !== "closing" || !company.erasureAt) return { skipped: true };
  if (new Date(company.erasureAt) > (options.now ?? new Date())) return { skipped: true };
  const timeLeft = options.timeLeft ?? (() => Number.POSITIVE_INFINITY);

  let objects = job.objects ?? 0;
  // Objects first, then items (a hand-over carries a cursor once the objects are gone).
  if (!job.cursor)
    for (const [bucket, prefix] of companyFolders(companyId))
      for await (const keys of Storage.keysUnder(bucket, prefix)) {
        await Storage.removeMany(bucket, keys);
        objects += keys.length;
      }

  let items = job.items ?? 0;
  let cursor = job.cursor;
  const writer = new BatchWriter(4);
  do {
    if (timeLeft() < margin) {
      const next: EraseJob = { ...job, cursor, items, objects };
      await Job.enqueue(next);
      return { handedOver: true as const, next, items, objects };
    }
    const page = await scanCompany(companyId, cursor);
    const doomed = page.items.filter((item) => !kept.has(item.entity));
    await writer.remove(doomed.map(({ pk, sk }) => ({ pk, sk })));
    items += doomed.length;
    cursor = page.cursor;
  } while (cursor);

  const erasedAt = new Date().toISOString();
  try {
    await CompanyEntity.patch({ companyId })
      .set({ state: "erased", stateChangedAt: erasedAt, erasedAt })
      .remove(["exportKey", "exportedAt"])
      .where(({ state }, { eq }) => eq(state, "closing"))
      .go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    // Another delivery finished first: it erased the company and recorded it.
    return { items, objects };
  }
  await record("company.erased", {
    operator: { operatorId: "system", name: "Relais" },
    company: { companyId, name: company.name },
    details: { items, objects },
  });
  return { items, objects };
}
