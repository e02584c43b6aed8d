import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/** Keyed by the hash of the cookie's token; expires through TTL at its absolute lifetime. */
export const SessionEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "session", version: "1", service: "relais" },
        attributes: {
          tokenHash: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          userId: { type: "string", required: true, readOnly: true },
          csrfToken: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          lastSeenAt: { type: "string", required: true },
          idleExpiresAt: { type: "string", required: true },
          absoluteExpiresAt: { type: "string", required: true, readOnly: true },
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byToken: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
          byUser: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "userId"] },
            sk: { field: "gsi1sk", composite: ["createdAt"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Failed login counters, one item per key and 15-minute window, gone through TTL. */
export const AttemptEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "attempt", version: "1", service: "relais" },
        attributes: {
          key: { type: "string", required: true, readOnly: true },
          window: { type: "string", required: true, readOnly: true },
          failures: { type: "number", required: true, default: 0 },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byKey: { pk: { field: "pk", composite: ["key"] }, sk: { field: "sk", composite: ["window"] } },
        },
      },
      entityConfig(),
    ),
);

/** Single-use password reset links. */
export const ResetTokenEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "resetToken", version: "1", service: "relais" },
        attributes: {
          tokenHash: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          userId: { type: "string", required: true, readOnly: true },
          validUntil: { type: "string", required: true, readOnly: true },
          /** Fingerprint of the password when the link was made: any change since (another link, a new password) kills it. */
          passwordStamp: { type: "string", required: true, readOnly: true },
          usedAt: { type: "string" },
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byToken: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);
