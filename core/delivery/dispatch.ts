import * as z from "zod";
import { Audit } from "../audit";
import { LaunchJob, scheduleName } from "../campaign/campaign";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { jobSize } from "../campaign/jobs";
import { parkedWhileClosed } from "../company/parking";
import { isConditionalFailure } from "../db";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import { nextAllowed, quietReason } from "./quiet-hours";
import { settingsOf } from "./settings";

/**
 * Messages of one send job (all of it, or those still to go). `jobId` names the job every message was
 * given when written; bodies from before jobs existed have none and run each message as its own job.
 * `attempt` is read from older bodies only.
 */
export const SendJob = z.object({
  kind: z.literal("send"),
  companyId: z.string(),
  campaignId: z.string(),
  jobId: z.string().optional(),
  messageIds: z.array(z.string()).min(1).max(100),
  attempt: z.number().int().positive().optional(),
});
export type SendJob = z.infer<typeof SendJob>;

export { assignJobs, jobSize } from "../campaign/jobs";
export { LaunchJob, scheduleName };

/** A campaign's launch, by the Scheduler at its send time (or at once): see `launch`. */
export const LaunchCampaign = Job.define({
  kind: "campaign.launch",
  queue: "dispatch",
  schema: LaunchJob,
  run: async (job): Promise<LaunchResult> =>
    (await parkedWhileClosed(job))
      ? { outcome: "parked" }
      : launch(job, job.at ? new Date(job.at) : new Date()),
});

export type LaunchResult =
  | { outcome: "skipped"; reason: string }
  /** The company is suspended: kept until it is reactivated (core/company/parking.ts). */
  | { outcome: "parked" }
  | { outcome: "deferred"; deferredTo: string }
  | { outcome: "launched"; jobs: number; messages: number };

/**
 * Starts a campaign: at most once (conditional scheduled → sending), after quiet hours unless urgent,
 * then cuts its still-scheduled messages into send jobs. A re-fired schedule or a redelivered launch
 * finds the campaign already `sending` with its fan-out done, and does nothing.
 */
export async function launch(job: LaunchJob, now = new Date()): Promise<LaunchResult> {
  const key = { companyId: job.companyId, campaignId: job.campaignId };
  const { data: campaign } = await CampaignEntity.get(key).go();
  if (!campaign) return { outcome: "skipped", reason: "not_found" };
  // A launch that crashed half-way through its fan-out is resumed (fan-out is idempotent: send jobs
  // send under their job's lease only what is still to send); anything else already launched is left alone.
  const resuming =
    campaign.status === "sending" &&
    !campaign.fannedOut &&
    new Date(campaign.launchedAt ?? 0).getTime() < now.getTime() - 60_000;
  if (campaign.status !== "scheduled" && !resuming) return { outcome: "skipped", reason: campaign.status };
  // Rescheduled later: an older schedule that still fired must not send early.
  if (!resuming && new Date(campaign.sendAt).getTime() > now.getTime() + 60_000)
    return { outcome: "skipped", reason: "not_yet" };

  if (!resuming) {
    const { quietHours } = await settingsOf(job.companyId);
    const quiet = quietReason(now, quietHours);
    if (quiet && !campaign.urgent && !campaign.transactional) {
      const deferredTo = nextAllowed(now, quietHours).toISOString();
      try {
        await CampaignEntity.patch(key)
          .set({ deferredTo, sendAt: deferredTo })
          .where((attr, { eq }) => eq(attr.status, "scheduled"))
          .go();
      } catch (error) {
        if (isConditionalFailure(error)) return { outcome: "skipped", reason: "changed" };
        throw error;
      }
      await Scheduler.at(scheduleName(job.campaignId), new Date(deferredTo), job);
      return { outcome: "deferred", deferredTo };
    }
    try {
      await CampaignEntity.patch(key)
        // Listed for the sweeper (core/sweep) until it has been quiet for days.
        .set({
          status: "sending",
          launchedAt: now.toISOString(),
          active: "campaign",
          activeSince: now.toISOString(),
        })
        .where((attr, { eq }) => eq(attr.status, "scheduled"))
        .go();
    } catch (error) {
      if (isConditionalFailure(error)) return { outcome: "skipped", reason: "already_launched" };
      throw error;
    }
    // Every urgent launch, in or out of quiet hours, under the name of the user who asked for it.
    if (campaign.urgent)
      await Audit.record("campaign.urgent_sent", {
        target: { type: "campaign", id: job.campaignId, label: campaign.title },
        details: { quiet: quiet ?? null, at: now.toISOString() },
        onBehalfOf: { userId: campaign.createdBy, name: campaign.createdByName },
      });
  }

  const counts = await fanOut(job, { pace: paceOf(campaign, (await settingsOf(job.companyId)).perSecond) });
  await CampaignEntity.patch(key).set({ fannedOut: true }).go();
  return { outcome: "launched", ...counts };
}

