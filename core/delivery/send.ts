import { monotonicFactory } from "ulid";
import * as Attachments from "../campaign/attachments";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { parkedWhileClosed } from "../company/parking";
import { config } from "../config";
import { ContactEntity } from "../contact/contact.entity";
import { isConditionalFailure, leanUpdate, UpdateBatcher, type UpdateParams, write } from "../db";
import { commit } from "../event";
import * as Job from "../job";
import * as Mailer from "../platform/mailer";
import * as Sms from "../platform/sms";
import { Suppression } from "../suppression";
import { normaliseSync } from "../suppression/normalise-sync";
import { toText } from "../template/html";
import { Usage } from "../usage";
import { backoff, type Campaign, completeIfDone, doneCount, retryWindowMs } from "./completion";
import { SendJobEntity } from "./delivery.entity";
import { paceOf, SendJob } from "./dispatch";
import * as Pricing from "./pricing";
import { take } from "./rate-limit";
import { settingsOf } from "./settings";
import * as Spending from "./spending";
import {
  advance,
  type MessageKey,
  type MessageRow,
  rank,
  recount,
  statusEvent,
  Tally,
  wantsStatusEvents,
} from "./status";

/**
 * How long one attempt holds a send job. Shorter than the dispatch queue's visibility timeout, so a job
 * redelivered after a crash always finds the lease over.
 */
export const leaseMs = 30_000;
/**
 * Messages of one send job in flight at once. Each is still sent and recorded on its own, so this only
 * overlaps their round trips; the rate limiter is what bounds the pace towards a provider.
 */
export const parallelSends = 25;
/** A send job's lease item is kept this long after its last attempt (its messages retry for 48 h). */
const jobItemTtlSeconds = 7 * 24 * 3600;
/**
 * Records of every job running in this process, written together in batches of up to 25 (each still
 * conditional on its own): a record waits at most for the batch already in flight, so the crash window
 * stays one write long.
 */
const writes = new UpdateBatcher();

/** The attributes a message's key is made of: a record never changes them. */
const messageIdentity = ["companyId", "campaignId", "messageId"] as const;
const leanWrite = (update: unknown) => writes.update(leanUpdate(update as UpdateParams, messageIdentity));
/**
 * Attempt ids only need to differ: a monotonic factory draws the random part once a millisecond and
 * increments it after, instead of 16 random draws an id.
 */
const attemptIds = monotonicFactory();

/** No message starts this close to the invocation's deadline: it goes back to the queue unsent. */
const deadlineMarginMs = 10_000;
/** A job found held is looked at again this soon (its holder usually ends within seconds), or at its lease's end. */
const heldRecheckSeconds = 5;

export type SendOutcome = "sent" | "skipped" | "undeliverable" | "unsubscribed" | "failed" | "retry";

/** A campaign's send job (see `sendJob`), with the invocation's deadline and whether SQS redelivered it. */
export const SendMessages = Job.define({
  kind: "send",
  queue: "dispatch",
  schema: SendJob,
  run: async (job, { deadline, redelivered }) => {
    if (await parkedWhileClosed(job)) return;
    await sendJob(job, { deadline, redelivered });
  },
});

export type SendOptions = {
  /** Epoch milliseconds; tests move it to expire leases or pass the 48 h window. */
  now?: () => number;
  /** Epoch milliseconds when the invocation ends (Lambda's remaining time): later messages are re-queued. */
  deadline?: number;
  /** The job was delivered before (its worker may have died): the campaign's counters are recounted. */
  redelivered?: boolean;
};

type JobKey = { companyId: string; campaignId: string; jobId: string };

