import type { EntityItem } from "electrodb";
import { CampaignEntity, MessageEntity, type messageStatuses } from "../campaign/campaign.entity";
import { isConditionalFailure } from "../db";
import * as Metrics from "../platform/metrics";

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

/** Campaign counters: how many messages are in each of these statuses now. */
const counted = new Set<MessageStatus>([
  "sent",
  "delivered",
  "undeliverable",
  "failed",
  "replied",
  "unsubscribed",
]);
const answerCounter = { yes: "repliedYes", no: "repliedNo", other: "repliedOther" } as const;
type Counter =
  | "sent"
  | "delivered"
  | "undeliverable"
  | "failed"
  | "replied"
  | "unsubscribed"
  | "repliedYes"
  | "repliedNo"
  | "repliedOther";
type Classification = keyof typeof answerCounter;

const metricOf: Partial<Record<MessageStatus, Metrics.Name>> = {
  sent: "MessagesSent",
  delivered: "MessagesDelivered",
  failed: "MessagesFailed",
  undeliverable: "MessagesFailed",
  replied: "RepliesReceived",
  unsubscribed: "OptOuts",
};

/** Counter moves accumulated per campaign, written as one atomic ADD per campaign. */
export class Tally {
  private readonly moves = new Map<
    string,
    { companyId: string; campaignId: string; delta: Partial<Record<Counter, number>> }
  >();

  move(
    key: { companyId: string; campaignId: string },
    from: { status: MessageStatus; classification?: Classification },
    to: { status: MessageStatus; classification?: Classification },
  ) {
    const id = `${key.companyId}/${key.campaignId}`;
    const entry = this.moves.get(id) ?? { companyId: key.companyId, campaignId: key.campaignId, delta: {} };
    this.moves.set(id, entry);
    const bump = (counter: Counter, by: number) => {
      entry.delta[counter] = (entry.delta[counter] ?? 0) + by;
    };
    if (counted.has(from.status)) bump(from.status as Counter, -1);
    if (counted.has(to.status)) bump(to.status as Counter, 1);
    if (from.status === "replied" && from.classification) bump(answerCounter[from.classification], -1);
    if (to.status === "replied" && to.classification) bump(answerCounter[to.classification], 1);
    // Every status move passes here once (after its conditional write), so it is also where the
    // business metrics count; a reclassification (replied → replied) is not a new reply.
    const metric = to.status !== from.status ? metricOf[to.status] : undefined;
    if (metric) Metrics.count(key.companyId, metric);
  }

  /** Writes the moves; returns each campaign after the ADD. */
  async flush() {
    const written = [];
    for (const { companyId, campaignId, delta } of this.moves.values()) {
      const changes = Object.fromEntries(Object.entries(delta).filter(([, by]) => by !== 0));
      if (Object.keys(changes).length === 0) continue;
      const result = await CampaignEntity.update({ companyId, campaignId })
        .add({ ...changes, tallyVersion: 1 })
        .set({ progressAt: new Date().toISOString() })
        .go({ response: "all_new" });
      written.push(result.data);
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
    const counts: Record<Counter, number> = {
      sent: 0,
      delivered: 0,
      undeliverable: 0,
      failed: 0,
      replied: 0,
      unsubscribed: 0,
      repliedYes: 0,
      repliedNo: 0,
      repliedOther: 0,
    };
    let cursor: string | null = null;
    do {
      const page: { data: Array<Pick<MessageRow, "status" | "classification">>; cursor: string | null } =
        await MessageEntity.query
          .byCampaign(key)
          .go({ cursor, consistent: true, attributes: ["status", "classification"] });
      for (const { status, classification } of page.data) {
        if (counted.has(status)) counts[status as Counter]++;
        if (status === "replied" && classification) counts[answerCounter[classification]]++;
      }
      cursor = page.cursor;
    } while (cursor);
    const version = campaign.tallyVersion;
    try {
      const { data } = await CampaignEntity.patch(key)
        .set({ ...counts, tallyVersion: (version ?? 0) + 1, recountedAt: new Date().toISOString() })
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
 */
export async function advance(
  key: MessageKey,
  status: MessageStatus,
  extra: Extra = {},
  tally?: Tally,
  handedBack?: string,
) {
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
    const own = tally ?? new Tally();
    own.move(
      key,
      { status: before.status, classification: before.classification },
      { status, classification: extra.classification },
    );
    if (!tally) await own.flush();
    return before;
  } catch (error) {
    if (isConditionalFailure(error)) return undefined;
    throw error;
  }
}

export async function findByProviderId(providerMessageId: string) {
  const found = await MessageEntity.query.byProviderId({ providerMessageId }).go({ limit: 1 });
  return found.data[0];
}
