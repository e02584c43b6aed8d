import { randomUUID } from "node:crypto";
import * as z from "zod";
import type { Publish } from "./delivery";
import { isValidDestination, normalizeNumber } from "./phone-numbers";
import { type InboundSms, inboundSms, isOptOut } from "./sms-events";
import { countSegments } from "./sms-segments";
import type { Message, PhoneNumber, Store } from "./state";

/** A reply typed on a handset: `from` is the handset, `to` our long number; either `to` or `inReplyTo` may be inferred. */
export const ReplyInput = z.object({
  from: z.string().min(1),
  to: z.string().min(1).optional(),
  body: z.string().min(1).max(1600),
  inReplyTo: z.string().min(1).optional(),
});
export type ReplyInput = z.input<typeof ReplyInput>;

/** A refusal of the control API, answered as JSON `{ error }` with this status. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 502,
    message: string,
  ) {
    super(message);
  }
}

export type InboundContext = { store: Store; accountId: string; publish: Publish };

/**
 * Delivers a handset's reply the way two-way SMS does: to the TwoWayChannelArn of the long number it is sent
 * to, with previousPublishedMessageId naming the message answered. Opt-out keywords are still published (the
 * application honours them) and, unless opt-outs are self-managed, the handset joins the number's opt-out list.
 */
export async function receiveReply(
  ctx: InboundContext,
  raw: ReplyInput,
): Promise<{ message: Message; payload: InboundSms }> {
  const input = ReplyInput.parse(raw);
  const from = normalizeNumber(input.from);
  if (!isValidDestination(from))
    throw new ControlError(400, `from: ${input.from} is not a valid phone number`);
  const { number, answered } = target(
    ctx.store,
    from,
    input.to && normalizeNumber(input.to),
    input.inReplyTo,
  );
  if (!number.TwoWayEnabled || !number.TwoWayChannelArn)
    throw new ControlError(
      409,
      `Two-way SMS is off for ${number.PhoneNumber}: call UpdatePhoneNumber with TwoWayEnabled and TwoWayChannelArn`,
    );
  if (!number.TwoWayChannelArn.startsWith("arn:aws:sns:"))
    throw new ControlError(409, `Only SNS two-way channels are emulated, not ${number.TwoWayChannelArn}`);

  const payload = inboundSms({
    from,
    to: number.PhoneNumber,
    body: input.body,
    accountId: ctx.accountId,
    inboundMessageId: randomUUID(),
    ...(answered ? { previousPublishedMessageId: answered.messageId } : {}),
  });
  try {
    await ctx.publish(number.TwoWayChannelArn, payload);
  } catch (error) {
    throw new ControlError(
      502,
      `Could not publish to ${number.TwoWayChannelArn}: ${(error as Error).message}`,
    );
  }
  if (isOptOut(input.body) && !number.SelfManagedOptOutsEnabled)
    ctx.store.optOut(number.OptOutListName, from, true);

  const { encoding, parts } = countSegments(input.body);
  const message: Message = {
    messageId: payload.inboundMessageId,
    direction: "inbound",
    from,
    to: number.PhoneNumber,
    body: input.body,
    createdAt: new Date().toISOString(),
    encoding,
    parts,
    status: "RECEIVED",
    events: [],
    originationKind: "handset",
    keyword: payload.messageKeyword,
    topicArn: number.TwoWayChannelArn,
    ...(answered ? { inReplyTo: answered.messageId } : {}),
  };
  ctx.store.addMessage(message);
  return { message, payload };
}

function target(
  store: Store,
  from: string,
  to: string | undefined,
  inReplyTo: string | undefined,
): { number: PhoneNumber; answered?: Message } {
  const outbound = store.data.messages.filter((m) => m.direction === "outbound" && m.to === from);
  const latest = (predicate: (m: Message) => boolean) => outbound.findLast(predicate);

  if (inReplyTo) {
    const answered = store.findMessage(inReplyTo);
    if (answered?.direction !== "outbound") throw new ControlError(404, `No sent message ${inReplyTo}`);
    if (answered.to !== from)
      throw new ControlError(400, `Message ${inReplyTo} was sent to ${answered.to}, not ${from}`);
    if (answered.originationKind !== "phone-number")
      throw new ControlError(
        409,
        `Message ${inReplyTo} came from sender ID ${answered.from}, which cannot receive replies`,
      );
    if (to && to !== answered.from)
      throw new ControlError(400, `Message ${inReplyTo} came from ${answered.from}, not ${to}`);
    return { number: requireNumber(store, answered.from), answered };
  }
  if (to) {
    const answered = latest((m) => m.from === to);
    return { number: requireNumber(store, to), ...(answered ? { answered } : {}) };
  }
  const answered = latest((m) => m.originationKind === "phone-number");
  if (!answered)
    throw new ControlError(
      400,
      `No message from a long number was sent to ${from}: say which number to reply to (to)`,
    );
  return { number: requireNumber(store, answered.from), answered };
}

function requireNumber(store: Store, phoneNumber: string): PhoneNumber {
  const number = store.data.phoneNumbers.find((n) => n.PhoneNumber === phoneNumber);
  if (!number) throw new ControlError(404, `${phoneNumber} is not a phone number of this emulator`);
  return number;
}
