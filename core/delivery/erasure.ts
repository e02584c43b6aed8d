import { MessageEntity } from "../campaign/campaign.entity";
import { ReplyEntity } from "./delivery.entity";
import type { MessageRow } from "./status";

/**
 * GDPR erasure of what the delivery engine copied from a person: the address, name and rendered texts of
 * the messages sent to them, and the text and sender of their replies. Statuses and classifications stay,
 * so campaign statistics still add up; the address becomes `erased:<item id>`, which links nothing.
 * `to`, `from`, `body` and `party` are key or read-only attributes: the items are put again, in batches.
 */
export async function forgetPerson(input: { companyId: string; contactId: string; addresses: string[] }) {
  const { companyId, contactId } = input;
  const addresses = new Set(input.addresses.filter(Boolean));

  // Messages are found by the address they went to (byRecipient spans companies: filtered to ours).
  const messages: MessageRow[] = [];
  for (const to of addresses) {
    const found = await MessageEntity.query
      .byRecipient({ to })
      .where((attr, { eq }) => eq(attr.companyId, companyId))
      .go({ pages: "all" });
    messages.push(...found.data);
  }
  const erasedMessages = messages.map((row) => {
    const { name, body, subject, html, replyBody, ...kept } = row;
    return { ...kept, to: `erased:${row.messageId}`, updatedAt: new Date().toISOString() };
  });
  if (erasedMessages.length > 0) await MessageEntity.put(erasedMessages).go();

  // Replies are filed under the contact, or under the bare address when it was not known yet.
  const replies = [];
  for (const party of [contactId, ...addresses]) {
    const found = await ReplyEntity.query.byParty({ companyId, party }).go({ pages: "all" });
    replies.push(...found.data);
  }
  const erasedReplies = replies.map((row) => ({
    ...row,
    from: `erased:${row.replyId}`,
    body: "",
    party: row.party === contactId ? contactId : `erased:${row.replyId}`,
  }));
  if (erasedReplies.length > 0) await ReplyEntity.put(erasedReplies).go();
  return { messageIds: erasedMessages.map((row) => row.messageId), replies: erasedReplies.length };
}
