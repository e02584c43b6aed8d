import * as z from "zod";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { ContactEntity } from "../contact/contact.entity";
import { isConditionalFailure } from "../db";
import * as Job from "../job";
import { Suppression } from "../suppression";
import { backoff, completeIfDone, retryWindowMs } from "./completion";
import type { SendJob } from "./dispatch";
import {
  advance,
  findByProviderId,
  type MessageKey,
  type MessageRow,
  type MessageStatus,
  rank,
  Tally,
} from "./status";

/** End User Messaging SMS configuration-set event (documented format; `context` is what we sent). */
export const SmsEvent = z
  .object({
    eventType: z.string(),
    messageId: z.string(),
    originationPhoneNumber: z.string().optional(),
    messageStatusDescription: z.string().optional(),
    context: z.record(z.string(), z.string()).optional(),
  })
  .loose();
export type SmsEvent = z.infer<typeof SmsEvent>;

const smsStatus: Record<string, MessageStatus> = {
  TEXT_SUCCESSFUL: "sent",
  TEXT_PENDING: "sent",
  TEXT_QUEUED: "sent",
  TEXT_DELIVERED: "delivered",
  TEXT_INVALID: "undeliverable",
  TEXT_BLOCKED: "undeliverable",
  TEXT_SPAM: "undeliverable",
  TEXT_CARRIER_BLOCKED: "undeliverable",
  TEXT_INVALID_MESSAGE: "undeliverable",
  TEXT_PROTECT_BLOCKED: "undeliverable",
};

/**
 * Failures on the carrier's side that may pass (handset off or out of coverage, carrier network error,
 * not delivered within the TTL; UNKNOWN "may be temporary or permanent" per AWS): the message is sent
 * again with backoff, and ends Échec with the reason once 48 h have passed since its first attempt.
 */
const transientSms = new Set([
  "TEXT_UNREACHABLE",
  "TEXT_CARRIER_UNREACHABLE",
  "TEXT_TTL_EXPIRED",
  "TEXT_UNKNOWN",
]);

/** Which message an event is about: our ids echoed back first, else the provider id. */
async function locate(context: Record<string, string> | undefined, providerMessageId: string) {
  if (context?.companyId && context.campaignId && context.messageId)
    return { companyId: context.companyId, campaignId: context.campaignId, messageId: context.messageId };
  const found = await findByProviderId(providerMessageId);
  return found
    ? { companyId: found.companyId, campaignId: found.campaignId, messageId: found.messageId }
    : undefined;
}

export type EventResult = { outcome: "ignored" | "unchanged" | "moved"; status?: MessageStatus };

async function apply(
  key: MessageKey,
  status: MessageStatus,
  extra: Parameters<typeof advance>[2],
  handedBack?: string,
): Promise<EventResult> {
  const before = await advance(key, status, extra, undefined, handedBack);
  if (!before) return { outcome: "unchanged" };
  // The event got there before the worker's record: the message may be the campaign's last.
  if (before.status === "scheduled" || before.status === "sending") {
    const { data } = await CampaignEntity.get({ companyId: key.companyId, campaignId: key.campaignId }).go();
    if (data) await completeIfDone(data);
  }
  return { outcome: "moved", status };
}

const reasonOf = (event: SmsEvent) =>
  `${event.eventType}${event.messageStatusDescription ? `: ${event.messageStatusDescription}` : ""}`.slice(
    0,
    500,
  );

/** SMS delivery event → monotonic status change; unknown event types and messages are ignored. */
export async function smsEvent(event: SmsEvent, now = Date.now()): Promise<EventResult> {
  const transient = transientSms.has(event.eventType);
  const status = smsStatus[event.eventType];
  if (!status && !transient) return { outcome: "ignored" };
  const key = await locate(event.context, event.messageId);
  if (!key) return { outcome: "ignored" };
  if (transient) return resendLater(key, event, now);
  const at = new Date(now).toISOString();
  return apply(
    key,
    status!,
    {
      providerMessageId: event.messageId,
      from: event.originationPhoneNumber,
      ...(status === "delivered" ? { deliveredAt: at } : {}),
      ...(status === "undeliverable" ? { statusReason: reasonOf(event) } : {}),
    },
    // A late TEXT_SUCCESSFUL of an attempt a carrier failure handed back must not pass for the next one.
    status === "sent" ? event.context?.attemptId : undefined,
  );
}

