import type { Envelope } from "../event";

/**
 * What an endpoint may subscribe to. The `dossier.*` events come from core/recruitment; `ping` is the
 * console's « Envoyer un test ».
 */
export const webhookEvents = [
  "dossier.submitted",
  "dossier.status_changed",
  "message.replied",
  "message.status_changed",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** Domain events published under another name; any other event goes out under its own. */
const renamed: Record<string, string> = { "reply.received": "message.replied" };

export const webhookNameOf = (domainName: string) => renamed[domainName] ?? domainName;

/**
 * The body an endpoint receives: `{ id, type, createdAt, data }`, `data` being the event's payload as
 * is (ids, statuses, a reply's text). An event this file does not know is forwarded the same way.
 */
export function bodyOf(event: Pick<Envelope, "id" | "name" | "occurredAt" | "payload">) {
  return JSON.stringify({
    id: event.id,
    type: webhookNameOf(event.name),
    createdAt: event.occurredAt,
    data: event.payload ?? {},
  });
}
