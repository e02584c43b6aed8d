import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const AgencyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "agency", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          agencyId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          archived: { type: "boolean", required: true, default: false },
          /** The agency's (or garage's) phone, offered to customers in reminders ({telephone}). */
          phone: { type: "string" },
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
            sk: { field: "sk", composite: ["agencyId"] },
          },
        },
      },
      entityConfig(),
    ),
);
