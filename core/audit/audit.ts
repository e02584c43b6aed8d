import { ulid } from "ulid";
import * as z from "zod";
import { useActor, useCompanyId } from "../actor";
import { useRequest } from "../request";
import { AuditEntity } from "./audit.entity";
import { auditTypes } from "./audit.types";

export const Type = z.enum(auditTypes);
export type Type = z.infer<typeof Type>;

export const Entry = z.object({
  auditId: z.string(),
  at: z.string(),
  type: Type,
  actor: z.object({ userId: z.string(), name: z.string() }).optional(),
  target: z.object({ type: z.string(), id: z.string(), label: z.string() }).optional(),
  ip: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Entry = z.infer<typeof Entry>;

type Target = { type: string; id: string; label: string };

/**
 * Appends to the company's security log; the actor and IP come from context. A worker acting on a
 * user's behalf (an urgent launch) names that user with `onBehalfOf`.
 */
export async function record(
  type: Type,
  options: {
    target?: Target;
    details?: Record<string, unknown>;
    actorName?: string;
    onBehalfOf?: { userId: string; name: string };
  } = {},
) {
  const context = useActor();
  const actor = options.onBehalfOf
    ? { type: "user" as const, userId: options.onBehalfOf.userId, name: options.onBehalfOf.name }
    : context;
  const now = new Date();
  await AuditEntity.create({
    companyId: useCompanyId(),
    auditId: ulid(now.getTime()),
    type,
    at: now.toISOString(),
    actorUserId: actor.type === "user" ? actor.userId : undefined,
    actorName: actor.type === "user" ? (options.actorName ?? actor.name) : options.actorName,
    targetType: options.target?.type,
    targetId: options.target?.id,
    targetLabel: options.target?.label,
    ip: useRequest().ip,
    details: options.details,
  }).go();
}

export async function list(options: { type?: Type; cursor?: string; limit?: number }) {
  const query = AuditEntity.query.byCompany({ companyId: useCompanyId() });
  const filtered = options.type ? query.where(({ type }, { eq }) => eq(type, options.type!)) : query;
  const page = await filtered.go({
    order: "desc",
    cursor: options.cursor ?? null,
    count: options.limit ?? 50,
  });
  return {
    items: page.data.map(
      (row): Entry => ({
        auditId: row.auditId,
        at: row.at,
        type: row.type,
        actor: row.actorUserId ? { userId: row.actorUserId, name: row.actorName ?? "" } : undefined,
        target:
          row.targetType && row.targetId
            ? { type: row.targetType, id: row.targetId, label: row.targetLabel ?? "" }
            : undefined,
        ip: row.ip,
        details: row.details as Record<string, unknown> | undefined,
      }),
    ),
    cursor: page.cursor ?? undefined,
  };
}

/**
 * GDPR erasure: entries about the person (their id as target, or a label naming them) keep what happened
 * and when, but no longer name them. Details are dropped where they quote any of `personal`.
 */
export async function forgetPerson(targetId: string, personal: string[]) {
  const strings = personal.filter((value) => value.length >= 3);
  const found = await AuditEntity.query
    .byCompany({ companyId: useCompanyId() })
    .where(({ targetId: id, targetLabel }, { eq, contains }) =>
      [eq(id, targetId), ...strings.map((value) => contains(targetLabel, value))].join(" OR "),
    )
    .go({ pages: "all" });
  const quotes = (value: unknown) => strings.some((text) => JSON.stringify(value ?? "").includes(text));
  const erased = found.data.map((row) => ({
    ...row,
    targetLabel: "—",
    details: quotes(row.details) ? undefined : row.details,
  }));
  if (erased.length > 0) await AuditEntity.put(erased).go();
  return erased.length;
}