/**
 * Sends the messages of one send job, each exactly once:
 *   1. lease: one conditional write takes the job (free, released, or its lease over) with a fresh attempt
 *      id. Every message belongs to one job for life (`jobId`, fixed when written), so the holder is the
 *      only one sending them: a redelivered, duplicated or re-queued job waits for the lease instead;
 *   2. read the job's messages (consistent, after the lease, so whatever an earlier attempt recorded is
 *      seen) and send those still scheduled: one provider call each (SMS with `context` echoed in its
 *      events; email with tags and Reply-To);
 *   3. record: conditional scheduled → sent with the provider's id and the attempt id;
 *   4. release the lease.
 *
 * CRASH WINDOW — the only place a message can go out twice: the process dies after the provider
 * accepted (2) and before (3) is written. The message stays `scheduled`; SQS redelivers the job after
 * its visibility timeout, by when the lease is over. Two things keep this window small:
 *   - the provider's own events carry our message id (`context` / SES tags) and move the message to
 *     sent/delivered with the provider id (events.ts), so usually the redelivered job finds it sent and
 *     skips it;
 *   - only if no event arrived meanwhile does the retry send again (at-least-once, never silently
 *     dropped). The gap between (2) and (3) is one DynamoDB write.
 * A holder that stalls past its lease is the same case: no send starts later than half the lease
 * after the lease was taken.
 *
 * Transient failures (throttling, 5xx, rate limit, a held job) leave the message scheduled and re-queue
 * it with a delay under the same job; after 48 h it ends `failed` with the reason. Permanent failures end
 * `undeliverable` (or `unsubscribed` for opted-out numbers) and are not thrown.
 *
 * Per message this is one read (batched), the provider call and one conditional write (batched); the
 * lease costs two writes per job.
 */
export async function sendJob(job: SendJob, options: SendOptions = {}): Promise<Record<string, SendOutcome>> {
  // Bodies from before jobs existed: each message is its own job, as its `jobId` (absent) says.
  if (!job.jobId) {
    const results = await Promise.all(
      job.messageIds.map((messageId) =>
        sendJob({ ...job, jobId: messageId, messageIds: [messageId] }, options),
      ),
    );
    return Object.assign({}, ...results);
  }
  const now = options.now ?? Date.now;
  const key = { companyId: job.companyId, campaignId: job.campaignId };
  const jobKey = { ...key, jobId: job.jobId };
  const [{ data: campaign }, settings] = await Promise.all([
    CampaignEntity.get(key).go(),
    settingsOf(job.companyId),
  ]);
  const outcomes: Record<string, SendOutcome> = {};
  const every = (outcome: SendOutcome) => {
    for (const messageId of job.messageIds) outcomes[messageId] = outcome;
    return outcomes;
  };
  // Cancelled or paused campaigns send nothing more; their messages stay scheduled.
  if (campaign?.status !== "sending") return every("skipped");

  const lease = await takeLease(jobKey, now());
  if (!lease.taken) {
    await Job.enqueue(job, { delaySeconds: lease.recheckSeconds });
    return every("retry");
  }
  const rows = await readMessages(key, job.messageIds);
  // Contacts' opt-outs and the company's suppression list (addresses with or without a contact), side by side.
  const [optedOut, suppressed] = await Promise.all([
    optOutsOf(job.companyId, [...rows.values()]),
    suppressedAmong(job.companyId, [...rows.values()]),
  ]);
  // The job's SMS cost is reserved against the month's cap before any is sent (spending.ts).
  const reservedAt = new Date(now());
  const costs = smsCostsOf([...rows.values()], settings, reservedAt.toISOString());
  const withinCap = await Spending.reserve(
    job.companyId,
    sumOf(costs.values()),
    settings.monthlyCapMillicents,
    reservedAt,
  );
  const context: SendContext = {
    campaign,
    perSecond: settings.perSecond,
    optedOut,
    suppressed,
    smsCountries: settings.smsCountries,
    withinCap,
    tally: new Tally(),
    now,
    attemptId: lease.attemptId,
    leasedAt: lease.at,
    paced: pacedDelay(campaign, settings.perSecond),
  };
  const retry: Array<{ messageId: string; delay: number }> = [];
  // A few messages of the job in flight at once; each is still sent and recorded on its own.
  let next = 0;
  const lane = async () => {
    while (next < job.messageIds.length) {
      const messageId = job.messageIds[next++]!;
      const row = rows.get(messageId);
      // Too close to the end of the invocation: left scheduled and re-queued, never cut mid-send.
      const result =
        options.deadline !== undefined && now() > options.deadline - deadlineMarginMs
          ? { outcome: "retry" as const, delay: 0 }
          : // A message of another job is that job's to send (a body that names it wrongly sends nothing).
            row && (row.jobId ?? row.messageId) !== job.jobId
            ? { outcome: "skipped" as const, delay: 0 }
            : await sendOne({ ...key, messageId }, row, context);
      outcomes[messageId] = result.outcome;
      if (result.outcome === "retry") retry.push({ messageId, delay: result.delay });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelSends, job.messageIds.length) }, lane));
  // Re-queue before releasing, so a crash here repeats the hand-back rather than losing a message.
  if (retry.length > 0) {
    const delay = Math.max(...retry.map((entry) => entry.delay));
    await Job.enqueue({ ...job, messageIds: retry.map((entry) => entry.messageId) } satisfies SendJob, {
      delaySeconds: delay,
    });
  }
  // What was reserved and did not leave is given back: the month's usage counts what was sent.
  if (withinCap)
    await Spending.release(
      job.companyId,
      sumOf([...costs].flatMap(([messageId, cost]) => (outcomes[messageId] === "sent" ? [] : [cost]))),
      reservedAt,
    );
  // Emails that left, at the company's email price of this moment. Not in the cap (an SMS cap).
  const emailsSent = [...rows.values()].filter(
    (row) => row.channel === "email" && outcomes[row.messageId] === "sent",
  ).length;
  if (emailsSent > 0 && settings.emailPriceMillicents > 0)
    await Usage.add(job.companyId, Usage.monthOf(reservedAt), {
      emailMillicents: emailsSent * settings.emailPriceMillicents,
    });
  const [after] = await context.tally.flush();
  // Released only once recorded and counted: a crash before this leaves the lease to run out, and the
  // next holder, seeing it was never released, recounts.
  await releaseLease(jobKey, lease.attemptId);
  // After a crash (the lease taken over, or the job seen before) the counters may be short by what the
  // dead worker recorded but never counted: count again from the messages.
  const counted = options.redelivered || lease.recovered ? await recount(key) : after;
  if (counted) await completeIfDone(counted);
  return outcomes;
}

