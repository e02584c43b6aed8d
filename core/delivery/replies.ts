import * as z from "zod";
import { withActor } from "../actor";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { OptOutThresholdReached } from "../campaign/campaign.events";
import { ContactEntity, ContactKeyEntity } from "../contact/contact.entity";
import { isConditionalFailure, write } from "../db";
import * as Event from "../event";
import { Suppression } from "../suppression";
import { type Classification, classifyReply, command, type Rule } from "./classify";
import { ReplyEntity } from "./delivery.entity";
import { type ParsedEmail, plusTag } from "./email-replies";
import { ReplyReceived } from "./reply.events";
import { advance, findByProviderId, type MessageKey, type MessageRow, Tally } from "./status";

/** Two-way SMS payload End User Messaging publishes to the number's inbound topic (documented format). */
export const InboundSms = z
  .object({
    originationNumber: z.string(),
    destinationNumber: z.string(),
    messageBody: z.string(),
    inboundMessageId: z.string(),
    previousPublishedMessageId: z.string().optional(),
  })
  .loose();
export type InboundSms = z.infer<typeof InboundSms>;

/** Opted-out share of a campaign above which it is paused and Admins are told (core/delivery/reactions.ts). */
export const optOutAlertRate = 0.01;
export const stopConfirmation =
  "Vous ne recevrez plus de SMS de notre part. / You will no longer receive text messages from us.";

/**
 * The message a reply answers: the one named by `previousPublishedMessageId`, else the latest open
 * Yes/No question sent to that person from the number they wrote to, else the latest message to them.
 */
export async function matchReply(reply: InboundSms): Promise<MessageRow | undefined> {
  if (reply.previousPublishedMessageId) {
    const named = await findByProviderId(reply.previousPublishedMessageId);
    if (named) return named as MessageRow;
  }
  const recent = await MessageEntity.query
    .byRecipient({ to: reply.originationNumber })
    .go({ order: "desc", limit: 50 });
  const fromThatNumber = (recent.data as MessageRow[]).filter(
    (message) =>
      message.channel === "sms" &&
      message.sentAt &&
      (!message.from || message.from === reply.destinationNumber),
  );
  return (
    fromThatNumber.find(
      (message) => message.question && (message.status === "sent" || message.status === "delivered"),
    ) ?? fromThatNumber[0]
  );
}

export type ReplyResult =
  | { outcome: "unmatched" | "duplicate" }
  | {
      outcome: "recorded";
      companyId: string;
      messageId: string;
      classification: Classification;
      rule: Rule;
      command?: string;
    };

/**
 * An email reply (SES receipt → S3 → here): matched by the SES Message-ID it answers (In-Reply-To,
 * References), else by the `reply+<company>.<message>@` address it was sent to; quoted text is gone.
 */
export async function inboundEmail(email: ParsedEmail, fallbackId: string): Promise<ReplyResult> {
  if (!email.from) return { outcome: "unmatched" };
  let message: MessageRow | undefined;
  for (const answered of email.answers) {
    const providerId = answered.split("@")[0] ?? "";
    message = providerId ? ((await findByProviderId(providerId)) as MessageRow | undefined) : undefined;
    if (message) break;
  }
  const tag = plusTag(email.to);
  if (!message && tag) {
    const sentTo = await MessageEntity.query
      .byRecipient({ to: email.from })
      .where(
        (attr, { eq }) => `${eq(attr.companyId, tag.companyId)} AND ${eq(attr.messageId, tag.messageId)}`,
      )
      .go({ pages: "all" });
    message = sentTo.data[0] as MessageRow | undefined;
  }
  // The address names the company: a Message-ID pointing elsewhere is not trusted over it.
  if (!message || (tag && tag.companyId !== message.companyId)) return { outcome: "unmatched" };
  const found = message;
  return withActor({ type: "system", companyId: found.companyId, reason: "email reply" }, () =>
    record(found, {
      channel: "email",
      from: email.from!,
      body: email.text || email.subject,
      replyId: email.messageId ?? fallbackId,
    }),
  );
}

