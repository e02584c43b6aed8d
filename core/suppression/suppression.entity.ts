import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/**
 * One item per company, channel and normalised address (E.164 number, lower-case email) that must not
 * be written to: opt-outs of people with or without a contact. Keyed for a batch read per send job.
 */
export const SuppressionEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "suppression", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          channel: { type: ["sms", "email"] as const, required: true, readOnly: true },
          address: { type: "string", required: true, readOnly: true },
          /** STOP (from the person, by SMS or email), COMPLAINT, BOUNCE, or manual. */
          source: { type: "string", required: true },
          reason: { type: "string" },
          at: { type: "string", required: true },
          contactId: { type: "string" },
        },
        indexes: {
          byAddress: {
            pk: { field: "pk", composite: ["companyId", "channel", "address"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);
