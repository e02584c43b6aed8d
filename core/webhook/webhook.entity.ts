import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/** An HTTPS endpoint a company subscribed to some events; its secret signs every delivery. */
export const WebhookEndpointEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "webhookEndpoint", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          endpointId: { type: "string", required: true, readOnly: true },
          url: { type: "string", required: true },
          events: { type: "set", items: "string", required: true },
          /**
           * The signing secret (HMAC-SHA256 of every delivery), sealed for the company (secret.ts): a copy
           * of the table cannot forge our calls.
           */
          sealedSecret: { type: "string" },
          /** Endpoints created before sealing kept it in clear: sealed and removed when next read (secret.ts). */
          secret: { type: "string" },
          active: { type: "boolean", required: true, default: true },
          createdAt: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["endpointId"] },
          },
        },
      },
      entityConfig(),
    ),
);

export const deliveryStatuses = ["pending", "succeeded", "failed"] as const;

/**
 * One event for one endpoint, keyed by both (so an event redelivered to the subscriber writes nothing new),
 * with the outcome of its last attempt. Kept 30 days.
 */
export const WebhookDeliveryEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "webhookDelivery", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          endpointId: { type: "string", required: true, readOnly: true },
          /** The event's id (a ULID): deliveries sort by time, receivers dedupe by it. */
          eventId: { type: "string", required: true, readOnly: true },
          event: { type: "string", required: true, readOnly: true },
          /** The exact JSON body sent, signed as is. */
          body: { type: "string", required: true, readOnly: true },
          status: { type: deliveryStatuses, required: true },
          attempts: { type: "number", required: true, default: 0 },
          createdAt: { type: "string", required: true, readOnly: true },
          lastAttemptAt: { type: "string" },
          nextAttemptAt: { type: "string" },
          responseStatus: { type: "number" },
          durationMs: { type: "number" },
          error: { type: "string" },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byEndpoint: {
            pk: { field: "pk", composite: ["companyId", "endpointId"] },
            sk: { field: "sk", composite: ["eventId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * The events any active endpoint of the company listens to, rewritten with every endpoint change: the
 * message status path reads it (cached, see subscriptions.ts) to record `message.status_changed` only
 * for companies that want it.
 */
export const WebhookSubscriptionsEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "webhookSubscriptions", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          events: { type: "set", items: "string" },
          updatedAt: { type: "string", required: true },
        },
        indexes: {
          byCompany: { pk: { field: "pk", composite: ["companyId"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);
