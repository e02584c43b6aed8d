import { monotonicFactory } from "ulid";
import * as Attachments from "../campaign/attachments";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { config } from "../config";
import { ContactEntity } from "../contact/contact.entity";
import { isConditionalFailure, leanUpdate, UpdateBatcher, type UpdateParams } from "../db";
import * as Mailer from "../platform/mailer";
import * as Queue from "../platform/queue";
import * as Sms from "../platform/sms";
import { toText } from "../template/html";
import type { SendJob } from "./dispatch";
import { take } from "./rate-limit";
import { settingsOf } from "./settings";
import { advance, type MessageKey, type MessageRow, rank, recount, Tally } from "./status";

/**
 * How long a claimed message belongs to one attempt. Shorter than the dispatch queue's visibility
 * timeout, so a job redelivered after a crash always finds the lease expired.
 */
export const leaseMs = 30_000;
/**
 * Messages of one send job in flight at once. Each is still claimed, sent and recorded on its own, so
 * this only overlaps their round trips; the rate limiter is what bounds the pace towards a provider.
 */
export const parallelSends = 25;
/** Transient failures are retried with backoff for this long, then the message is Échec. */
export const retryWindowMs = 48 * 3600_000;
/**
 * Claims and records of every job running in this process, written together in batches of up to 25
 * (each still conditional on its own): the send path's two writes per message cost a share of a round
 * trip. A record waits at most for the batch already in flight, so the crash window stays one write long.
 */
const writes = new UpdateBatcher();

/** The attributes a message's key is made of: a claim or record never changes them. */
const messageIdentity = ["companyId", "campaignId", "messageId"] as const;
const leanWrite = (update: unknown) => writes.update(leanUpdate(update as UpdateParams, messageIdentity));
/**
 * Attempt ids only need to differ: a monotonic factory draws the random part once a millisecond and
 * increments it after, instead of 16 random draws an id.
 */
const attemptIds = monotonicFactory();

/** No message starts this close to the invocation's deadline: it goes back to the queue unclaimed. */
const deadlineMarginMs = 10_000;

export type SendOutcome = "sent" | "skipped" | "undeliverable" | "unsubscribed" | "failed" | "retry";

/** Backoff of re-queued retries: 10 s, 20 s, 40 s… capped at SQS's 15 minutes. */
export const backoff = (attempts: number) => Math.min(900, 10 * 2 ** Math.max(0, attempts - 1));

export type SendOptions = {
  /** Epoch milliseconds; tests move it to expire leases or pass the 48 h window. */
  now?: () => number;
  /** Epoch milliseconds when the invocation ends (Lambda's remaining time): later messages are re-queued. */
  deadline?: number;
  /** The job was delivered before (its worker may have died): the campaign's counters are recounted. */
  redelivered?: boolean;
};

/**
 * Sends the messages of one send job, each exactly once:
 *   1. claim: conditional update scheduled → sending (or an expired `sending` lease) with a fresh attempt id,
 *      conditional on the attempt id read just before (compare-and-swap); a message in any other state is
 *      skipped, so a redelivered job or duplicate job sends nothing twice;
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
 *
 * The job's messages and their contacts' opt-outs are read in one batch each (consistent reads), so
 * the per-message cost is the two conditional writes and the provider call.
 */
