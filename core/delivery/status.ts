import type { EntityItem } from "electrodb";
import { withActor } from "../actor";
import { CampaignEntity, MessageEntity, type messageStatuses } from "../campaign/campaign.entity";
import { isConditionalFailure, TransactionCanceled, write } from "../db";
import { commit, type Recorded } from "../event";
import * as Metrics from "../platform/metrics";
import * as Usage from "../usage/usage";
import * as WebhookSubscriptions from "../webhook/subscriptions";
import { MessageStatusChanged } from "./status.events";

export type MessageStatus = (typeof messageStatuses)[number];
export type MessageRow = EntityItem<typeof MessageEntity>;
export type MessageKey = { companyId: string; campaignId: string; messageId: string };

/**
 * Statuses in the only order a message may move through them. A transition is a conditional update
 * `rank(new) > rank(current)`, so a late, duplicate or out-of-order event never moves a message back:
 * a receipt after a reply, or TEXT_SUCCESSFUL after TEXT_DELIVERED, changes nothing.
 */
export const rank: Record<MessageStatus, number> = {
  scheduled: 0,
  sending: 1,
  sent: 2,
  failed: 3,
  undeliverable: 4,
  delivered: 5,
  replied: 6,
  unsubscribed: 7,
};

/**
 * Campaign counters are facts that accumulate, not a histogram of current statuses: a message delivered
 * then answered still counts as delivered, an answer followed by STOP still counts as that answer.
 * Each message's facts follow from its row (`factsOf`); a move adds the difference between the facts
 * after and before, and `recount` sums them, so both always agree.
 */
export type Counter =
  | "sent"
  | "delivered"
  | "undeliverable"
  | "failed"
  | "replied"
  | "unsubscribed"
  | "repliedYes"
  | "repliedNo"
  | "repliedOther"
  | "unanswered"
  | "done";
export const counters: readonly Counter[] = [
  "sent",
  "delivered",
  "undeliverable",
  "failed",
  "replied",
  "unsubscribed",
  "repliedYes",
  "repliedNo",
  "repliedOther",
  "unanswered",
  "done",
];
/** Campaigns whose counters are facts; older ones hold a histogram and are recounted on their next move. */
export const countsVersion = 2;
const answerCounter = { yes: "repliedYes", no: "repliedNo", other: "repliedOther" } as const;
/** What a message's facts are read from; a move passes the row before and the row after. */
export type FactsOf = Partial<Pick<MessageRow, "classification" | "providerMessageId">> & {
  status: MessageStatus;
};

/**
 * The counters one message adds to. An opt-out after the message left (STOP, complaint) is a reply,
 * so it was sent and delivered; one found before sending (no provider id) was neither.
 */
export function factsOf(message: FactsOf): Counter[] {
  const { status } = message;
  const reached = status === "unsubscribed" && Boolean(message.providerMessageId);
  const facts: Counter[] = [];
  if (status !== "scheduled" && status !== "sending") facts.push("done");
  if (status === "sent" || status === "delivered" || status === "replied" || reached) facts.push("sent");
  // Ranks only rise, so a reply implies the delivery even when its receipt never came.
  if (status === "delivered" || status === "replied" || reached) facts.push("delivered");
  if (status === "undeliverable" || status === "failed" || status === "unsubscribed") facts.push(status);
  if (message.classification) facts.push("replied", answerCounter[message.classification]);
  // Not a fact but a state, kept for « Relancer » (those a follow-up would reach).
  else if (status === "sent" || status === "delivered") facts.push("unanswered");
  return facts;
}

/** The business metric a newly gained fact counts towards (core/platform/metrics.ts). */
const metricOf: Partial<Record<Counter, Metrics.Name>> = {
  sent: "MessagesSent",
  delivered: "MessagesDelivered",
  failed: "MessagesFailed",
  undeliverable: "MessagesFailed",
  replied: "RepliesReceived",
  unsubscribed: "OptOuts",
};

/**
 * Counter moves accumulated per campaign, written as one atomic ADD per campaign, and the same facts
 * by channel as the company's usage of the month (core/usage): one ADD per company and month.
 */
export class Tally {
  private readonly moves = new Map<
    string,
    { companyId: string; campaignId: string; delta: Partial<Record<Counter, number>> }
  >();
  private readonly usage = new Map<string, { companyId: string; month: string; delta: Usage.Delta }>();

