import { decodeTime } from "ulid";
import * as z from "zod";
import { useCompanyId, useUser } from "../actor";
import { Campaign } from "../campaign";
import { MessageEntity } from "../campaign/campaign.entity";
import { toRecipient } from "../campaign/results";
import { Contact } from "../contact";
import { ReplyEntity } from "../delivery/delivery.entity";
import type { MessageRow } from "../delivery/status";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { escapeHtml } from "../text";

/**
 * Every message sent to one contact (by their number and address, this company only) and every reply
 * they sent, both channels, oldest first: the conversation view.
 */
export const fromContact = fn(z.string(), async (contactId) => {
  const companyId = useCompanyId();
  const contact = await Contact.visible(contactId);
  const addresses = [contact.mobile, contact.email].filter((address): address is string => Boolean(address));
  const [replies, ...sent] = await Promise.all([
    ReplyEntity.query.byParty({ companyId, party: contactId }).go({ pages: "all" }),
    ...addresses.map((to) =>
      MessageEntity.query
        .byRecipient({ to })
        .where((attr, { eq }) => eq(attr.companyId, companyId))
        .go({ pages: "all" }),
    ),
  ]);
  const messages = new Map<string, MessageRow>();
  for (const page of sent) for (const row of page.data as MessageRow[]) messages.set(row.messageId, row);
  // Replies to messages sent before the contact's number changed are still shown with what they answered.
  const missing = replies.data
    .filter((reply) => !messages.has(reply.messageId))
    .map((reply) => ({ companyId, campaignId: reply.campaignId, messageId: reply.messageId }));
  const unique = [...new Map(missing.map((key) => [key.messageId, key])).values()];
  if (unique.length > 0)
    for (const row of (await MessageEntity.get(unique).go()).data as MessageRow[])
      messages.set(row.messageId, row);
  return {
    contact: {
      contactId,
      name: [contact.firstName, contact.lastName].filter(Boolean).join(" "),
      mobile: contact.mobile,
      email: contact.email,
      optedOutSms: Boolean(contact.optOutSmsAt),
      optedOutEmail: Boolean(contact.optOutEmailAt),
    },
    messages: [...messages.values()]
      .sort((a, b) => a.messageId.localeCompare(b.messageId))
      .map((message) => ({
        campaignId: message.campaignId,
        ...toRecipient(message),
        body: message.body ?? message.subject,
        createdAt: new Date(decodeTime(message.messageId)).toISOString(),
      })),
    replies: replies.data.map((reply) => ({
      replyId: reply.replyId,
      campaignId: reply.campaignId,
      messageId: reply.messageId,
      channel: reply.channel,
      body: reply.body,
      classification: reply.classification,
      rule: reply.reclassifiedBy ? ("manual" as const) : reply.rule,
      receivedAt: reply.receivedAt,
    })),
  };
});

/**
 * The reply box of the conversation view: one message to this contact, sent like any campaign (quiet
 * hours, opt-outs, statuses), from the number that takes replies so the conversation can go on.
 */
export const reply = fn(
  z.object({
    contactId: z.string(),
    body: z.string().trim().min(1, "Write a message").max(1600),
    channel: z.enum(["sms", "email"]).optional(),
  }),
  async (input) => {
    const contact = await Contact.visible(input.contactId);
    const actor = useUser();
    const agencyId =
      [...contact.agencyIds].find((id) => actor.role === "admin" || actor.agencyIds.includes(id)) ??
      actor.agencyIds[0];
    if (!agencyId) throw new VisibleError("campaign.no_agency", "You belong to no agency", 400);
    const name =
      [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.mobile || contact.email;
    const paragraphs = input.body
      .split(/\n{2,}/)
      .map((part) => `<p>${escapeHtml(part).replace(/\n/g, "<br>")}</p>`)
      .join("");
    return Campaign.create({
      kind: "info",
      conversation: true,
      title: `Conversation · ${name}`,
      agencyId,
      smsBody: input.channel === "email" ? "" : input.body,
      emailSubject: `Message de ${actor.name}`,
      emailHtml: input.channel === "sms" ? "" : paragraphs,
      recipients: { contactIds: [input.contactId] },
    });
  },
);
