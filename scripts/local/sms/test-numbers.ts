/**
 * Reserved destination numbers that choose a message's fate, like SES's mailbox simulator. Any other valid
 * number is delivered: TEXT_SUCCESSFUL then TEXT_DELIVERED. "Steps" are the events published in order; the
 * last one is final (isFinal: true). Keep README.md's table in step with this one.
 * They are 06 00 00 00 01…11: numbers the app's parser accepts as French mobiles (the former 07 00 00 00 xx
 * were refused by it), so each outcome can be driven from the console.
 */
import type { TextEventType } from "./sms-events";

export type Step = { eventType: TextEventType; pace: "normal" | "slow" };

export type Outcome = {
  number: string;
  label: string;
  /** A synchronous SendTextMessage failure instead of events. */
  rejects?: { error: "ConflictException"; reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT" };
  steps: Step[];
};

const normal = (eventType: TextEventType): Step => ({ eventType, pace: "normal" });

export const delivered: Outcome = {
  number: "",
  label: "Distribué (delivered)",
  steps: [normal("TEXT_SUCCESSFUL"), normal("TEXT_DELIVERED")],
};

export const testNumbers: readonly Outcome[] = [
  { number: "+33600000001", label: "Numéro invalide (invalid)", steps: [normal("TEXT_INVALID")] },
  {
    number: "+33600000002",
    label: "Téléphone injoignable (unreachable)",
    steps: [normal("TEXT_SUCCESSFUL"), normal("TEXT_UNREACHABLE")],
  },
  {
    number: "+33600000003",
    label: "Expiré avant remise (TTL expired)",
    steps: [normal("TEXT_QUEUED"), normal("TEXT_TTL_EXPIRED")],
  },
  {
    number: "+33600000004",
    label: "Bloqué par le téléphone (blocked)",
    steps: [normal("TEXT_SUCCESSFUL"), normal("TEXT_BLOCKED")],
  },
  { number: "+33600000005", label: "Classé spam (spam)", steps: [normal("TEXT_SPAM")] },
  {
    number: "+33600000006",
    label: "Désinscrit : envoi refusé (opted out: send refused)",
    rejects: { error: "ConflictException", reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT" },
    steps: [],
  },
  {
    number: "+33600000007",
    label: "Distribué lentement (slow delivery)",
    steps: [normal("TEXT_PENDING"), { eventType: "TEXT_SUCCESSFUL", pace: "slow" }, normal("TEXT_DELIVERED")],
  },
  {
    number: "+33600000008",
    label: "Opérateur injoignable (carrier unreachable)",
    steps: [normal("TEXT_CARRIER_UNREACHABLE")],
  },
  {
    number: "+33600000009",
    label: "Erreur inconnue (unknown)",
    steps: [normal("TEXT_SUCCESSFUL"), normal("TEXT_UNKNOWN")],
  },
  {
    number: "+33600000010",
    label: "Bloqué par l'opérateur (carrier blocked)",
    steps: [normal("TEXT_CARRIER_BLOCKED")],
  },
  {
    number: "+33600000011",
    label: "Message invalide (invalid message)",
    steps: [normal("TEXT_INVALID_MESSAGE")],
  },
];

const byNumber = new Map(testNumbers.map((outcome) => [outcome.number, outcome]));

export function outcomeFor(destination: string): Outcome {
  return byNumber.get(destination) ?? delivered;
}

export function isTestNumber(destination: string): boolean {
  return byNumber.has(destination);
}
