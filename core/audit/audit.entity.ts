import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const auditTypes = [
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "auth.password_reset_requested",
  "auth.password_reset",
  "auth.password_changed",
  "user.created",
  "user.updated",
  "user.role_changed",
  "user.deactivated",
  "user.reactivated",
  "user.imported",
  "invitation.sent",
  "invitation.resent",
  "invitation.revoked",
  "invitation.accepted",
  "agency.created",
  "agency.updated",
  "company.updated",
  "company.delivery_updated",
  "dead_letter.retried",
  "dead_letter.dismissed",
  "contact.exported",
  "contact.erased",
  "contact.imported",
  "list.created",
  "list.deleted",
  "list.cleaned",
  "list.exported",
  "campaign.urgent_sent",
  "campaign.cancelled",
  "campaign.rescheduled",
  "campaign.paused",
  "reply.reclassified",
  "suppression.lifted",
] as const;

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
