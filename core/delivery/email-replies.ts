import PostalMime from "postal-mime";
import * as z from "zod";

/**
 * What SES publishes when a receipt rule's S3 action has stored an incoming email (documented
 * notification: `notificationType: "Received"`, the object's bucket and key under `receipt.action`).
 */
export const ReceivedNotification = z
  .object({
    notificationType: z.literal("Received"),
    mail: z.object({ messageId: z.string() }).loose(),
    receipt: z
      .object({
        action: z.object({ type: z.literal("S3"), bucketName: z.string(), objectKey: z.string() }).loose(),
      })
      .loose(),
  })
  .loose();
export type ReceivedNotification = z.infer<typeof ReceivedNotification>;

export type ParsedEmail = {
  messageId?: string;
  from?: string;
  to: string[];
  /** Message-IDs this email answers (In-Reply-To first, then References, newest first). */
  answers: string[];
  subject: string;
  text: string;
};

const bare = (id: string) => id.trim().replace(/^<|>$/g, "");

export async function parse(raw: Uint8Array): Promise<ParsedEmail> {
  const email = await PostalMime.parse(raw);
  const references = (email.references ?? "").split(/\s+/).filter(Boolean).reverse();
  const text = email.text ?? (email.html ? email.html.replace(/<[^>]+>/g, " ") : "");
  return {
    messageId: email.messageId ? bare(email.messageId) : undefined,
    from: email.from?.address?.toLowerCase(),
    to: [...(email.to ?? []), ...(email.cc ?? [])]
      .flatMap((entry) => ("address" in entry && entry.address ? [entry.address.toLowerCase()] : []))
      .concat((email.deliveredTo ? [email.deliveredTo] : []).map((address) => address.toLowerCase())),
    answers: [...(email.inReplyTo ? [email.inReplyTo] : []), ...references].map(bare),
    subject: email.subject ?? "",
    text: stripQuoted(text),
  };
}

/** Lines that open the quoted part of a reply in French and English mail clients. */
const quoteHeaders = [
  /^le .{3,200}a écrit\s*:?\s*$/i,
  /^on .{3,200}wrote\s*:?\s*$/i,
  /^-{2,}\s*(message d'origine|original message|message transféré|forwarded message)\s*-{2,}/i,
  /^(de|from)\s*:\s*.+$/i,
  /^_{10,}$/,
  /^envoyé de mon (iphone|android|mobile)/i,
  /^sent from my /i,
];

/**
 * The new text of a reply: what comes before the quoted message (« Le … a écrit : », "On … wrote:",
 * Outlook's header block, `>` lines) and before a mobile signature.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed.startsWith(">")) break;
    // Gmail wraps long « Le … a écrit : » lines: join with the next line before matching.
    const joined = `${trimmed} ${lines[index + 1]?.trim() ?? ""}`.trim();
    if (
      quoteHeaders.some(
        (pattern) =>
          pattern.test(trimmed) ||
          (index < lines.length - 1 && /^(le|on) /i.test(trimmed) && pattern.test(joined)),
      )
    )
      break;
    kept.push(line);
  }
  return kept.join("\n").trim();
}

/** `reply+<companyId>.<messageId>@…` (see send.ts `replyAddress`): the message a reply is addressed to. */
export function plusTag(addresses: string[]) {
  for (const address of addresses) {
    const match = /^reply\+([0-9a-z]{26})\.([0-9a-z]{26})@/i.exec(address);
    if (match) return { companyId: match[1]!.toUpperCase(), messageId: match[2]!.toUpperCase() };
  }
  return undefined;
}
