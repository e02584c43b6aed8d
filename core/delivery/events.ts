import { z } from "zod";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { ContactEntity } from "../contact/contact.entity";
import { isConditionalFailure } from "../db";
import { completeIfDone } from "./send";
import { advance, findByProviderId, type MessageKey, type MessageStatus } from "./status";

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
  // Transient on the carrier's side; recorded as Non délivré with the reason (see README: not re-sent yet).
  TEXT_UNREACHABLE: "undeliverable",
  TEXT_CARRIER_UNREACHABLE: "undeliverable",
  TEXT_TTL_EXPIRED: "undeliverable",
  TEXT_UNKNOWN: "undeliverable",
};

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
): Promise<EventResult> {
  const before = await advance(key, status, extra);
  if (!before) return { outcome: "unchanged" };
  // The event moved a message out of `sending` (the worker had not recorded it yet): may complete the campaign.
  if (before.status === "sending") {
    const { data } = await CampaignEntity.get({ companyId: key.companyId, campaignId: key.campaignId }).go();
    if (data) await completeIfDone(data);
  }
  return { outcome: "moved", status };
}

/** SMS delivery event → monotonic status change; unknown event types and messages are ignored. */
export async function smsEvent(event: SmsEvent): Promise<EventResult> {
  const status = smsStatus[event.eventType];
  if (!status) return { outcome: "ignored" };
  const key = await locate(event.context, event.messageId);
  if (!key) return { outcome: "ignored" };
  const at = new Date().toISOString();
  return apply(key, status, {
    providerMessageId: event.messageId,
    from: event.originationPhoneNumber,
    ...(status === "delivered" ? { deliveredAt: at } : {}),
    ...(status === "undeliverable"
      ? {
          statusReason: `${event.eventType}${event.messageStatusDescription ? `: ${event.messageStatusDescription}` : ""}`,
        }
      : {}),
  });
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
  if (!message?.contactId) return;
  await ContactEntity.patch({ companyId: key.companyId, contactId: message.contactId })
    .set({ optOutEmailAt: new Date().toISOString(), optOutEmailSource: source })
    .where((attr, { notExists }) => notExists(attr.optOutEmailAt))
    .go({ response: "none" })
    .catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
}