  /** `channel`: the message's, when `from` is not its row (usage counts facts by channel). */
  move(
    key: { companyId: string; campaignId: string },
    from: FactsOf,
    to: FactsOf,
    channel = (from as { channel?: "sms" | "email" }).channel,
  ) {
    const id = `${key.companyId}/${key.campaignId}`;
    const entry = this.moves.get(id) ?? { companyId: key.companyId, campaignId: key.campaignId, delta: {} };
    this.moves.set(id, entry);
    const month = Usage.monthOf(new Date());
    const usageId = `${key.companyId}/${month}`;
    const usage = this.usage.get(usageId) ?? { companyId: key.companyId, month, delta: {} };
    this.usage.set(usageId, usage);
    const countUsage = (fact: Counter, by: number) => {
      const counter = channel && Usage.counterOfFact(channel, fact);
      if (counter) usage.delta[counter] = (usage.delta[counter] ?? 0) + by;
    };
    const before = factsOf(from);
    for (const counter of before) {
      entry.delta[counter] = (entry.delta[counter] ?? 0) - 1;
      countUsage(counter, -1);
    }
    for (const counter of factsOf(to)) {
      entry.delta[counter] = (entry.delta[counter] ?? 0) + 1;
      countUsage(counter, 1);
      // Every move passes here once (after its conditional write), so business metrics count the facts
      // it adds, as the counters do: a reclassification adds no reply, a receipt before the send record
      // counts the send too.
      const metric = before.includes(counter) ? undefined : metricOf[counter];
      if (metric) Metrics.count(key.companyId, metric);
    }
  }

  /**
   * Writes the moves; returns each campaign after the ADD. The usage ADDs go first: like the campaign's,
   * they follow conditional message writes, so a redelivered event (refused by the rank) adds nothing.
   */
  async flush() {
    const written = [];
    const usage = [...this.usage.values()];
    this.usage.clear();
    await Promise.all(usage.map(({ companyId, month, delta }) => Usage.add(companyId, month, delta)));
    for (const { companyId, campaignId, delta } of this.moves.values()) {
      const changes = Object.fromEntries(Object.entries(delta).filter(([, by]) => by !== 0));
      if (Object.keys(changes).length === 0) continue;
      try {
        const result = await CampaignEntity.update({ companyId, campaignId })
          .add({ ...changes, tallyVersion: 1 })
          // The sweeper tells a stalled campaign by this (core/sweep/sweep.ts).
          .set({ progressAt: new Date().toISOString() })
          .where((attr, { eq }) => eq(attr.countsVersion, countsVersion))
          .go({ response: "all_new" });
        written.push(result.data);
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        // Counted before facts accumulated: counted again from its messages, this move included.
        const counted = await recount({ companyId, campaignId });
        if (counted) written.push(counted);
      }
    }
    this.moves.clear();
    return written;
  }
}

/**
 * Recomputes a campaign's counters from its messages. The ADDs are not atomic with the message writes
 * they follow, so a worker that dies between the two leaves the counters short; a job that resumes after
 * a crash recounts. The write is conditional on `tallyVersion`, so an ADD racing the count makes it
 * count again rather than overwrite newer numbers. Returns the campaign as written.
 */
