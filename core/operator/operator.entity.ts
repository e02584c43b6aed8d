import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * A platform operator: keyed by its own id, under no company, so no company's export or erasure ever
 * reaches it. `totpSecret` is base32 (RFC 6238, SHA-1, 6 digits, 30 s).
 */
export const OperatorEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "operator", version: "1", service: "relais" },
        attributes: {
          operatorId: { type: "string", required: true, readOnly: true },
          email: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          passwordHash: { type: "string", required: true },
          totpSecret: { type: "string", required: true },
          /** The last TOTP step accepted: a code of that step or an earlier one is refused (no replay). */
          lastTotpStep: { type: "number" },
          status: { type: ["active", "disabled"] as const, required: true, default: "active" },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byId: { pk: { field: "pk", composite: ["operatorId"] }, sk: { field: "sk", composite: [] } },
          byEmail: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["email"] },
            sk: { field: "gsi1sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

/** An operator's session, keyed by the hash of its cookie's token; gone through TTL. */
export const OperatorSessionEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "operatorSession", version: "1", service: "relais" },
        attributes: {
          tokenHash: { type: "string", required: true, readOnly: true },
          operatorId: { type: "string", required: true, readOnly: true },
          csrfToken: { type: "string", required: true, readOnly: true },
          /** Password checked, TOTP not yet: the session opens nothing but the TOTP step. */
          pending: { type: "boolean", required: true },
          createdAt: { type: "string", required: true, readOnly: true },
          lastSeenAt: { type: "string", required: true },
          idleExpiresAt: { type: "string", required: true },
          absoluteExpiresAt: { type: "string", required: true, readOnly: true },
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byToken: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);
