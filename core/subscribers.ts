import { OptOutThresholdReached } from "./campaign/campaign.events";
import { ReplyReceived } from "./delivery/reply.events";
import { MessageStatusChanged } from "./delivery/status.events";
import { queueName, type Subscriber, subscriber } from "./event";
import { DossierStatusChanged, DossierSubmitted } from "./recruitment/dossier.events";
import { SuppressionAdded } from "./suppression/suppression.events";
import { CapThresholdReached } from "./usage/usage.events";
import { DocumentPublished, DocumentSigned } from "./vault/vault.events";

/**
 * Every subscriber to domain events, in one place: its name (its queue `events-<name>` and its markers),
 * the events it wants (its queue's filter policy) and what it does. The Events stack and the local cloud
 * build one queue, DLQ and consumer per entry; functions/subscribers/consume.ts runs them. Reactions are
 * imported on a subscriber's first event: every consumer shares one bundle, and each loads only its own.
 */
export const subscribers = [
  subscriber("reply-forward", [ReplyReceived], async (event) =>
    (await import("./delivery/reactions")).forwardReply(event),
  ),
  subscriber("opt-out-alert", [OptOutThresholdReached], async (event) =>
    (await import("./delivery/reactions")).alertOptOuts(event),
  ),
  subscriber("reminder-stop", [SuppressionAdded], async (event) =>
    (await import("./reminder/reactions")).cancelOnStop(event),
  ),
  subscriber("cap-alert", [CapThresholdReached], async (event) =>
    (await import("./usage/cap-alerts")).alertAdmins(event),
  ),
  // Outgoing webhooks (core/webhook): payloads are forwarded as they are.
  subscriber(
    "webhooks",
    [ReplyReceived, MessageStatusChanged, DossierSubmitted, DossierStatusChanged],
    async (event) => (await import("./webhook/delivery")).forward(event),
  ),
  subscriber("recruitment-emails", [DossierSubmitted, DossierStatusChanged], async (event) =>
    (await import("./recruitment/dossier")).react(event),
  ),
  // Information campaigns: by document type, the campaign's documents join the published one, once;
  // a campaign document signed counts in its « signés ».
  subscriber("info-campaigns", [DocumentPublished, DocumentSigned], async (event) => {
    const reach = await import("./info-campaign/reach");
    if (event.name === "document.signed") await reach.onDocumentSigned(event);
    else await reach.onDocumentPublished(event);
  }),
  // Oui/Non surveys asked by SMS: a reply sorted yes or no is the employee's answer.
  subscriber("survey-replies", [ReplyReceived], async (event) =>
    (await import("./survey/sms")).onReply(event),
  ),
] as const;

export type SubscriberName = (typeof subscribers)[number]["name"];

/** The subscriber a queue feeds, from the queue's ARN or URL (`…events-<name>`). */
export function subscriberOfQueue(queue: string): Subscriber | undefined {
  const name = queue.split(/[:/]/).pop() ?? "";
  return subscribers.find(
    (candidate) => name === queueName(candidate) || name.endsWith(`-${queueName(candidate)}`),
  );
}
