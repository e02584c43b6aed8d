import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const campaignStatuses = ["draft", "scheduled", "sending", "sent", "paused", "cancelled"] as const;
/** Programmé, En cours, Envoyé, Délivré, Non délivré, Répondu, Échec, Désabonné (glossary). */
export const messageStatuses = [
  "scheduled",
  "sending",
  "sent",
  "delivered",
  "undeliverable",
  "replied",
  "failed",
  "unsubscribed",
] as const;

export const CampaignEntity = onTable(
  new Entity(
    {
      model: { entity: "campaign", version: "1", service: "relais" },
      attributes: {
        companyId: { type: "string", required: true, readOnly: true },
        campaignId: { type: "string", required: true, readOnly: true },
        kind: { type: ["yesno", "info"] as const, required: true, readOnly: true },
        title: { type: "string", required: true },
        reference: { type: "string" },
        agencyId: { type: "string", required: true, readOnly: true },
        createdBy: { type: "string", required: true, readOnly: true },
        createdByName: { type: "string", required: true, readOnly: true },
        status: { type: campaignStatuses, required: true },
        sendAt: { type: "string", required: true },
        urgent: { type: "boolean", required: true, default: false },
        smsBody: { type: "string", required: true, default: "" },
        emailSubject: { type: "string", required: true, default: "" },
        emailHtml: { type: "string", required: true, default: "" },
        attachmentKeys: { type: "list", items: { type: "string" } },
        recipients: { type: "number", required: true, default: 0 },
        smsCount: { type: "number", required: true, default: 0 },
        emailCount: { type: "number", required: true, default: 0 },
        excluded: { type: "number", required: true, default: 0 },
        smsUnits: { type: "number", required: true, default: 0 },
        costMillicents: { type: "number", required: true, default: 0 },
        createdAt: {
          type: "string",
          required: true,
          readOnly: true,
          default: () => new Date().toISOString(),
        },
      },
      indexes: {
        byCompany: {
          pk: { field: "pk", composite: ["companyId"] },
          sk: { field: "sk", composite: ["campaignId"] },
        },
      },
    },
    entityConfig(),
  ),
);

/** One message per recipient, rendered when the campaign is created; the delivery engine sends it. */
export const MessageEntity = onTable(
  new Entity(
    {
      model: { entity: "message", version: "1", service: "relais" },
      attributes: {
        companyId: { type: "string", required: true, readOnly: true },
        campaignId: { type: "string", required: true, readOnly: true },
        messageId: { type: "string", required: true, readOnly: true },
        contactId: { type: "string", readOnly: true },
        name: { type: "string" },
        channel: { type: ["sms", "email"] as const, required: true, readOnly: true },
        to: { type: "string", required: true, readOnly: true },
        body: { type: "string" },
        subject: { type: "string" },
        html: { type: "string" },
        units: { type: "number", required: true, default: 0 },
        status: { type: messageStatuses, required: true },
        statusReason: { type: "string" },
        createdAt: {
          type: "string",
          required: true,
          readOnly: true,
          default: () => new Date().toISOString(),
        },
        updatedAt: { type: "string", required: true, default: () => new Date().toISOString() },
      },
      indexes: {
        byCampaign: {
          pk: { field: "pk", composite: ["companyId", "campaignId"] },
          sk: { field: "sk", composite: ["messageId"] },
        },
      },
    },
    entityConfig(),
  ),
);