/** An SMS reply: stored once, classified, opt-outs and channel switches applied, forwarded to the sender. */
export async function inboundSms(reply: InboundSms): Promise<ReplyResult> {
  const message = await matchReply(reply);
  if (!message) return { outcome: "unmatched" };
  return withActor({ type: "system", companyId: message.companyId, reason: "sms reply" }, () =>
    record(message, {
      channel: "sms",
      from: reply.originationNumber,
      body: reply.messageBody,
      replyId: reply.inboundMessageId,
    }),
  );
}

/**
 * Stores a reply once (keyed by its inbound id) and applies its effects. Each effect is safe to repeat
 * (conditional or monotonic writes), and the reply is marked handled only after all of them: a worker
 * that dies half-way leaves the reply unhandled, and the redelivered record finishes the job.
 */
async function record(
  message: MessageRow,
  input: { channel: "sms" | "email"; from: string; body: string; replyId: string },
): Promise<ReplyResult> {
  const key: MessageKey = {
    companyId: message.companyId,
    campaignId: message.campaignId,
    messageId: message.messageId,
  };
  const said = command(input.body);
  let { classification, rule } = said
    ? { classification: "other" as Classification, rule: "other.command" as Rule }
    : classifyReply(input.body);
  let receivedAt = new Date().toISOString();
  const contactId = message.contactId ?? (await contactOf(message.companyId, input.channel, input.from));
  const replyKey = { companyId: key.companyId, campaignId: key.campaignId, replyId: input.replyId };
  const body = input.body.slice(0, 2000);
  try {
    // `reply.received` is recorded with the reply: once per inbound message, whatever the retries.
    await Event.commit(
      [
        write.put(
          ReplyEntity.create({
            ...replyKey,
            messageId: key.messageId,
            contactId,
            party: contactId ?? input.from,
            channel: input.channel,
            from: input.from,
            body,
            classification,
            rule,
            command: said?.kind,
            receivedAt,
          }).params(),
        ),
      ],
      [
        ReplyReceived.create({
          campaignId: key.campaignId,
          messageId: key.messageId,
          replyId: input.replyId,
          channel: input.channel,
          classification,
          command: said?.kind,
          body,
        }),
      ],
    );
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    const { data: stored } = await ReplyEntity.get(replyKey).go();
    if (!stored || stored.handledAt) return { outcome: "duplicate" };
    // Stored by an attempt that did not finish: carry on with what it recorded.
    classification = stored.classification;
    rule = stored.rule ?? rule;
    receivedAt = stored.receivedAt;
  }
  if (said?.kind === "optout") {
    // The address's opt-out is the effect that matters (later sends skip it, contact or not): written first.
    await Suppression.add({
      companyId: key.companyId,
      channel: input.channel,
      address: input.from,
      source: "STOP",
      contactId,
      at: receivedAt,
    });
    if (contactId && input.channel === "sms") {
      const first = await ContactEntity.patch({ companyId: key.companyId, contactId })
        .set({ optOutSmsAt: receivedAt, optOutSmsSource: "STOP", optOutSmsReplyId: input.replyId })
        .where(
          (attr, { notExists, eq }) =>
            `${notExists(attr.optOutSmsAt)} OR ${eq(attr.optOutSmsReplyId, input.replyId)}`,
        )
        .go({ response: "none" })
        .then(
          () => true,
          (error: unknown) => {
            if (isConditionalFailure(error)) return false;
            throw error;
          },
        );
      // Confirmation once per opt-out: only the STOP that opted the contact out (or its retry) sends it.
      if (first) await confirmStop(input.from);
    }
    if (contactId && input.channel === "email")
      await ContactEntity.patch({ companyId: key.companyId, contactId })
        .set({ optOutEmailAt: receivedAt, optOutEmailSource: "STOP" })
        .where((attr, { notExists }) => notExists(attr.optOutEmailAt))
        .go({ response: "none" })
        .catch((error: unknown) => {
          if (!isConditionalFailure(error)) throw error;
        });
    // An answer given before the STOP stays the answer (its text and time): the opt-out goes beside it.
    const { data: current } = await MessageEntity.get(key).go({ consistent: true });
    await advance(key, "unsubscribed", {
      statusReason: "STOP",
      ...(current?.classification ? {} : { replyBody: input.body.slice(0, 500), repliedAt: receivedAt }),
    });
    await thresholdReached(key);
  } else {
    if (said?.kind === "channel" && contactId)
      await ContactEntity.patch({ companyId: key.companyId, contactId })
        .set({ preferredChannel: said.channel })
        .go({ response: "none" })
        .catch((error: unknown) => {
          if (!isConditionalFailure(error)) throw error;
        });
    const moved = await advance(key, "replied", {
      classification,
      replyRule: rule,
      replyBody: input.body.slice(0, 500),
      repliedAt: receivedAt,
    });
    // A later answer to a question already answered replaces the reading of the first one.
    if (!moved && !said)
      await reclassifyMessage(key, classification, {
        replyRule: rule,
        replyBody: input.body.slice(0, 500),
        repliedAt: receivedAt,
      });
  }
  // Forwarding to the sender is the `reply-forward` subscriber's (core/delivery/reactions.ts).
  await ReplyEntity.patch(replyKey).set({ handledAt: new Date().toISOString() }).go({ response: "none" });
  return {
    outcome: "recorded",
    companyId: key.companyId,
    messageId: key.messageId,
    classification,
    rule,
    command: said?.kind,
  };
}

