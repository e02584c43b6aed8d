import { z } from "zod";
import { Audit } from "../audit";
import { LaunchJob, scheduleName } from "../campaign/campaign";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import * as Queue from "../platform/queue";
import * as Scheduler from "../platform/scheduler";
import { nextAllowed, quietReason } from "./quiet-hours";
import { settingsOf } from "./settings";

/** Up to 25 messages of one campaign; `attempt` only grows the backoff of re-queued retries. */
export const SendJob = z.object({
  kind: z.literal("send"),
  companyId: z.string(),
  campaignId: z.string(),
  messageIds: z.array(z.string()).min(1).max(100),
});
export type SendJob = z.infer<typeof SendJob>;

export const Job = z.discriminatedUnion("kind", [LaunchJob, SendJob]);

export const batchSize = 25;
export { LaunchJob, scheduleName };

export type LaunchResult =
  | { outcome: "skipped"; reason: string }
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
  // claim each message conditionally); anything else already launched is left alone.
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
    if (quiet && !campaign.urgent) {
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
      await Scheduler.scheduleOnce({
        name: scheduleName(job.campaignId),
        at: new Date(deferredTo),
        input: job,
      });
      return { outcome: "deferred", deferredTo };
    }
    try {
      await CampaignEntity.patch(key)
        .set({ status: "sending", launchedAt: now.toISOString() })
        .where((attr, { eq }) => eq(attr.status, "scheduled"))
        .go();
    } catch (error) {
      if (isConditionalFailure(error)) return { outcome: "skipped", reason: "already_launched" };
      throw error;
    }
    if (quiet && campaign.urgent)
      await Audit.record("campaign.urgent_sent", {
        target: { type: "campaign", id: job.campaignId, label: campaign.title },
        details: { quiet, at: now.toISOString() },
      });
  }

  const counts = await fanOut(job);
  await CampaignEntity.patch(key).set({ fannedOut: true }).go();
  return { outcome: "launched", ...counts };
}

/** Pages the campaign's scheduled messages and enqueues them 25 to a send job, 10 jobs per SQS batch. */
export async function fanOut(job: { companyId: string; campaignId: string }) {
  let cursor: string | null = null;
  let jobs = 0;
  let messages = 0;
  do {
    const page: { data: Array<{ messageId: string }>; cursor: string | null } = await MessageEntity.query
      .byCampaign({ companyId: job.companyId, campaignId: job.campaignId })
      .where((attr, { eq }) => eq(attr.status, "scheduled"))
      .go({ cursor, limit: 1000, attributes: ["messageId"] });
    const outgoing: Queue.Outgoing[] = [];
    for (let start = 0; start < page.data.length; start += batchSize) {
      const messageIds = page.data.slice(start, start + batchSize).map((row) => row.messageId);
      const send: SendJob = {
        kind: "send",
        companyId: job.companyId,
        campaignId: job.campaignId,
        messageIds,
      };
      outgoing.push({ id: String(outgoing.length), body: send });
      messages += messageIds.length;
    }
    if (outgoing.length > 0) await Queue.sendBatch(config("DISPATCH_QUEUE_URL"), outgoing);
    jobs += outgoing.length;
    cursor = page.cursor;
  } while (cursor);
  return { jobs, messages };
}
