import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";
import { auditTypes } from "./audit.types";

export const AuditEntity = onTable(
  new Entity(
    {
      model: { entity: "audit", version: "1", service: "relais" },
      attributes: {
        companyId: { type: "string", required: true, readOnly: true },
        /** ULID: sorts by time, so the newest entries come first in a reverse query. */
        auditId: { type: "string", required: true, readOnly: true },
        type: { type: auditTypes, required: true, readOnly: true },
        at: { type: "string", required: true, readOnly: true },
        actorUserId: { type: "string", readOnly: true },
        actorName: { type: "string", readOnly: true },
        targetType: { type: "string", readOnly: true },
        targetId: { type: "string", readOnly: true },
        targetLabel: { type: "string", readOnly: true },
        ip: { type: "string", readOnly: true },
        details: { type: "any", readOnly: true },
      },
      indexes: {
        byCompany: {
          pk: { field: "pk", composite: ["companyId"] },
          sk: { field: "sk", composite: ["auditId"] },
        },
      },
    },
    entityConfig(),
  ),
);
