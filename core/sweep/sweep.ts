import * as z from "zod";
import { withActor } from "../actor";
import { CampaignEntity } from "../campaign/campaign.entity";
import { ContactImportEntity } from "../contact-import/contact-import.entity";
import { isConditionalFailure } from "../db";
import { completeIfDone } from "../delivery/completion";
import { fanOut } from "../delivery/dispatch";
import { recount } from "../delivery/status";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import { everyCompany, sweepEvery, sweepJob, sweepScheduleName } from "./schedule";

/**
 * The sweeper: finds campaigns and imports that stopped moving (their worker died, a queue was lost with a
 * local restart) and drives them again. Everything it re-enqueues is idempotent: send jobs send under
 * their lease only what is still scheduled, an import job claims only a queued import or an expired lease.
 * It reads the sparse `byActivity` indexes, never the whole table.
 */

export { everyCompany } from "./schedule";

export const SweepJob = z.object({
  kind: z.literal("sweep"),
  companyId: z.string().min(1),
  /** The queues were just lost (a local restart): whatever is unfinished is driven again, however recent. */
  afterRestart: z.boolean().optional(),
});
export type SweepJob = z.infer<typeof SweepJob>;

export const Sweep = Job.define({
  kind: "sweep",
  queue: "dispatch",
  schema: SweepJob,
  run: (job, { timeLeft }) => sweep({ companyId: job.companyId, afterRestart: job.afterRestart, timeLeft }),
});

/**
 * Longer than SQS's longest delay (15 minutes: backoffs, paced fan-outs), so a campaign quiet for this
 * long has no job on its way; anything still scheduled then was lost.
 */
export const staleMs = 16 * 60_000;
/** Delivery receipts and replies trail off within the 48 h retry window; then a campaign leaves the index. */
export const forgetMs = 3 * 24 * 3600_000;
/** Past its lease by this much, a running import's worker is dead (it renews the lease every second). */
const leaseGraceMs = 60_000;
/** Stop picking new items with this little of the invocation left: the next sweep goes on. */
const marginMs = 15_000;

export type Options = { companyId?: string; afterRestart?: boolean; now?: number; timeLeft?: () => number };
export type Outcome = { campaigns: Record<string, string>; imports: Record<string, string> };

export async function sweep({
  companyId = everyCompany,
  afterRestart = false,
  now = Date.now(),
  timeLeft,
}: Options = {}) {
  const outcome: Outcome = { campaigns: {}, imports: {} };
  const stale = afterRestart ? 0 : staleMs;
  const inTime = () => !timeLeft || timeLeft() > marginMs;
  const scoped = companyId !== everyCompany;
  let cursor: string | null = null;
  do {
    const page: { data: CampaignRow[]; cursor: string | null } = await CampaignEntity.query
      .byActivity({ active: "campaign" })
      .where((attr, { eq }) => (scoped ? eq(attr.companyId, companyId) : ""))
      .go({ cursor });
    for (const campaign of page.data) {
      if (!inTime()) return outcome;
      outcome.campaigns[campaign.campaignId] = await withActor(
        { type: "system", companyId: campaign.companyId, reason: "sweep" },
        () => sweepCampaign(campaign, now, stale),
      );
    }
    cursor = page.cursor;
  } while (cursor);
  do {
    const page: { data: ImportRow[]; cursor: string | null } = await ContactImportEntity.query
      .byActivity({ active: "import" })
      .where((attr, { eq }) => (scoped ? eq(attr.companyId, companyId) : ""))
      .go({ cursor });
    for (const row of page.data) {
      if (!inTime()) return outcome;
      outcome.imports[row.importId] = await sweepImport(row, now, stale);
    }
    cursor = page.cursor;
  } while (cursor);
  return outcome;
}

type CampaignRow = NonNullable<Awaited<ReturnType<ReturnType<typeof CampaignEntity.get>["go"]>>["data"]>;
type ImportRow = NonNullable<Awaited<ReturnType<ReturnType<typeof ContactImportEntity.get>["go"]>>["data"]>;

const at = (...dates: Array<string | undefined>) =>
  Math.max(0, ...dates.map((date) => (date ? Date.parse(date) : 0)));

async function sweepCampaign(campaign: CampaignRow, now: number, stale: number) {
  const key = { companyId: campaign.companyId, campaignId: campaign.campaignId };
  const lastMove = at(campaign.progressAt, campaign.launchedAt, campaign.activeSince);
  if (now - lastMove < stale) return "moving";
  if (campaign.status === "sending") {
    // Stalled: its still-scheduled messages go back on the queue, and the counters are made true.
    const { messages } = await fanOut(key);
    const counted = await recount(key);
    if (counted) await completeIfDone(counted);
    return messages > 0 ? `redriven ${messages}` : "recounted";
  }
  // A status event or reply whose consumer died between its write and its counter ADD: count again,
  // once per quiet spell (a recount after the last move is enough).
  const recounted = at(campaign.recountedAt) >= at(campaign.progressAt);
  if (!recounted) await recount(key);
  if ((campaign.status === "sent" || campaign.status === "cancelled") && now - lastMove > forgetMs) {
    await unlessMoved(
      CampaignEntity.patch(key)
        .remove(["active", "activeSince"])
        .where((attr, { ne }) => ne(attr.status, "sending"))
        .go(),
    );
    return "forgotten";
  }
  return recounted ? "quiet" : "recounted";
}

async function sweepImport(row: ImportRow, now: number, stale: number) {
  const key = { companyId: row.companyId, importId: row.importId };
  if (row.status === "done" || row.status === "failed") {
    await unlessMoved(
      ContactImportEntity.patch(key)
        .remove(["active", "activeSince"])
        .where((attr, { eq }) => eq(attr.status, row.status))
        .go(),
    );
    return "forgotten";
  }
  const job = { kind: "contacts", companyId: row.companyId, importId: row.importId };
  if (row.status === "queued" && now - at(row.queuedAt, row.activeSince) >= stale) {
    await Job.enqueue(job);
    return "redriven";
  }
  if (row.status !== "running") return "moving";
  const leaseEnds = row.leaseUntil ?? 0;
  // The import job resumes from its checkpoint; a live worker or a second copy makes it a no-op.
  if (leaseEnds < now - leaseGraceMs) {
    await Job.enqueue(job);
    return "redriven";
  }
  // After a restart the dead worker's lease may still run a while: the job comes when it is over.
  if (stale === 0) {
    await Job.enqueue(job, { delaySeconds: Math.min(900, Math.ceil((leaseEnds - now) / 1000) + 1) });
    return "redriven";
  }
  return "moving";
}

/** A conditional write refused because the item moved meanwhile: nothing to do. */
async function unlessMoved(write: Promise<unknown>) {
  try {
    await write;
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}

/**
 * The recurring sweep (the Scheduler stack creates the same schedule on AWS), plus one sweep now: after a
 * local restart, whatever the previous run left half-done is driven again without waiting five minutes.
 */
export async function scheduleAndSweepAfterRestart() {
  await Scheduler.rate(sweepScheduleName, sweepEvery, sweepJob);
  await Job.enqueue({ ...sweepJob, afterRestart: true } satisfies SweepJob);
}
