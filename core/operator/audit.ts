import { Entity } from "electrodb";
import { ulid } from "ulid";
import * as z from "zod";
import { useOperator } from "../actor";
import { monthOf, previousMonth } from "../audit/audit.entity";
import { entityConfig, onTable } from "../db";
import { useRequest } from "../request";

/** What the operators' log records; dependency-free for the console's labels. */
export const operatorAuditTypes = [
  "operator.login",
  "operator.login_failed",
  "operator.logout",
  "company.created",
  "company.suspended",
  "company.reactivated",
  "company.closed",
  "company.erased",
  "company.terms_updated",
] as const;
export type OperatorAuditType = (typeof operatorAuditTypes)[number];

/**
 * The operators' own log: partitions of their own (one per month, under no company), so no company's
 * export, erasure or log ever lists it. Actions on a company are also written to that company's log.
 */
export const OperatorAuditEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "operatorAudit", version: "1", service: "relais" },
        attributes: {
          log: { type: ["operators"] as const, required: true, readOnly: true, default: "operators" },
          month: { type: "string", required: true, readOnly: true },
          auditId: { type: "string", required: true, readOnly: true },
          type: { type: operatorAuditTypes, required: true, readOnly: true },
          at: { type: "string", required: true, readOnly: true },
          operatorId: { type: "string", readOnly: true },
          operatorName: { type: "string", readOnly: true },
          companyId: { type: "string", readOnly: true },
          companyName: { type: "string", readOnly: true },
          ip: { type: "string", readOnly: true },
          details: { type: "any", readOnly: true },
        },
        indexes: {
          byMonth: {
            pk: { field: "pk", composite: ["log", "month"] },
            sk: { field: "sk", composite: ["auditId"] },
          },
        },
      },
      entityConfig(),
    ),
);

export const Entry = z.object({
  auditId: z.string(),
  at: z.string(),
  type: z.enum(operatorAuditTypes),
  operator: z.object({ operatorId: z.string(), name: z.string() }).optional(),
  company: z.object({ companyId: z.string(), name: z.string() }).optional(),
  ip: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Entry = z.infer<typeof Entry>;

/** Appends to the operators' log; the operator is the actor, unless named (a sign-in, before there is one). */
export async function record(
  type: OperatorAuditType,
  options: {
    operator?: { operatorId: string; name: string };
    company?: { companyId: string; name: string };
    details?: Record<string, unknown>;
  } = {},
) {
  const operator = options.operator ?? useOperator();
  const now = new Date();
  await OperatorAuditEntity.create({
    log: "operators",
    month: monthOf(now),
    auditId: ulid(now.getTime()),
    type,
    at: now.toISOString(),
    operatorId: operator.operatorId,
    operatorName: operator.name,
    companyId: options.company?.companyId,
    companyName: options.company?.name,
    ip: useRequest().ip,
    details: options.details,
  }).go();
}

/** The newest entries, over the last twelve months at most. */
export async function list(limit = 100): Promise<Entry[]> {
  useOperator();
  const entries: Entry[] = [];
  let month = monthOf(new Date());
  for (let step = 0; step < 12 && entries.length < limit; step++, month = previousMonth(month)) {
    const page = await OperatorAuditEntity.query
      .byMonth({ log: "operators", month })
      .go({ order: "desc", count: limit - entries.length });
    entries.push(
      ...page.data.map((row) => ({
        auditId: row.auditId,
        at: row.at,
        type: row.type,
        operator: row.operatorId ? { operatorId: row.operatorId, name: row.operatorName ?? "" } : undefined,
        company: row.companyId ? { companyId: row.companyId, name: row.companyName ?? "" } : undefined,
        ip: row.ip,
        details: row.details as Record<string, unknown> | undefined,
      })),
    );
  }
  return entries;
}