/**
 * Messages a second a campaign can go out at under its company's rate limits: its SMS at the SMS rate and
 * its emails at the email rate, side by side. 0 when no limit applies.
 */
export function paceOf(
  campaign: { smsCount: number; emailCount: number },
  perSecond: { sms: number; email: number },
) {
  const seconds = Math.max(
    perSecond.sms > 0 ? campaign.smsCount / perSecond.sms : 0,
    perSecond.email > 0 ? campaign.emailCount / perSecond.email : 0,
  );
  return seconds > 0 ? (campaign.smsCount + campaign.emailCount) / seconds : 0;
}

/**
 * Pages the campaign's scheduled messages and enqueues one send job per job id, 10 jobs per SQS batch.
 * Jobs were fixed when the messages were written, so a resumed fan-out enqueues the same jobs again. A
 * job goes as soon as all 25 of its messages are seen; smaller ones (the last, or what a resumed launch
 * finds left) once every page is read, so no job is cut in two and made to wait for its own lease.
 */
export async function fanOut(
  job: { companyId: string; campaignId: string },
  { pageSize = 1000, pace = 0 }: { pageSize?: number; pace?: number } = {},
) {
  let cursor: string | null = null;
  let jobs = 0;
  let messages = 0;
  const partial = new Map<string, string[]>();
  const enqueue = async (groups: Array<[string, string[]]>) => {
    const outgoing = groups.map(([jobId, messageIds], index) => ({
      id: String(index),
      // Paced at the rate limit: each job comes when its tokens should be free, rather than every job
      // at once fighting for the first seconds' tokens (SQS delays at most 15 minutes).
      delaySeconds: pace > 0 ? Math.min(900, Math.floor(((jobs + index) * jobSize) / pace)) : undefined,
      job: {
        kind: "send",
        companyId: job.companyId,
        campaignId: job.campaignId,
        jobId,
        messageIds,
      } satisfies SendJob,
    }));
    if (outgoing.length > 0) await Job.enqueueBatch(outgoing);
    jobs += outgoing.length;
    for (const [, messageIds] of groups) messages += messageIds.length;
  };
  do {
    const page: { data: Array<{ messageId: string; jobId?: string }>; cursor: string | null } =
      await MessageEntity.query
        .byCampaign({ companyId: job.companyId, campaignId: job.campaignId })
        .where((attr, { eq }) => eq(attr.status, "scheduled"))
        .go({ cursor, limit: pageSize, attributes: ["messageId", "jobId"] });
    const full: Array<[string, string[]]> = [];
    for (const row of page.data) {
      const jobId = row.jobId ?? row.messageId;
      const group = [...(partial.get(jobId) ?? []), row.messageId];
      // Older messages without a job are each their own.
      if (group.length === jobSize || !row.jobId) {
        partial.delete(jobId);
        full.push([jobId, group]);
      } else partial.set(jobId, group);
    }
    await enqueue(full);
    cursor = page.cursor;
  } while (cursor);
  await enqueue([...partial]);
  return { jobs, messages };
}
