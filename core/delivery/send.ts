import { ulid } from "ulid";
import * as Attachments from "../campaign/attachments";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { config } from "../config";
import { ContactEntity } from "../contact/contact.entity";
import { isConditionalFailure } from "../db";
import * as Mailer from "../platform/mailer";
import * as Queue from "../platform/queue";
import * as Sms from "../platform/sms";
import { toText } from "../template/html";
import type { SendJob } from "./dispatch";
import { take } from "./rate-limit";
import { settingsOf } from "./settings";
import { advance, type MessageKey, type MessageRow, rank, Tally } from "./status";

/**
 * How long a claimed message belongs to one attempt. Shorter than the dispatch queue's visibility
 * timeout, so a job redelivered after a crash always finds the lease expired.
 */
export const leaseMs = 30_000;
/** Messages of one send job in flight at once. */
export const parallelSends = 1;
/** Transient failures are retried with backoff for this long, then the message is Échec. */
export const retryWindowMs = 48 * 3600_000;

export type SendOutcome = "sent" | "skipped" | "undeliverable" | "unsubscribed" | "failed" | "retry";

/** Backoff of re-queued retries: 10 s, 20 s, 40 s… capped at SQS's 15 minutes. */
const backoff = (attempts: number) => Math.min(900, 10 * 2 ** Math.max(0, attempts - 1));

/**
 * Sends the messages of one send job, each exactly once:
 *   1. claim: conditional update scheduled → sending (or an expired `sending` lease) with a fresh attempt id;
 *      a message in any other state is skipped, so a redelivered job or duplicate job sends nothing twice;
 *   2. one provider call (SMS with `context` echoed in its events; email with tags and Reply-To);
 *   3. record: conditional sending → sent with the provider's id, only if our attempt still holds it.
 *
 * CRASH WINDOW — the only place a message can go out twice: the process dies after the provider
 * accepted (2) and before (3) is written. The message stays `sending`; SQS redelivers the job after
 * its visibility timeout, by when the lease has expired. Two things keep this window small:
 *   - the provider's own events carry our message id (`context` / SES tags) and move the message to
 *     sent/delivered with the provider id (events.ts), so usually the redelivered job finds it sent and
 *     skips it;
 *   - only if no event arrived within the lease does the retry send again (at-least-once, never
 *     silently dropped). The gap between (2) and (3) is one DynamoDB write.
 *
 * Transient failures (throttling, 5xx, rate limit, a lease held by a concurrent attempt) hand the
 * message back (`scheduled`) and re-queue it with a delay; after 48 h it ends `failed` with the reason.
 * Permanent failures end `undeliverable` (or `unsubscribed` for opted-out numbers) and are not thrown.
 */
export async function sendJob(job: SendJob) {
  const key = { companyId: job.companyId, campaignId: job.campaignId };
  const { data: campaign } = await CampaignEntity.get(key).go();
  const outcomes: Record<string, SendOutcome> = {};
  // Cancelled or paused campaigns send nothing more; their messages stay scheduled.
  if (campaign?.status !== "sending") {
    for (const messageId of job.messageIds) outcomes[messageId] = "skipped";
    return outcomes;
  }
  const settings = await settingsOf(job.companyId);
  const tally = new Tally();
  const retry: Array<{ messageId: string; delay: number }> = [];
  // A few messages of the job in flight at once; each is still claimed and recorded on its own.
  let next = 0;
  const lane = async () => {
    while (next < job.messageIds.length) {
      const messageId = job.messageIds[next++]!;
      const result = await sendOne({ ...key, messageId }, campaign, settings.perSecond, tally);
      outcomes[messageId] = result.outcome;
      if (result.outcome === "retry") retry.push({ messageId, delay: result.delay });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelSends, job.messageIds.length) }, lane));
  // Re-queue before counting, so a crash here repeats the hand-back rather than losing a message.
  if (retry.length > 0) {
    const delay = Math.max(...retry.map((entry) => entry.delay));
    await Queue.send(
      config("DISPATCH_QUEUE_URL"),
      { ...job, messageIds: retry.map((entry) => entry.messageId) } satisfies SendJob,
      { delaySeconds: delay },
    );
  }
  const [after] = await tally.flush();
  if (after) await completeIfDone(after);
  return outcomes;
}

type Campaign = NonNullable<Awaited<ReturnType<ReturnType<typeof CampaignEntity.get>["go"]>>["data"]>;