export async function sendJob(job: SendJob, options: SendOptions = {}) {
  const now = options.now ?? Date.now;
  const key = { companyId: job.companyId, campaignId: job.campaignId };
  const [{ data: campaign }, settings] = await Promise.all([
    CampaignEntity.get(key).go(),
    settingsOf(job.companyId),
  ]);
  const outcomes: Record<string, SendOutcome> = {};
  // Cancelled or paused campaigns send nothing more; their messages stay scheduled.
  if (campaign?.status !== "sending") {
    for (const messageId of job.messageIds) outcomes[messageId] = "skipped";
    return outcomes;
  }
  const rows = await readMessages(key, job.messageIds);
  const optedOut = await optOutsOf(job.companyId, [...rows.values()]);
  const context: SendContext = {
    campaign,
    perSecond: settings.perSecond,
    optedOut,
    tally: new Tally(),
    now,
    recovered: false,
  };
  const retry: Array<{ messageId: string; delay: number }> = [];
  // A few messages of the job in flight at once; each is still claimed and recorded on its own.
  let next = 0;
  const lane = async () => {
    while (next < job.messageIds.length) {
      const messageId = job.messageIds[next++]!;
      // Too close to the end of the invocation: left scheduled and re-queued, never cut mid-send.
      const result =
        options.deadline !== undefined && now() > options.deadline - deadlineMarginMs
          ? { outcome: "retry" as const, delay: 0 }
          : await sendOne({ ...key, messageId }, rows.get(messageId), context);
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
  const [after] = await context.tally.flush();
  // After a crash (a lease found expired, or the job seen before) the counters may be short by what the
  // dead worker recorded but never counted: count again from the messages.
  const counted = options.redelivered || context.recovered ? await recount(key) : after;
  if (counted) await completeIfDone(counted);
  return outcomes;
}

type Campaign = NonNullable<Awaited<ReturnType<ReturnType<typeof CampaignEntity.get>["go"]>>["data"]>;
type SendContext = {
  campaign: Campaign;
  perSecond: { sms: number; email: number };
  /** `${channel}:${contactId}` of contacts opted out of that channel, with the source. */
  optedOut: Map<string, string>;
  tally: Tally;
  now: () => number;
  /** Set when a message is taken over from an attempt whose lease ran out. */
  recovered: boolean;
};

/** The job's messages by id, read consistently in one batch (a claim must see the latest attempt). */
async function readMessages(key: { companyId: string; campaignId: string }, messageIds: string[]) {
  const keys = messageIds.map((messageId) => ({ ...key, messageId }));
  const { data, unprocessed } = await MessageEntity.get(keys).go({ consistent: true });
  const rows = new Map<string, MessageRow>(data.map((row) => [row.messageId, row as MessageRow]));
  for (const left of unprocessed) {
    const { data: row } = await MessageEntity.get(left).go({ consistent: true });
    if (row) rows.set(row.messageId, row as MessageRow);
  }
  return rows;
}

/** Contacts opted out since the campaign was written, read in one batch for the whole job. */
async function optOutsOf(companyId: string, rows: MessageRow[]) {
  const contactIds = [...new Set(rows.flatMap((row) => (row.contactId ? [row.contactId] : [])))];
  const optedOut = new Map<string, string>();
  if (contactIds.length === 0) return optedOut;
  const { data, unprocessed } = await ContactEntity.get(
    contactIds.map((contactId) => ({ companyId, contactId })),
  ).go();
  const contacts = [...data];
  for (const left of unprocessed) {
    const { data: contact } = await ContactEntity.get(left).go();
    if (contact) contacts.push(contact);
  }
  for (const contact of contacts) {
    if (contact.optOutSmsAt) optedOut.set(`sms:${contact.contactId}`, contact.optOutSmsSource ?? "STOP");
    if (contact.optOutEmailAt)
      optedOut.set(`email:${contact.contactId}`, contact.optOutEmailSource ?? "unsubscribe");
  }
  return optedOut;
}

/** A message a send may take: never tried, handed back, or left `sending` by an attempt whose lease is over. */
const claimable = (row: MessageRow, at: string) =>
  row.status === "scheduled" || (row.status === "sending" && (row.leaseUntil ?? "") < at);

async function sendOne(
  key: MessageKey,
  row: MessageRow | undefined,
  context: SendContext,
): Promise<{ outcome: SendOutcome; delay: number }> {
  const { campaign, perSecond, optedOut, tally, now } = context;
  const startedAt = now();
  const at = new Date(startedAt).toISOString();
  // Held by a live attempt elsewhere: look again once its lease is over, never drop it.
  const heldUntil = (current: MessageRow | undefined) => {
    if (current?.status !== "sending" || !current.leaseUntil)
      return { outcome: "skipped" as const, delay: 0 };
    const wait = Math.ceil((new Date(current.leaseUntil).getTime() - now()) / 1000) + 1;
    return { outcome: "retry" as const, delay: Math.min(900, Math.max(1, wait)) };
  };
  if (!row || !claimable(row, at)) return heldUntil(row);

  const attemptId = attemptIds();
  const message: MessageRow = {
    ...row,
    attempts: (row.attempts ?? 0) + 1,
    firstAttemptAt: row.firstAttemptAt ?? at,
  };
  const claim = MessageEntity.patch(key)
    .set({
      status: "sending",
      rank: rank.sending,
      attemptId,
      leaseUntil: new Date(startedAt + leaseMs).toISOString(),
      updatedAt: at,
      attempts: message.attempts,
      firstAttemptAt: message.firstAttemptAt,
    })
    // Compare-and-swap on what was just read: any other claim in between changed the attempt id.
    .where((attr, { eq, notExists }) =>
      [
        eq(attr.status, row.status),
        row.attemptId ? eq(attr.attemptId, row.attemptId) : notExists(attr.attemptId),
      ].join(" AND "),
    );
  if (!(await leanWrite(claim.params()))) {
    const { data } = await MessageEntity.get(key).go({ consistent: true });
    return heldUntil(data as MessageRow | undefined);
  }
  if (row.status === "sending") context.recovered = true;

  const fail = async (status: "undeliverable" | "unsubscribed" | "failed", reason: string) => {
    await advance(key, status, { statusReason: reason.slice(0, 500) }, tally);
    return { outcome: status, delay: 0 } as const;
  };
  const handBack = async (reason: string) => {
    if (now() - new Date(message.firstAttemptAt!).getTime() > retryWindowMs)
      return fail("failed", `${reason} (retried for 48 h)`);
    try {
      await MessageEntity.patch(key)
        .set({
          status: "scheduled",
          rank: rank.scheduled,
          lastError: reason.slice(0, 500),
          leaseUntil: at,
        })
        .where((attr, { eq }) => `${eq(attr.status, "sending")} AND ${eq(attr.attemptId, attemptId)}`)
        .go({ response: "none" });
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    return { outcome: "retry" as const, delay: backoff(message.attempts ?? 1) };
  };

  // Opted out since the campaign was written: never sent, counted Désabonné.
  const optOut = message.contactId && optedOut.get(`${message.channel}:${message.contactId}`);
  if (optOut) return fail("unsubscribed", `Opted out (${optOut})`);
  if (!(await take(key.companyId, message.channel, perSecond[message.channel], { now })))
    return handBack("RATE_LIMITED");

  // The lease must outlast the provider call: a claim grown old waiting is handed back, not sent.
  if (now() - startedAt > leaseMs / 2) return handBack("LEASE_TOO_OLD");

  let providerMessageId: string;
  try {
    providerMessageId =
      message.channel === "sms"
        ? await sendSms(message, campaign, attemptId)
        : await sendEmail(message, campaign);
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
  const sentAt = new Date(now()).toISOString();
  const record = MessageEntity.patch(key)
    .set({
      status: "sent",
      rank: rank.sent,
      providerMessageId,
      sentAt,
      question: campaign.kind === "yesno",
      updatedAt: sentAt,
    })
    .where((attr, { eq }) => `${eq(attr.status, "sending")} AND ${eq(attr.attemptId, attemptId)}`);
  // Refused: an event got there first (already sent/delivered), nothing to add.
  if (await leanWrite(record.params())) tally.move(key, { status: "sending" }, { status: "sent" });
  return { outcome: "sent", delay: 0 };
}

function sendSms(message: MessageRow, campaign: Campaign, attemptId: string) {
  return Sms.send({
    to: message.to,
    body: message.body ?? "",
    originationIdentity: campaign.originationIdentity,
    // Yes/No questions and agency notices are service messages, not marketing.
    messageType: "TRANSACTIONAL",
    // Echoed in every event: the attempt id lets a carrier's transient failure re-queue this attempt only.
    context: {
      companyId: message.companyId,
      campaignId: message.campaignId,
      messageId: message.messageId,
      attemptId,
    },
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