/**
 * A transient carrier failure of one attempt: that attempt (named by the `attemptId` echoed in the
 * event's context, or by the provider id) is handed back — `sent` → `scheduled`, the one move back the
 * ranks allow, and only for the attempt the event is about — then re-queued with backoff under the
 * message's send job. A message still `scheduled` (the worker's record has not landed yet) is marked
 * with the attempt, so that record is refused. A late or duplicate event about an older attempt, or a
 * message already delivered, replied or failed, changes nothing; the job's lease sends it again once.
 *
 * Steps are ordered so a crash repeats them rather than losing the message: hand back, reopen the
 * campaign if it had completed, enqueue. A redelivered event finds the message handed back by this
 * attempt and enqueues again; the job then finds it sent and skips it.
 */
async function resendLater(key: MessageKey, event: SmsEvent, now: number): Promise<EventResult> {
  const { data } = await MessageEntity.get(key).go({ consistent: true });
  const message = data as MessageRow | undefined;
  const attemptId = event.context?.attemptId;
  if (!message) return { outcome: "unchanged" };
  const named = message.attemptId === attemptId || message.providerMessageId === event.messageId;
  const waiting = message.status === "scheduled" || message.status === "sending";
  // Sent and recorded by another attempt since, or already past sent: nothing to do.
  if (!waiting && !(message.status === "sent" && named)) return { outcome: "unchanged" };
  // Without our attempt id an event cannot tell a waiting message's attempts apart.
  if (waiting && !attemptId) return { outcome: "unchanged" };
  const reason = reasonOf(event);
  const first = Date.parse(message.firstAttemptAt ?? message.sentAt ?? new Date(now).toISOString());
  const campaignKey = { companyId: key.companyId, campaignId: key.campaignId };
  const outOfTime = now - first > retryWindowMs;
  const handedBackAlready = waiting && message.attemptId === attemptId;

  if (!handedBackAlready) {
    const to: MessageStatus = outOfTime ? "failed" : "scheduled";
    try {
      const { data: before } = await MessageEntity.patch(key)
        .set({
          status: to,
          rank: rank[to],
          lastError: reason,
          updatedAt: new Date(now).toISOString(),
          ...(attemptId ? { attemptId } : {}),
          ...(outOfTime ? { statusReason: `${reason} (retried for 48 h)` } : {}),
        })
        .where((attr, { eq, ne, notExists }) => {
          const sentByIt = `${eq(attr.status, "sent")} AND (${
            attemptId ? `${eq(attr.attemptId, attemptId)} OR ` : ""
          }${eq(attr.providerMessageId, event.messageId)})`;
          if (!attemptId) return sentByIt;
          // Its record not written yet: still waiting, and not yet told about this attempt.
          const recordPending = `(${eq(attr.status, "scheduled")} OR ${eq(attr.status, "sending")}) AND (${notExists(attr.attemptId)} OR ${ne(attr.attemptId, attemptId)})`;
          return `(${sentByIt}) OR (${recordPending})`;
        })
        .go({ response: "all_old" });
      const tally = new Tally();
      tally.move(
        key,
        { status: (before as MessageRow).status },
        { status: to },
        (before as MessageRow).channel,
      );
      const [campaign] = await tally.flush();
      if (outOfTime) {
        const current = campaign ?? (await CampaignEntity.get(campaignKey).go()).data;
        if (current) await completeIfDone(current);
        return { outcome: "moved", status: "failed" };
      }
    } catch (error) {
      if (isConditionalFailure(error)) return { outcome: "unchanged" };
      throw error;
    }
  }
  // A campaign counted complete is sending again until this message ends.
  await CampaignEntity.patch(campaignKey)
    .set({ status: "sending" })
    .where((attr, { eq }) => eq(attr.status, "sent"))
    .go({ response: "none" })
    .catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
  await Job.enqueue(
    {
      kind: "send",
      ...campaignKey,
      jobId: message.jobId ?? message.messageId,
      messageIds: [key.messageId],
    } satisfies SendJob,
    { delaySeconds: backoff(message.attempts ?? 1) },
  );
  return { outcome: "moved", status: "scheduled" };
}