export async function recount(key: { companyId: string; campaignId: string }) {
  for (let tries = 0; tries < 5; tries++) {
    const { data: campaign } = await CampaignEntity.get(key).go({ consistent: true });
    if (!campaign) return undefined;
    const counts = Object.fromEntries(counters.map((counter) => [counter, 0])) as Record<Counter, number>;
    let cursor: string | null = null;
    do {
      const page: { data: FactsOf[]; cursor: string | null } = await MessageEntity.query.byCampaign(key).go({
        cursor,
        consistent: true,
        attributes: ["status", "classification", "providerMessageId"],
      });
      for (const message of page.data) for (const counter of factsOf(message)) counts[counter]++;
      cursor = page.cursor;
    } while (cursor);
    const version = campaign.tallyVersion;
    try {
      const { data } = await CampaignEntity.patch(key)
        .set({
          ...counts,
          countsVersion,
          tallyVersion: (version ?? 0) + 1,
          recountedAt: new Date().toISOString(),
        })
        .where((attr, { eq, notExists }) =>
          version === undefined ? notExists(attr.tallyVersion) : eq(attr.tallyVersion, version),
        )
        .go({ response: "all_new" });
      return data;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
  return undefined;
}

type Extra = Partial<
  Pick<
    MessageRow,
    | "statusReason"
    | "providerMessageId"
    | "from"
    | "sentAt"
    | "deliveredAt"
    | "classification"
    | "replyRule"
    | "replyBody"
    | "repliedAt"
    | "lastError"
    | "attempts"
    | "firstAttemptAt"
  >
>;

/**
 * Moves a message forward to `status` if it is not already there or beyond, and tallies the counters
 * of the real transition. Returns the message as it was before, or undefined when nothing changed
 * (already at or past `status`, or no such message). `handedBack`: an attempt that a carrier failure
 * sent back to the queue; a message still waiting to be sent again after it is left alone.
 *
 * For a company whose webhooks listen to `message.status_changed` (a cached flag), the write and the
 * event are one transaction (`advanceRecorded`); for the others it stays one conditional write.
 */
export async function advance(
  key: MessageKey,
  status: MessageStatus,
  extra: Extra = {},
  tally?: Tally,
  handedBack?: string,
) {
  if (await wantsStatusEvents(key.companyId)) return advanceRecorded(key, status, extra, tally, handedBack);
  const now = new Date().toISOString();
  try {
    const result = await MessageEntity.patch(key)
      .set({ ...extra, status, rank: rank[status], updatedAt: now })
      .where((attr, { eq, lt, notExists }) => {
        const forward = `(${notExists(attr.rank)} OR ${lt(attr.rank, rank[status])})`;
        if (!handedBack) return forward;
        return `${forward} AND NOT (${eq(attr.status, "scheduled")} AND ${eq(attr.attemptId, handedBack)})`;
      })
      .go({ response: "all_old" });
    const before = result.data as MessageRow;
    await count(key, before, status, extra, tally);
    return before;
  } catch (error) {
    if (isConditionalFailure(error)) return undefined;
    throw error;
  }
}

/** Counts the transition in `tally`, or in a tally of its own written at once. */
async function count(
  key: MessageKey,
  before: MessageRow,
  status: MessageStatus,
  extra: Extra,
  tally?: Tally,
) {
  const own = tally ?? new Tally();
  own.move(key, before, { ...before, ...extra, status });
  if (!tally) await own.flush();
}

/**
 * `advance` with the event in the same transaction as the status write, so both happen or neither. A
 * transaction cannot return the row before (the event's `from`, the counters' facts), so the row is
 * read first and the write is conditional on its status being still the one read; a change in between
 * makes it read again.
 */
async function advanceRecorded(
  key: MessageKey,
  status: MessageStatus,
  extra: Extra,
  tally?: Tally,
  handedBack?: string,
) {
  for (let tries = 0; tries < 5; tries++) {
    const { data } = await MessageEntity.get(key).go({ consistent: true });
    const before = data as MessageRow | null;
    if (!before) return undefined;
    if (before.rank !== undefined && before.rank >= rank[status]) return undefined;
    if (handedBack && before.status === "scheduled" && before.attemptId === handedBack) return undefined;
    const update = MessageEntity.patch(key)
      .set({ ...extra, status, rank: rank[status], updatedAt: new Date().toISOString() })
      .where((attr, { eq, lt, notExists }) => {
        const unchanged = `(${notExists(attr.rank)} OR ${lt(attr.rank, rank[status])}) AND ${eq(attr.status, before.status)}`;
        if (!handedBack) return unchanged;
        return `${unchanged} AND NOT (${eq(attr.status, "scheduled")} AND ${eq(attr.attemptId, handedBack)})`;
      });
    const recorded = statusEvent(key, before, status, extra.statusReason);
    try {
      await commit([write.update(update.params())], recorded ? [recorded] : []);
    } catch (error) {
      // The message changed since it was read: read it again. Anything else (the event refused) throws.
      if (error instanceof TransactionCanceled && error.reasons[0]?.code === "ConditionalCheckFailed")
        continue;
      throw error;
    }
    await count(key, before, status, extra, tally);
    return before;
  }
  throw new Error(`Message ${key.messageId} kept changing while moving it to ${status}`);
}

/**
 * Whether `message.status_changed` is recorded for this company: only with a webhook endpoint
 * subscribed to it (a cached flag: one read a minute per process, none per message).
 */
export const wantsStatusEvents = (companyId: string) =>
  WebhookSubscriptions.wants(companyId, MessageStatusChanged.name);

/**
 * The outbox write of `message.status_changed` for a real transition, to commit with the status write
 * (core/event.ts `commit`); undefined when the status does not change.
 */
export function statusEvent(
  key: MessageKey,
  before: Pick<MessageRow, "status" | "channel">,
  status: MessageStatus,
  reason?: string,
): Recorded | undefined {
  if (before.status === status) return undefined;
  return withActor({ type: "system", companyId: key.companyId, reason: "message status" }, () =>
    MessageStatusChanged.create({
      campaignId: key.campaignId,
      messageId: key.messageId,
      from: before.status,
      status,
      channel: before.channel,
      reason,
    }),
  );
}

export async function findByProviderId(providerMessageId: string) {
  const found = await MessageEntity.query.byProviderId({ providerMessageId }).go({ limit: 1 });
  return found.data[0];
}
