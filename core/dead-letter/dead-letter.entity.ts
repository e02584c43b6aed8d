import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * A message that failed every attempt of its queue and reached the DLQ, kept for the company's Admins
 * (or for the platform when it names no company) until retried or dismissed. Expires after 30 days.
 */
export const DeadLetterEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "deadLetter", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          /** The SQS message id: a redelivered dead letter is recorded once. */
          deadLetterId: { type: "string", required: true, readOnly: true },
          source: { type: ["dispatch", "import", "event"] as const, required: true, readOnly: true },
          /** What the job was about, for the list: a campaign, an import, an event type. */
          kind: { type: "string", required: true, readOnly: true },
          subjectId: { type: "string", readOnly: true },
          /** The queue it died on, by name (`dev-relais-dispatch`); older ones without stage, or none. */
          queue: { type: "string", readOnly: true },
          body: { type: "string", required: true, readOnly: true },
          attempts: { type: "number", required: true, readOnly: true },
          firstSentAt: { type: "string", readOnly: true },
          arrivedAt: { type: "string", required: true, readOnly: true },
          status: { type: ["open", "retried", "dismissed"] as const, required: true, default: "open" },
          handledBy: { type: "string" },
          handledAt: { type: "string" },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["deadLetterId"] },
          },
        },
      },
      entityConfig(),
    ),
);
