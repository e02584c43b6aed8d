import { withActor } from "../actor";
import { CampaignEntity } from "../campaign/campaign.entity";
import { CampaignCompleted } from "../campaign/campaign.events";
import { isConditionalFailure, write } from "../db";
import * as Event from "../event";

/**
 * Where a campaign's sending stands, apart from send.ts so the status-event handlers reach it without
 * the send path's providers, templates and attachments (their bundles stay small).
 */
export type Campaign = NonNullable<Awaited<ReturnType<ReturnType<typeof CampaignEntity.get>["go"]>>["data"]>;

/** Transient failures are retried with backoff for this long, then the message is Échec. */
export const retryWindowMs = 48 * 3600_000;

/** Backoff of re-queued retries: 10 s, 20 s, 40 s… capped at SQS's 15 minutes. */
export const backoff = (attempts: number) => Math.min(900, 10 * 2 ** Math.max(0, attempts - 1));

/** Messages of the campaign that have left scheduled/sending, by its counters (older ones: their histogram). */
export const doneCount = (campaign: Campaign) =>
  campaign.countsVersion === 2
    ? (campaign.done ?? 0)
    : campaign.sent +
      campaign.delivered +
      campaign.undeliverable +
      campaign.failed +
      campaign.replied +
      campaign.unsubscribed;

/**
 * Every message has left scheduled/sending: the campaign is Envoyé, and `campaign.completed` is recorded
 * with that move (one transaction, once per move: the condition refuses a second).
 */
export async function completeIfDone(campaign: Campaign) {
  const messages = campaign.smsCount + campaign.emailCount;
  if (doneCount(campaign) < messages) return;
  const { companyId, campaignId, title } = campaign;
  try {
    await withActor({ type: "system", companyId, reason: "campaign completed" }, () =>
      Event.commit(
        [
          write.update(
            CampaignEntity.patch({ companyId, campaignId })
              .set({ status: "sent" })
              .where((attr, { eq }) => eq(attr.status, "sending"))
              .params(),
          ),
        ],
        [CampaignCompleted.create({ campaignId, title, messages })],
      ),
    );
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}
