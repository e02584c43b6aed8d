import { Entity } from "electrodb";
import { roles } from "../actor";
import { entityConfig, onTable } from "../db";

export const InvitationEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "invitation", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          invitationId: { type: "string", required: true, readOnly: true },
          tokenHash: { type: "string", required: true },
          channel: { type: ["email", "sms"] as const, required: true },
          // Absent for an SMS invitation: the person types their login email when they accept.
          email: { type: "string", readOnly: true },
          mobile: { type: "string" },
          firstName: { type: "string" },
          lastName: { type: "string" },
          role: { type: roles, required: true },
          agencyIds: { type: "set", items: "string", required: true },
          status: { type: ["pending", "accepted", "revoked"] as const, required: true, default: "pending" },
          validUntil: { type: "string", required: true },
          invitedByUserId: { type: "string", required: true, readOnly: true },
          invitedByName: { type: "string", required: true, readOnly: true },
          acceptedUserId: { type: "string" },
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
            sk: { field: "sk", composite: ["invitationId"] },
          },
          byToken: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["tokenHash"] },
            sk: { field: "gsi1sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);
