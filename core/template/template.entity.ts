import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const templateScopes = ["personal", "agency", "company"] as const;
export const messageKinds = ["yesno", "info"] as const;

export const TemplateEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "template", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          templateId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          kind: { type: messageKinds, required: true },
          smsBody: { type: "string", required: true, default: "" },
          emailSubject: { type: "string", required: true, default: "" },
          /** Sanitised on write: only the allowlisted tags and attributes survive. */
          emailHtml: { type: "string", required: true, default: "" },
          emailText: { type: "string", required: true, default: "" },
          scope: { type: templateScopes, required: true },
          agencyId: { type: "string" },
          ownerId: { type: "string", required: true, readOnly: true },
          ownerName: { type: "string", required: true, readOnly: true },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          updatedAt: {
            type: "string",
            required: true,
            default: () => new Date().toISOString(),
            watch: "*",
            set: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["templateId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A user's starred templates. */
export const FavouriteEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "favourite", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          userId: { type: "string", required: true, readOnly: true },
          templateId: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byUser: {
            pk: { field: "pk", composite: ["companyId", "userId"] },
            sk: { field: "sk", composite: ["templateId"] },
          },
        },
      },
      entityConfig(),
    ),
);