/** Changes the answer of a message that has one (opted out since or not) and moves the yes/no/other counters with it. */
export async function reclassifyMessage(
  key: MessageKey,
  classification: Classification,
  extra: { replyBody?: string; repliedAt?: string; replyRule?: Rule } = {},
) {
  try {
    const result = await MessageEntity.patch(key)
      .set({ classification, ...extra, updatedAt: new Date().toISOString() })
      .where((attr, { exists }) => exists(attr.classification))
      .go({ response: "all_old" });
    const before = result.data as MessageRow;
    if (before.classification === classification) return true;
    const tally = new Tally();
    tally.move(key, before, { ...before, classification });
    await tally.flush();
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

async function contactOf(companyId: string, channel: "sms" | "email", address: string) {
  const { data } = await ContactKeyEntity.get({
    companyId,
    key: channel === "sms" ? `m:${address}` : `e:${address.toLowerCase()}`,
  }).go();
  return data?.contactId;
}

async function confirmStop(to: string) {
  // Loaded on the first SMS STOP: email replies never need the SMS client.
  const Sms = await import("../platform/sms");
  try {
    await Sms.send({
      to,
      body: stopConfirmation,
      messageType: "TRANSACTIONAL",
      context: { kind: "stop-confirmation" },
    });
  } catch (error) {
    // A carrier-managed opt-out list refuses it (the carrier confirms by itself): nothing to retry.
    if (!(error instanceof Sms.SmsError && error.kind === "permanent")) throw error;
  }
}

/**
 * Past 1 % opted out, `campaign.opt_out_threshold_reached` is recorded once, with `optOutAlertedAt`;
 * the `opt-out-alert` subscriber pauses the campaign and tells the Admins (core/delivery/reactions.ts).
 */
async function thresholdReached(key: MessageKey) {
  const campaignKey = { companyId: key.companyId, campaignId: key.campaignId };
  const { data: campaign } = await CampaignEntity.get(campaignKey).go({ consistent: true });
  if (!campaign || campaign.optOutAlertedAt) return;
  const total = Math.max(1, campaign.smsCount + campaign.emailCount);
  if (campaign.unsubscribed / total <= optOutAlertRate) return;
  try {
    await Event.commit(
      [
        write.update(
          CampaignEntity.patch(campaignKey)
            .set({ optOutAlertedAt: new Date().toISOString() })
            .where((attr, { notExists }) => notExists(attr.optOutAlertedAt))
            .params(),
        ),
      ],
      [
        OptOutThresholdReached.create({
          campaignId: key.campaignId,
          unsubscribed: campaign.unsubscribed,
          total,
        }),
      ],
    );
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}
