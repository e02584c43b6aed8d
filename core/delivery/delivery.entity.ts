import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";
import { ruleCodes } from "./classify";

/** One answer to a message (SMS or email), kept as received; `classification` may be corrected by hand. */
export const ReplyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "reply", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          replyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          messageId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", readOnly: true },
          /** Whose conversation this belongs to: the contact, or the bare number/address when unknown. */
          party: { type: "string", required: true, readOnly: true },
          channel: { type: ["sms", "email"] as const, required: true, readOnly: true },
          from: { type: "string", required: true, readOnly: true },
          body: { type: "string", required: true, readOnly: true },
          classification: { type: ["yes", "no", "other"] as const, required: true },
          /** Which rule of classify.ts read it (absent on replies stored before rules were kept). */
          rule: { type: ruleCodes, readOnly: true },
          command: { type: ["optout", "channel"] as const, readOnly: true },
          reclassifiedBy: { type: "string" },
          receivedAt: { type: "string", required: true, readOnly: true },
          /** Its effects are done (a redelivered reply stops here) and, apart, when it was forwarded. */
          handledAt: { type: "string" },
          forwardedAt: { type: "string" },
        },
        indexes: {
          /** The inbound id makes a redelivered reply a no-op (conditional create). */
          byCampaign: {
            pk: { field: "pk", composite: ["companyId", "campaignId"] },
            sk: { field: "sk", composite: ["replyId"] },
          },
          byParty: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "party"] },
            sk: { field: "gsi1sk", composite: ["receivedAt"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * Tokens spent per company, channel and second, shared by every worker: a conditional ADD refuses the
 * token once `used` reaches the limit. Items expire a minute later.
 */
export const RateEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "rate", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          channel: { type: ["sms", "email"] as const, required: true, readOnly: true },
          second: { type: "number", required: true, readOnly: true },
          used: { type: "number" },
          expiresAt: { type: "number" },
        },
        indexes: {
          bySecond: {
            pk: { field: "pk", composite: ["companyId", "channel"] },
            sk: { field: "sk", composite: ["second"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * The lease of one send job (a fixed group of up to 25 messages of a campaign, named by `jobId` on each
 * message). Whoever holds it is the only one sending those messages, so a message needs no claim of its
 * own: one conditional write per job instead of one per message. `leaseUntil` 0 means released.
 */
export const SendJobEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "sendjob", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          jobId: { type: "string", required: true, readOnly: true },
          attemptId: { type: "string" },
          /** Epoch milliseconds; 0 once the attempt has ended. */
          leaseUntil: { type: "number" },
          expiresAt: { type: "number" },
        },
        indexes: {
          byJob: {
            pk: { field: "pk", composite: ["companyId", "campaignId"] },
            sk: { field: "sk", composite: ["jobId"] },
          },
        },
      },
      entityConfig(),
    ),
);