/**
 * Takes a send job's lease if it is free, released or over. `recovered`: the attempt before never
 * released it (it died), so what it did may be recorded but not counted.
 */
async function takeLease(jobKey: JobKey, at: number) {
  const attemptId = attemptIds();
  try {
    const { data: before } = await SendJobEntity.update(jobKey)
      .set({ attemptId, leaseUntil: at + leaseMs, expiresAt: Math.floor(at / 1000) + jobItemTtlSeconds })
      .where((attr, { notExists, lt }) => `${notExists(attr.leaseUntil)} OR ${lt(attr.leaseUntil, at)}`)
      .go({ response: "all_old" });
    return { taken: true as const, attemptId, at, recovered: (before?.leaseUntil ?? 0) > 0 };
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    const { data } = await SendJobEntity.get(jobKey).go({ consistent: true });
    const left = Math.ceil(((data?.leaseUntil ?? at) - at) / 1000) + 1;
    return { taken: false as const, recheckSeconds: Math.min(heldRecheckSeconds, Math.max(1, left)) };
  }
}

async function releaseLease(jobKey: JobKey, attemptId: string) {
  try {
    await SendJobEntity.patch(jobKey)
      .set({ leaseUntil: 0 })
      .where((attr, { eq }) => eq(attr.attemptId, attemptId))
      .go({ response: "none" });
  } catch (error) {
    // Taken over after this attempt stalled past its lease: the new holder releases it.
    if (!isConditionalFailure(error)) throw error;
  }
}