/** SES event published by the configuration set (eventType; `mail.tags` hold what we tagged). */
export const EmailEvent = z
  .object({
    eventType: z.string(),
    mail: z
      .object({ messageId: z.string(), tags: z.record(z.string(), z.array(z.string())).optional() })
      .loose(),
    bounce: z
      .object({
        bounceType: z.string(),
        bounceSubType: z.string().optional(),
        bouncedRecipients: z
          .array(z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() }).loose())
          .optional(),
      })
      .loose()
      .optional(),
    complaint: z.object({ complaintFeedbackType: z.string().optional() }).loose().optional(),
    reject: z.object({ reason: z.string() }).loose().optional(),
  })
  .loose();
export type EmailEvent = z.infer<typeof EmailEvent>;

/** SES Delivery / Bounce / Complaint / Reject / DeliveryDelay → status; permanent bounces and complaints mark the address unusable. */
export async function emailEvent(event: EmailEvent): Promise<EventResult> {
  const tags = event.mail.tags ?? {};
  const context = {
    companyId: tags.companyId?.[0] ?? "",
    campaignId: tags.campaignId?.[0] ?? "",
    messageId: tags.messageId?.[0] ?? "",
  };
  const key = await locate(context, event.mail.messageId);
  if (!key) return { outcome: "ignored" };
  const type = event.eventType;
  if (type === "Send") return apply(key, "sent", { providerMessageId: event.mail.messageId });
  if (type === "Delivery")
    return apply(key, "delivered", {
      providerMessageId: event.mail.messageId,
      deliveredAt: new Date().toISOString(),
    });
  if (type === "Bounce" && event.bounce?.bounceType === "Permanent") {
    const diagnostic = event.bounce.bouncedRecipients?.[0]?.diagnosticCode;
    const result = await apply(key, "undeliverable", {
      statusReason:
        `Bounce ${event.bounce.bounceSubType ?? "Permanent"}${diagnostic ? `: ${diagnostic}` : ""}`.slice(
          0,
          500,
        ),
    });
    await markEmailUnusable(key, "BOUNCE");
    return result;
  }
  if (type === "Complaint") {
    const result = await apply(key, "unsubscribed", { statusReason: "Complaint" });
    await markEmailUnusable(key, "COMPLAINT");
    return result;
  }
  if (type === "Reject")
    return apply(key, "undeliverable", { statusReason: `Reject: ${event.reject?.reason ?? ""}` });
  // Transient bounces and DeliveryDelay: SES keeps trying by itself; the message stays Envoyé.
  return { outcome: "ignored" };
}

/** Later sends skip this address: the contact's email is opted out with the source kept. */
async function markEmailUnusable(key: MessageKey, source: "BOUNCE" | "COMPLAINT") {
  const { data: message } = await MessageEntity.get(key).go();
  if (!message) return;
  await Suppression.add({
    companyId: key.companyId,
    channel: "email",
    address: message.to,
    source,
    contactId: message.contactId,
  });
  if (!message.contactId) return;
  await ContactEntity.patch({ companyId: key.companyId, contactId: message.contactId })
    .set({ optOutEmailAt: new Date().toISOString(), optOutEmailSource: source })
    .where((attr, { notExists }) => notExists(attr.optOutEmailAt))
    .go({ response: "none" })
    .catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
}