async function sendOne(
  key: MessageKey,
  campaign: Campaign,
  perSecond: { sms: number; email: number },
  tally: Tally,
): Promise<{ outcome: SendOutcome; delay: number }> {
  const attemptId = ulid();
  const now = new Date();
  let message: MessageRow;
  try {
    const claimed = await MessageEntity.patch(key)
      .set({
        status: "sending",
        rank: rank.sending,
        attemptId,
        leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
        updatedAt: now.toISOString(),
      })
      .add({ attempts: 1 })
      .data((attr, { ifNotExists }) => {
        ifNotExists(attr.firstAttemptAt, now.toISOString());
      })
      .where(
        (attr, { eq, lt }) =>
          `(${eq(attr.status, "scheduled")} OR (${eq(attr.status, "sending")} AND ${lt(attr.leaseUntil, now.toISOString())}))`,
      )
      .go({ response: "all_new" });
    message = claimed.data as MessageRow;
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    const { data } = await MessageEntity.get(key).go();
    // Held by a live attempt elsewhere: look again once its lease is over, never drop it.
    if (data?.status === "sending" && data.leaseUntil) {
      const wait = Math.ceil((new Date(data.leaseUntil).getTime() - Date.now()) / 1000) + 1;
      return { outcome: "retry", delay: Math.min(900, Math.max(1, wait)) };
    }
    return { outcome: "skipped", delay: 0 };
  }

  const fail = async (status: "undeliverable" | "unsubscribed" | "failed", reason: string) => {
    await advance(key, status, { statusReason: reason.slice(0, 500) }, tally);
    return { outcome: status, delay: 0 } as const;
  };
  const handBack = async (reason: string) => {
    const first = new Date(message.firstAttemptAt ?? now.toISOString()).getTime();
    if (Date.now() - first > retryWindowMs) return fail("failed", reason);
    try {
      await MessageEntity.patch(key)
        .set({
          status: "scheduled",
          rank: rank.scheduled,
          lastError: reason.slice(0, 500),
          leaseUntil: now.toISOString(),
        })
        .where((attr, { eq }) => `${eq(attr.status, "sending")} AND ${eq(attr.attemptId, attemptId)}`)
        .go({ response: "none" });
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    return { outcome: "retry" as const, delay: backoff(message.attempts ?? 1) };
  };

  // Opted out since the campaign was written: never sent, counted Désabonné.
  if (message.contactId) {
    const { data: contact } = await ContactEntity.get({
      companyId: key.companyId,
      contactId: message.contactId,
    }).go();
    if (message.channel === "sms" && contact?.optOutSmsAt)
      return fail("unsubscribed", `Opted out (${contact.optOutSmsSource ?? "STOP"})`);
    if (message.channel === "email" && contact?.optOutEmailAt)
      return fail("unsubscribed", `Opted out (${contact.optOutEmailSource ?? "unsubscribe"})`);
  }
  if (!(await take(key.companyId, message.channel, perSecond[message.channel])))
    return handBack("RATE_LIMITED");

  let providerMessageId: string;
  try {
    providerMessageId =
      message.channel === "sms" ? await sendSms(message, campaign) : await sendEmail(message, campaign);
  } catch (error) {
    if (error instanceof Sms.SmsError) {
      if (error.kind === "transient") return handBack(error.reason);
      if (error.reason === "DESTINATION_PHONE_NUMBER_OPTED_OUT") return fail("unsubscribed", error.reason);
      return fail("undeliverable", error.reason);
    }
    const kind = mailErrorKind(error);
    if (kind === "permanent") return fail("undeliverable", (error as Error).name || "REJECTED");
    return handBack(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }

  // Accepted by the provider. The crash window is here, until this write lands.
  try {
    const sentAt = new Date().toISOString();
    await MessageEntity.patch(key)
      .set({
        status: "sent",
        rank: rank.sent,
        providerMessageId,
        sentAt,
        question: campaign.kind === "yesno",
        updatedAt: sentAt,
      })
      .where((attr, { eq }) => `${eq(attr.status, "sending")} AND ${eq(attr.attemptId, attemptId)}`)
      .go({ response: "none" });
    tally.move(key, { status: "sending" }, { status: "sent" });
  } catch (error) {
    // An event got there first (already sent/delivered): nothing to add.
    if (!isConditionalFailure(error)) throw error;
  }
  return { outcome: "sent", delay: 0 };
}

function sendSms(message: MessageRow, campaign: Campaign) {
  return Sms.send({
    to: message.to,
    body: message.body ?? "",
    originationIdentity: campaign.originationIdentity,
    // Yes/No questions and agency notices are service messages, not marketing.
    messageType: "TRANSACTIONAL",
    context: { companyId: message.companyId, campaignId: message.campaignId, messageId: message.messageId },
    timeToLive: campaign.kind === "yesno" ? 24 * 3600 : undefined,
  });
}

/** Replies come back to reply+<companyId>.<messageId>@<our domain>, routed to the app by SES receipt rules. */
export const replyAddress = (companyId: string, messageId: string) =>
  `reply+${companyId}.${messageId}@${config("MAIL_FROM").split("@")[1]}`;

async function sendEmail(message: MessageRow, campaign: Campaign) {
  const html = message.html ?? "";
  const attachments = campaign.filesInEmail
    ? await Attachments.forEmail(message.companyId, (campaign.attachments ?? []) as Attachments.FileInfo[])
    : undefined;
  return Mailer.send({
    attachments,
    to: [message.to],
    subject: message.subject ?? "",
    html,
    text: toText(html),
    replyTo: [replyAddress(message.companyId, message.messageId)],
    tags: { companyId: message.companyId, campaignId: message.campaignId, messageId: message.messageId },
  });
}

function mailErrorKind(error: unknown): "transient" | "permanent" {
  if (!(error instanceof Error)) return "transient";
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (
    /Throttl|TooManyRequests|LimitExceeded|Timeout/i.test(error.name) ||
    status === 429 ||
    status >= 500 ||
    status === 0
  )
    return "transient";
  return "permanent";
}

/** Every message has left scheduled/sending: the campaign is Envoyé. */
export async function completeIfDone(campaign: Campaign) {
  const done =
    campaign.sent +
    campaign.delivered +
    campaign.undeliverable +
    campaign.failed +
    campaign.replied +
    campaign.unsubscribed;
  if (done < campaign.smsCount + campaign.emailCount) return;
  try {
    await CampaignEntity.patch({ companyId: campaign.companyId, campaignId: campaign.campaignId })
      .set({ status: "sent" })
      .where((attr, { eq }) => eq(attr.status, "sending"))
      .go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}