type SendContext = {
  campaign: Campaign;
  perSecond: { sms: number; email: number };
  /** `${channel}:${contactId}` of contacts opted out of that channel, with the source. */
  optedOut: Map<string, string>;
  /** `${channel}:${address}` on the company's suppression list, with the source. */
  suppressed: Map<string, string>;
  /** Countries the company texts, and whether the job's SMS cost fitted under the monthly cap. */
  smsCountries: string[];
  withinCap: boolean;
  tally: Tally;
  now: () => number;
  /** This attempt at the job: recorded on each message sent and echoed in its SMS events. */
  attemptId: string;
  /** When the lease was taken (epoch ms). */
  leasedAt: number;
  /** Seconds before messages refused a rate-limit token come back (see `pacedDelay`). */
  paced: number;
};

/**
 * When messages refused a rate-limit token come back: at a random moment within the time the campaign's
 * remaining messages need at its pace, so that returning jobs spread over it and keep the limit busy
 * instead of all coming back together (and fighting again) or backing off ever longer.
 */
function pacedDelay(campaign: Campaign, perSecond: { sms: number; email: number }) {
  const pace = paceOf(campaign, perSecond);
  const remaining = Math.max(0, campaign.smsCount + campaign.emailCount - doneCount(campaign));
  const spread = pace > 0 ? Math.min(900, remaining / pace) : 1;
  return Math.max(1, Math.ceil(Math.random() * spread));
}

/** The job's messages by id, read consistently in one batch (after the lease: earlier records are seen). */
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

/** What each of the job's SMS still to send costs this company (millicents, as the preview said), and its units. */
function smsCostsOf(
  rows: MessageRow[],
  settings: { smsCountries: string[]; smsUnitPriceMillicents: number },
  at: string,
) {
  const costs = new Map<string, Spending.Cost>();
  for (const row of rows) {
    if (row.channel !== "sms" || !sendable(row, at) || Pricing.refusal(row.to, settings.smsCountries))
      continue;
    const units = Math.max(1, row.units ?? 1);
    const unit = Pricing.unitPriceFor(Pricing.countryOf(row.to), settings.smsUnitPriceMillicents);
    costs.set(row.messageId, { millicents: units * unit, units });
  }
  return costs;
}

function sumOf(costs: Iterable<Spending.Cost>): Spending.Cost {
  const total = { millicents: 0, units: 0 };
  for (const cost of costs) {
    total.millicents += cost.millicents;
    total.units += cost.units;
  }
  return total;
}

/** The job's addresses on the company's suppression list: one BatchGetItem for the job's 25. */
function suppressedAmong(companyId: string, rows: MessageRow[]) {
  return Suppression.among(
    companyId,
    rows.flatMap((row) => {
      const address = normaliseSync(row.channel, row.to);
      return address ? [{ channel: row.channel, address }] : [];
    }),
  );
}

/**
 * A message still to send: scheduled, or left `sending` by the per-message claims of older versions
 * once that claim's lease is over.
 */
const sendable = (row: MessageRow, at: string) =>
  row.status === "scheduled" || (row.status === "sending" && (row.leaseUntil ?? "") < at);

