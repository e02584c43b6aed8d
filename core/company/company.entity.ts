import { Entity } from "electrodb";
import { entityConfig } from "../db";

export const CompanyEntity = new Entity(
  {
    model: { entity: "company", version: "1", service: "relais" },
    attributes: {
      companyId: { type: "string", required: true, readOnly: true },
      code: { type: "string", required: true, readOnly: true },
      name: { type: "string", required: true },
      timezone: { type: "string", required: true, default: "Europe/Paris" },
      language: { type: ["fr", "en"] as const, required: true, default: "fr" },
      createdAt: { type: "string", required: true, readOnly: true, default: () => new Date().toISOString() },
    },
    indexes: {
      byId: { pk: { field: "pk", composite: ["companyId"] }, sk: { field: "sk", composite: [] } },
      byCode: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["code"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
  entityConfig(),
);

/** Claims a company code; the conditional create makes codes unique across the table. */
export const CompanyCodeEntity = new Entity(
  {
    model: { entity: "companyCode", version: "1", service: "relais" },
    attributes: {
      code: { type: "string", required: true, readOnly: true },
      companyId: { type: "string", required: true, readOnly: true },
    },
    indexes: { byCode: { pk: { field: "pk", composite: ["code"] }, sk: { field: "sk", composite: [] } } },
  },
  entityConfig(),
);
