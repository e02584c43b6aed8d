/**
 * Payloads that End User Messaging SMS publishes to SNS, reproduced from the documentation:
 * - configuration-set event (one SNS message per event and matching destination):
 *   https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html
 *   https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-features-messaging-events.html
 * - event types and what each means:
 *   https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-types.html
 * - two-way (inbound) SMS published to the number's TwoWayChannelArn:
 *   https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html
 * - opt-out keywords: https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html
 */
import type { Encoding } from "./sms-segments";

/** SMS event types an event destination can match (TEXT_SENT exists in the API but is refused there). */
export const textEventTypes = [
  "TEXT_DELIVERED",
  "TEXT_SUCCESSFUL",
  "TEXT_QUEUED",
  "TEXT_PENDING",
  "TEXT_BLOCKED",
  "TEXT_TTL_EXPIRED",
  "TEXT_CARRIER_UNREACHABLE",
  "TEXT_INVALID",
  "TEXT_INVALID_MESSAGE",
  "TEXT_CARRIER_BLOCKED",
  "TEXT_UNREACHABLE",
  "TEXT_SPAM",
  "TEXT_UNKNOWN",
  "TEXT_PROTECT_BLOCKED",
] as const;
export type TextEventType = (typeof textEventTypes)[number];

/**
 * messageStatus is the event type without its TEXT_ prefix. Only the SUCCESSFUL description is quoted
 * from the documentation's example; the others are the emulator's wording of the event-type descriptions.
 */
const descriptions: Record<TextEventType, string> = {
  TEXT_SUCCESSFUL: "Message has been accepted by phone carrier",
  TEXT_DELIVERED: "Message has been accepted by phone",
  TEXT_QUEUED: "Message is queued for delivery",
  TEXT_PENDING: "Message is being delivered",
  TEXT_BLOCKED: "Phone has blocked SMS",
  TEXT_TTL_EXPIRED: "Message expired before it could be delivered",
  TEXT_CARRIER_UNREACHABLE: "Phone carrier is currently unreachable/unavailable",
  TEXT_INVALID: "Destination phone number is invalid",
  TEXT_INVALID_MESSAGE: "Message body is invalid",
  TEXT_CARRIER_BLOCKED: "Phone carrier has blocked this message",
  TEXT_UNREACHABLE: "Phone is currently unreachable/unavailable",
  TEXT_SPAM: "Phone carrier has blocked this message as spam",
  TEXT_UNKNOWN: "Unknown error attempting to reach phone",
  TEXT_PROTECT_BLOCKED: "Message blocked by protect configuration",
};

/** Documented field order and names; mcc/mnc are optional in the documentation and left out here. */
export type SmsEvent = {
  eventType: TextEventType;
  eventVersion: "1.0";
  eventTimestamp: number;
  isFinal: boolean;
  originationPhoneNumber: string;
  destinationPhoneNumber: string;
  isInternationalSend: boolean;
  isoCountryCode?: string;
  messageId: string;
  messageRequestTimestamp: number;
  messageEncoding: Encoding;
  messageType: "TRANSACTIONAL" | "PROMOTIONAL";
  messageStatus: string;
  messageStatusDescription: string;
  context?: Record<string, string>;
  totalMessageParts: number;
  totalMessagePrice: number;
  totalCarrierFee: number;
};

export type SmsEventInput = {
  eventType: TextEventType;
  isFinal: boolean;
  at: Date;
  message: {
    messageId: string;
    from: string;
    to: string;
    fromCountry?: string;
    toCountry?: string;
    createdAt: string;
    encoding: Encoding;
    messageType: "TRANSACTIONAL" | "PROMOTIONAL";
    context?: Record<string, string>;
    parts: number;
  };
};

/** USD per part, close to AWS's price for France; only there so the field carries a plausible number. */
const pricePerPart = 0.07346;

export function priceOf(parts: number): number {
  return Math.round(parts * pricePerPart * 1e5) / 1e5;
}

export function smsEvent({ eventType, isFinal, at, message }: SmsEventInput): SmsEvent {
  return {
    eventType,
    eventVersion: "1.0",
    eventTimestamp: at.getTime(),
    isFinal,
    originationPhoneNumber: message.from,
    destinationPhoneNumber: message.to,
    isInternationalSend: Boolean(message.fromCountry && message.toCountry !== message.fromCountry),
    ...(message.toCountry ? { isoCountryCode: message.toCountry } : {}),
    messageId: message.messageId,
    messageRequestTimestamp: Date.parse(message.createdAt),
    messageEncoding: message.encoding,
    messageType: message.messageType,
    messageStatus: eventType.slice("TEXT_".length),
    messageStatusDescription: descriptions[eventType],
    ...(message.context && Object.keys(message.context).length > 0 ? { context: message.context } : {}),
    totalMessageParts: message.parts,
    totalMessagePrice: priceOf(message.parts),
    totalCarrierFee: 0,
  };
}

/** True when an event destination with these MatchingEventTypes should receive this event. */
export function matches(matchingEventTypes: readonly string[], eventType: TextEventType): boolean {
  return matchingEventTypes.some((type) => type === "ALL" || type === "TEXT_ALL" || type === eventType);
}

export type InboundSms = {
  originationNumber: string;
  destinationNumber: string;
  messageKeyword: string;
  messageBody: string;
  inboundMessageId: string;
  previousPublishedMessageId?: string;
};

export const optOutKeywords = [
  "ARRET",
  "CANCEL",
  "END",
  "OPT-OUT",
  "OPTOUT",
  "QUIT",
  "REMOVE",
  "STOP",
  "TD",
  "UNSUBSCRIBE",
] as const;
const defaultKeywords = new Set<string>([...optOutKeywords, "HELP"]);

/** The first word, without accents ("Arrêt" → "ARRET"), uppercased: keywords are case-insensitive. */
function firstWord(body: string): string {
  const word = body.trim().split(/\s+/)[0] ?? "";
  return word
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toUpperCase();
}

export function isOptOut(body: string): boolean {
  return (optOutKeywords as readonly string[]).includes(firstWord(body));
}

/**
 * messageKeyword is documented as "the registered keyword associated with your number". A reply that starts
 * with no registered keyword carries the account's catch-all keyword, seen in the wild as KEYWORD_<account>.
 */
export function keywordOf(body: string, accountId: string): string {
  const word = firstWord(body);
  return defaultKeywords.has(word) ? word : `KEYWORD_${accountId}`;
}

export function inboundSms(input: {
  from: string;
  to: string;
  body: string;
  accountId: string;
  inboundMessageId: string;
  previousPublishedMessageId?: string;
}): InboundSms {
  return {
    originationNumber: input.from,
    destinationNumber: input.to,
    messageKeyword: keywordOf(input.body, input.accountId),
    messageBody: input.body,
    inboundMessageId: input.inboundMessageId,
    ...(input.previousPublishedMessageId
      ? { previousPublishedMessageId: input.previousPublishedMessageId }
      : {}),
  };
}
