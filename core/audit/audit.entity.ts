import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";
import { auditTypes } from "./audit.types";

/**
 * The audit log has partitions of its own, one per company and month: a busy company's log neither slows
 * the routes that read the company partition (contacts, agencies, users…) nor piles its writes on one key.
 * No migration: there was no production data when entries left the company partition (pk = companyId).
 */
export const AuditEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "audit", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          /** `YYYY-MM` of `at` in UTC (see monthOf). */
          month: { type: "string", required: true, readOnly: true },
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
          byMonth: {
            pk: { field: "pk", composite: ["companyId", "month"] },
            sk: { field: "sk", composite: ["auditId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * The month partition of an instant, in UTC rather than Europe/Paris: `at` and the ULID are UTC, companies
 * may live in other time zones, and a UTC month is a plain slice of the ISO string that readers and writers
 * can never compute differently. The console still shows every time in Paris time.
 */
export function monthOf(at: Date | string): string {
  return (typeof at === "string" ? new Date(at) : at).toISOString().slice(0, 7);
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, "0")}`;
}
