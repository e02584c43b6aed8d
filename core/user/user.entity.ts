import { Entity, Service } from "electrodb";
import { roles } from "../actor";
import { entityConfig, lazy, onTable } from "../db";

export const UserEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "user", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          userId: { type: "string", required: true, readOnly: true },
          email: { type: "string", required: true, readOnly: true },
          firstName: { type: "string", required: true },
          lastName: { type: "string", required: true },
          mobile: { type: "string" },
          role: { type: roles, required: true },
          agencyIds: { type: "set", items: "string", required: true },
          passwordHash: { type: "string" },
          mustChangePassword: { type: "boolean", required: true, default: false },
          status: { type: ["active", "deactivated"] as const, required: true, default: "active" },
          language: { type: ["fr", "en"] as const },
          /** Replies to my campaigns forwarded to my email (on unless switched off). */
          forwardReplies: { type: "boolean" },
          lastLoginAt: { type: "string" },
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
            sk: { field: "sk", composite: ["userId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Claims an email within a company: the conditional create keeps logins unique. */
export const UserEmailEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "userEmail", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          email: { type: "string", required: true, readOnly: true },
          userId: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byEmail: {
            pk: { field: "pk", composite: ["companyId", "email"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

export const UserService = lazy(
  () => new Service({ user: UserEntity, userEmail: UserEmailEntity }, entityConfig()),
);