async function sendOne(
  key: MessageKey,
  row: MessageRow | undefined,
  context: SendContext,
): Promise<{ outcome: SendOutcome; delay: number }> {
  const { campaign, perSecond, optedOut, tally, now, attemptId } = context;
  const at = new Date(now()).toISOString();
  if (!row || !sendable(row, at)) return { outcome: "skipped", delay: 0 };
  const message: MessageRow = {
    ...row,
    attempts: (row.attempts ?? 0) + 1,
    firstAttemptAt: row.firstAttemptAt ?? at,
  };
  // Only this attempt's writes may land: a message already moved on (an event got there first) or
  // already told about this attempt (a carrier failure handed it back) is left as it is.
  const stillOurs = (
    attr: { status: unknown; attemptId: unknown },
    { eq, ne, notExists }: { eq: Op; ne: Op; notExists: (a: unknown) => string },
  ) =>
    `(${eq(attr.status, "scheduled")} OR ${eq(attr.status, "sending")}) AND (${notExists(attr.attemptId)} OR ${ne(attr.attemptId, attemptId)})`;

  const fail = async (status: "undeliverable" | "unsubscribed" | "failed", reason: string, tried = true) => {
    await advance(
      key,
      status,
      {
        statusReason: reason.slice(0, 500),
        ...(tried ? { attempts: message.attempts, firstAttemptAt: message.firstAttemptAt } : {}),
      },
      tally,
    );
    return { outcome: status, delay: 0 } as const;
  };
  /**
   * Back to the queue under the same job. Pacing (rate limit, an old lease) writes nothing; a provider's
   * transient failure counts as an attempt and keeps its reason. After 48 h of either, Échec.
   */
  const handBack = async (reason: string, tried: boolean) => {
    const since = new Date(row.firstAttemptAt ?? campaign.launchedAt ?? at).getTime();
    if (now() - since > retryWindowMs) return fail("failed", `${reason} (retried for 48 h)`, tried);
    if (tried)
      await leanWrite(
        MessageEntity.patch(key)
          .set({
            lastError: reason.slice(0, 500),
            attempts: message.attempts,
            firstAttemptAt: message.firstAttemptAt,
          })
          .where(stillOurs)
          .params(),
      );
    const delay = tried ? backoff(message.attempts ?? 1) : reason === "RATE_LIMITED" ? context.paced : 1;
    return { outcome: "retry" as const, delay };
  };

  // Opted out since the campaign was written: never sent, counted Désabonné.
  const optOut = message.contactId && optedOut.get(`${message.channel}:${message.contactId}`);
  if (optOut) return fail("unsubscribed", `Opted out (${optOut})`, false);
  const suppressed = context.suppressed.get(
    `${message.channel}:${normaliseSync(message.channel, message.to) ?? ""}`,
  );
  if (suppressed) return fail("unsubscribed", `Opted out (${suppressed})`, false);
  if (message.channel === "sms") {
    // Checked again here: the list may have changed since the campaign was written.
    const refused = Pricing.refusal(message.to, context.smsCountries);
    if (refused) return fail("undeliverable", refused, false);
    if (!context.withinCap)
      return fail("failed", "MONTHLY_CAP_REACHED: the company's monthly SMS cap is spent", false);
  }
  if (!(await take(key.companyId, message.channel, perSecond[message.channel], { now })))
    return handBack("RATE_LIMITED", false);

  // The lease must outlast the provider call: a send that would start late is handed back, not sent.
  if (now() - context.leasedAt > leaseMs / 2) return handBack("LEASE_TOO_OLD", false);

  let providerMessageId: string;
  try {
    providerMessageId =
      message.channel === "sms"
        ? await sendSms(message, campaign, attemptId)
        : await sendEmail(message, campaign);
  } catch (error) {
    if (error instanceof Sms.SmsError) {
      if (error.kind === "transient") return handBack(error.reason, true);
      if (error.reason === "DESTINATION_PHONE_NUMBER_OPTED_OUT") return fail("unsubscribed", error.reason);
      return fail("undeliverable", error.reason);
    }
    const kind = mailErrorKind(error);
    if (kind === "permanent") return fail("undeliverable", (error as Error).name || "REJECTED");
    return handBack(error instanceof Error ? `${error.name}: ${error.message}` : String(error), true);
  }

  // Accepted by the provider. The crash window is here, until this write lands.
  const sentAt = new Date(now()).toISOString();
  const record = recordUpdate(key, {
    providerMessageId,
    attemptId,
    attempts: message.attempts!,
    firstAttemptAt: message.firstAttemptAt!,
    sentAt,
    question: campaign.kind === "yesno",
  });
  if (await writeRecord(key, record, { status: row.status, channel: message.channel })) {
    tally.move(key, { status: row.status }, { status: "sent" }, message.channel);
  } else {
    await fillRecord(key, providerMessageId, {
      sentAt,
      question: campaign.kind === "yesno",
      attemptId,
      attempts: message.attempts!,
      firstAttemptAt: message.firstAttemptAt!,
    });
  }
  return { outcome: "sent", delay: 0 };
}

