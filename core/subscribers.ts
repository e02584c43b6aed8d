import { OptOutThresholdReached } from "./campaign/campaign.events";
import { alertOptOuts, forwardReply } from "./delivery/reactions";
import { ReplyReceived } from "./delivery/reply.events";
import { MessageStatusChanged } from "./delivery/status.events";
import { queueName, type Subscriber, subscriber } from "./event";
import { react as sendDossierEmails } from "./recruitment/dossier";
import { DossierStatusChanged, DossierSubmitted } from "./recruitment/dossier.events";
import { cancelOnStop } from "./reminder/reactions";
import { SuppressionAdded } from "./suppression/suppression.events";
import { alertAdmins as alertCap } from "./usage/cap-alerts";
import { CapThresholdReached } from "./usage/usage.events";
import { forward as forwardToWebhooks } from "./webhook/delivery";

/**
 * Every subscriber to domain events, in one place: its name (its queue `events-<name>` and its markers),
 * the events it wants (its queue's filter policy) and what it does. The Events stack and the local cloud
 * build one queue, DLQ and consumer per entry; functions/subscribers/consume.ts runs them.
 */
export const subscribers = [
  subscriber("reply-forward", [ReplyReceived], forwardReply),
  subscriber("opt-out-alert", [OptOutThresholdReached], alertOptOuts),
  subscriber("reminder-stop", [SuppressionAdded], cancelOnStop),
  subscriber("cap-alert", [CapThresholdReached], alertCap),
  // Outgoing webhooks (core/webhook): payloads are forwarded as they are.
  subscriber(
    "webhooks",
    [ReplyReceived, MessageStatusChanged, DossierSubmitted, DossierStatusChanged],
    forwardToWebhooks,
  ),
  subscriber("recruitment-emails", [DossierSubmitted, DossierStatusChanged], sendDossierEmails),
] as const;

export type SubscriberName = (typeof subscribers)[number]["name"];

/** The subscriber a queue feeds, from the queue's ARN or URL (`…events-<name>`). */
export function subscriberOfQueue(queue: string): Subscriber | undefined {
  const name = queue.split(/[:/]/).pop() ?? "";
  return subscribers.find(
    (candidate) => name === queueName(candidate) || name.endsWith(`-${queueName(candidate)}`),
  );
}
