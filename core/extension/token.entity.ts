import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * A token of the browser extension, keyed by its hash as a session is (a call names the token, not its
 * company). `access` lives 15 minutes; `refresh` is spent once (`usedAt`) and lives 30 minutes unused.
 * Both belong to a family: one sign-in, ended whole by logout or by a refresh token used twice.
 */
export const ExtensionTokenEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "extensionToken", version: "1", service: "relais" },
        attributes: {
          tokenHash: { type: "string", required: true, readOnly: true },
          kind: { type: ["access", "refresh"] as const, required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          familyId: { type: "string", required: true, readOnly: true },
          expiresAtIso: { type: "string", required: true, readOnly: true },
          usedAt: { type: "string" },
          /** TTL: the row goes once it can no longer be used (a spent refresh token stays to catch reuse). */
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byToken: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

/**
 * One sign-in of the extension: who, and the password it was made with (a change or a reset ends it).
 * Every token's use reads it consistently, so deleting it (logout, reuse) ends every token at once.
 */
export const ExtensionFamilyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "extensionFamily", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          familyId: { type: "string", required: true, readOnly: true },
          userId: { type: "string", required: true, readOnly: true },
          passwordStamp: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          absoluteExpiresAt: { type: "string", required: true, readOnly: true },
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byFamily: {
            pk: { field: "pk", composite: ["companyId", "familyId"] },
            sk: { field: "sk", composite: [] },
          },
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