/**
 * Writes a send's record: batched with the others' (one conditional write), or, for a company whose
 * webhooks listen to `message.status_changed`, in one transaction with that event. False when its
 * condition refused it.
 */
async function writeRecord(
  key: MessageKey,
  record: UpdateParams,
  before: Pick<MessageRow, "status" | "channel">,
) {
  const recorded = (await wantsStatusEvents(key.companyId)) ? statusEvent(key, before, "sent") : undefined;
  if (!recorded) return writes.update(record);
  try {
    await commit([write.update(record)], [recorded]);
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

/**
 * This send's own delivery receipt got there before its record (a slow write, a loaded worker): the status
 * moved on without what only the send knows. Without `sentAt` and `question`, a reply to a Yes/No question
 * would find no question to answer. Written only over that receipt's move (same provider id, no `sentAt`).
 */
async function fillRecord(
  key: MessageKey,
  providerMessageId: string,
  values: Pick<Recorded, "sentAt" | "question" | "attemptId" | "attempts" | "firstAttemptAt">,
) {
  await MessageEntity.patch(key)
    .set(values)
    .where(
      (attr, { gte, notExists, eq }) =>
        `${gte(attr.rank, rank.sent)} AND ${notExists(attr.sentAt)} AND (${notExists(attr.providerMessageId)} OR ${eq(attr.providerMessageId, providerMessageId)})`,
    )
    .go({ response: "none" })
    .catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
}

type Op = (attr: unknown, value: unknown) => string;

type Recorded = {
  providerMessageId: string;
  attemptId: string;
  attempts: number;
  firstAttemptAt: string;
  sentAt: string;
  question: boolean;
};

/**
 * The record of a send — scheduled → sent, only if no event got there first and the message was not
 * handed back for this attempt — as ElectroDB's patch would write it, less the identity it rewrites
 * (see `leanUpdate`). Built by hand because it is written once per message sent; a test keeps it equal
 * to ElectroDB's.
 */
export function recordUpdate(key: MessageKey, values: Recorded): UpdateParams {
  const set = {
    status: "sent",
    rank: rank.sent,
    providerMessageId: values.providerMessageId,
    attemptId: values.attemptId,
    attempts: values.attempts,
    firstAttemptAt: values.firstAttemptAt,
    sentAt: values.sentAt,
    question: values.question,
    updatedAt: values.sentAt,
    // The byProviderId index, keyed as ElectroDB keys it (lower case).
    gsi2pk: `$relais#providermessageid_${values.providerMessageId.toLowerCase()}`,
    gsi2sk: "$message_1",
  };
  const names: Record<string, string> = {
    "#pk": "pk",
    "#sk": "sk",
    "#status": "status",
    "#attemptId": "attemptId",
  };
  const assignments: string[] = [];
  const expressionValues: Record<string, unknown> = {
    ":status0": "scheduled",
    ":status1": "sending",
    ":attemptId0": values.attemptId,
  };
  for (const [name, value] of Object.entries(set)) {
    names[`#${name}`] = name;
    expressionValues[`:${name}_u0`] = value;
    assignments.push(`#${name} = :${name}_u0`);
  }
  const lower = (value: string) => value.toLowerCase();
  return {
    TableName: config("TABLE_NAME"),
    Key: {
      pk: `$relais#companyid_${lower(key.companyId)}#campaignid_${lower(key.campaignId)}`,
      sk: `$message_1#messageid_${lower(key.messageId)}`,
    },
    UpdateExpression: `SET ${assignments.join(", ")}`,
    ConditionExpression:
      "attribute_exists(#pk) AND attribute_exists(#sk) AND (#status = :status0 OR #status = :status1) AND (attribute_not_exists(#attemptId) OR #attemptId <> :attemptId0)",
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: expressionValues,
  };
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
    maxPrice: Pricing.maxPrice(message.to, message.units ?? 1),
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
