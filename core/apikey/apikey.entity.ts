import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * An API key, keyed by its id: a call names the key (`rk_live_<keyId>_<secret>`) but not its company, so
 * the key id is the partition, as a session's token hash is, and a consistent read by it sees a
 * revocation at once. The company's keys are listed through gsi1, whose partition starts with companyId.
 */
export const ApiKeyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "apiKey", version: "1", service: "relais" },
        attributes: {
          keyId: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true, readOnly: true },
          scopes: { type: "set", items: "string", required: true, readOnly: true },
          /** sha256 of the secret part: 256 random bits need no slow hash. */
          secretHash: { type: "string", required: true, readOnly: true },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          lastUsedAt: { type: "string" },
          revokedAt: { type: "string" },
          revokedByName: { type: "string" },
        },
        indexes: {
          byKey: { pk: { field: "pk", composite: ["keyId"] }, sk: { field: "sk", composite: [] } },
          byCompany: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId"] },
            sk: { field: "gsi1sk", composite: ["keyId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Calls per key and minute, gone through TTL (the rate limit). */
export const ApiKeyRateEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "apiKeyRate", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          keyId: { type: "string", required: true, readOnly: true },
          minute: { type: "string", required: true, readOnly: true },
          calls: { type: "number", required: true, default: 0 },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byKey: {
            pk: { field: "pk", composite: ["companyId", "keyId"] },
            sk: { field: "sk", composite: ["minute"] },
          },
        },
      },
      entityConfig(),
    ),
);
