import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const partnerKinds = ["person", "organisation"] as const;
export const partnerChannels = ["sms", "email"] as const;
export const languages = ["fr", "en"] as const;

/**
 * A person or organisation documents are handed to (« partenaire »): a temporary worker, a client, a
 * subcontractor… Linked to the contact that carries its messages when there is one.
 */
export const PartnerEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "partner", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          kind: { type: partnerKinds, required: true, default: "person" },
          firstName: { type: "string" },
          lastName: { type: "string" },
          /** An organisation's name; a person's is first and last name. */
          organisation: { type: "string" },
          matricule: { type: "string" },
          categoryIds: { type: "set", items: "string", required: true },
          mobile: { type: "string" },
          email: { type: "string" },
          contactId: { type: "string" },
          preferredChannel: { type: partnerChannels },
          language: { type: languages, required: true, default: "fr" },
          /** Folded name and matricule: how bulk uploads match a file name to a partner. */
          nameKey: { type: "string" },
          erasedAt: { type: "string" },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          updatedAt: {
            type: "string",
            required: true,
            watch: "*",
            default: () => new Date().toISOString(),
            set: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["partnerId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** One item per matricule, mobile and email of a company's partners: uniqueness and lookups by value. */
export const PartnerKeyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "partnerKey", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          key: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true },
        },
        indexes: {
          byKey: {
            pk: { field: "pk", composite: ["companyId", "key"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * The partner space's sign-in: a partner types only a mobile or an email, so this lookup is keyed by that
 * address across companies (as sessions are by token); each item names one company's partner.
 */
export const PartnerLoginEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "partnerLogin", version: "1", service: "relais" },
        attributes: {
          address: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byAddress: {
            pk: { field: "pk", composite: ["address"] },
            sk: { field: "sk", composite: ["companyId", "partnerId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Company-defined groups of partners (Intérimaire, Client…); `staff` marks the company's own employees. */
export const PartnerCategoryEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "partnerCategory", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          categoryId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          staff: { type: "boolean", required: true, default: false },
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
            sk: { field: "sk", composite: ["categoryId"] },
          },
        },
      },
      entityConfig(),
    ),
);
