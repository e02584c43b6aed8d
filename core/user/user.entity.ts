import { Entity } from "electrodb";
import { entityConfig } from "../db";

export const UserEntity = new Entity(
  {
    model: { entity: "user", version: "1", service: "relais" },
    attributes: {
      companyId: { type: "string", required: true, readOnly: true },
      userId: { type: "string", required: true, readOnly: true },
      email: { type: "string", required: true },
      firstName: { type: "string", required: true },
      lastName: { type: "string", required: true },
      role: { type: ["admin", "manager", "user"] as const, required: true },
      agencyIds: { type: "set", items: "string" },
      passwordHash: { type: "string", hidden: false },
      mustChangePassword: { type: "boolean", required: true, default: false },
      status: { type: ["active", "deactivated"] as const, required: true, default: "active" },
      createdAt: { type: "string", required: true, readOnly: true, default: () => new Date().toISOString() },
    },
    indexes: {
      byCompany: {
        pk: { field: "pk", composite: ["companyId"] },
        sk: { field: "sk", composite: ["userId"] },
      },
      byEmail: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["companyId", "email"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
  entityConfig(),
);
