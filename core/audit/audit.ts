import { fromZonedTime } from "date-fns-tz";
import { encodeTime, ulid } from "ulid";
import * as z from "zod";
import { asUser, useActor, useCompanyId } from "../actor";
import { CompanyEntity } from "../company/company.entity";
import { type TransactItem, write } from "../db";
import { VisibleError } from "../error";
import { useRequest } from "../request";
import { AuditEntity, monthOf, previousMonth } from "./audit.entity";
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

type Options = {
  target?: Target;
  details?: Record<string, unknown>;
  actorName?: string;
  onBehalfOf?: { userId: string; name: string };
};

/**
 * Appends to the company's security log; the actor and IP come from context. A worker acting on a
 * user's behalf (an urgent launch) names that user with `onBehalfOf`.
 */
export async function record(type: Type, options: Options = {}) {
  await AuditEntity.create(item(type, options)).go();
}

/**
 * The same entry as one write of a transaction, so that a job's final status and its audit entry appear
 * together: whoever sees « terminé » finds the entry, and a retried job cannot record it twice.
 */
export function entry(type: Type, options: Options = {}): TransactItem {
  return write.put(AuditEntity.create(item(type, options)).params());
}

function item(type: Type, options: Options) {
  const context = useActor();
  // An API key is named « Clé API <name> » (its actor's `name`), with `apikey:<keyId>` as its id.
  const actor = options.onBehalfOf
    ? { type: "user" as const, userId: options.onBehalfOf.userId, name: options.onBehalfOf.name }
    : (asUser(context) ?? context);
  const now = new Date();
  return {
    companyId: useCompanyId(),
    month: monthOf(now),
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
  };
}

export const Filters = z.object({
  type: Type.optional(),
  /** Entries on or after / on or before these days (Europe/Paris). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/**
 * Where the next page starts: a month partition, and below which auditId in it. Opaque to clients; the
 * partition's company is never taken from it, so a cursor cannot reach another company's entries.
 */
const Cursor = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  before: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/i)
    .optional(),
});
type Cursor = z.infer<typeof Cursor>;
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");
function decodeCursor(text: string): Cursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw new VisibleError("audit.cursor_invalid", "This page link is no longer valid", 400);
  }
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** The greatest ULID below `id`, so that an inclusive key range can stop just under the cursor. */
function below(id: string): string {
  const chars = id.toUpperCase().split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    const at = crockford.indexOf(chars[i] ?? "0");
    if (at > 0) {
      chars[i] = crockford[at - 1] ?? "0";
      return chars.join("");
    }
    chars[i] = "Z";
  }
  return "0".repeat(id.length);
}

const parisMidnight = (day: string, plusDays = 0) =>
  fromZonedTime(`${day}T00:00:00`, "Europe/Paris").getTime() + plusDays * 86_400_000;

/** The first month that may hold entries: the company's creation month (one read, cheap beside the walk). */
async function firstMonth(companyId: string): Promise<string> {
  const { data } = await CompanyEntity.get({ companyId }).go({ attributes: ["createdAt"] });
  return monthOf(data?.createdAt ?? new Date());
}

/**
 * Newest first: walks month partitions backwards from the current one (or the `to` day's) until the page
 * is full or the `from` day's month, or the company's creation month, is passed. The days are a key range
 * (auditIds are ULIDs); the type is a filter expression DynamoDB applies within each month partition.
 */
export const list = async (input: z.input<typeof Filters>) => {
  const filters = Filters.parse(input);
  if (filters.from && filters.to && filters.from > filters.to)
    throw new VisibleError("audit.range_invalid", "The start date must come before the end date", 400);
  const companyId = useCompanyId();
  const now = Date.now();
  const high = filters.to ? Math.min(parisMidnight(filters.to, 1) - 1, now) : now;
  const low = filters.from ? parisMidnight(filters.from) : 0;
  const cursor = filters.cursor ? decodeCursor(filters.cursor) : undefined;
  const first = await firstMonth(companyId);
  const floor = filters.from && monthOf(new Date(low)) > first ? monthOf(new Date(low)) : first;
  const lowId = `${encodeTime(low, 10)}${"0".repeat(16)}`;
  // Without `to`, no upper bound: an entry stamped a few ms ahead by another clock is still listed.
  const topId = filters.to ? `${encodeTime(Math.max(high, low), 10)}${"Z".repeat(16)}` : "Z".repeat(26);

  const items: Entry[] = [];
  let month = cursor?.month ?? monthOf(new Date(Math.max(high, low)));
  let before = cursor?.before;
  while (month >= floor && items.length < filters.limit && low <= high) {
    const upper = before ? below(before) : topId;
    const query = AuditEntity.query
      .byMonth({ companyId, month })
      .between({ auditId: lowId }, { auditId: upper });
    const filtered = filters.type ? query.where(({ type }, { eq }) => eq(type, filters.type!)) : query;
    const want = filters.limit - items.length;
    const page = await filtered.go({ order: "desc", count: want });
    items.push(...page.data.map(toEntry));
    if (page.data.length === want) {
      before = page.data.at(-1)?.auditId;
      break;
    }
    month = previousMonth(month);
    before = undefined;
  }
  const more = items.length === filters.limit && month >= floor;
  return { items, cursor: more ? encodeCursor({ month, before }) : undefined };
};

type Row = Awaited<ReturnType<ReturnType<typeof AuditEntity.query.byMonth>["go"]>>["data"][number];

function toEntry(row: Row): Entry {
  return {
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
  };
}

/** Every month partition the company's log may use, oldest first. */
async function months(companyId: string): Promise<string[]> {
  const all: string[] = [];
  const first = await firstMonth(companyId);
  for (let month = monthOf(new Date()); month >= first; month = previousMonth(month)) all.unshift(month);
  return all;
}

/**
 * GDPR erasure: entries about the person (their id as target, or a label naming them) keep what happened
 * and when, but no longer name them. Details are dropped where they quote any of `personal`.
 */
export async function forgetPerson(targetId: string, personal: string[]) {
  const strings = personal.filter((value) => value.length >= 3);
  const companyId = useCompanyId();
  // One query a month since the company began: a few dozen at most, and erasures are rare.
  const found = (
    await Promise.all(
      (
        await months(companyId)
      ).map((month) =>
        AuditEntity.query
          .byMonth({ companyId, month })
          .where(({ targetId: id, targetLabel }, { eq, contains }) =>
            [eq(id, targetId), ...strings.map((value) => contains(targetLabel, value))].join(" OR "),
          )
          .go({ pages: "all" }),
      ),
    )
  ).flatMap((page) => page.data);
  const quotes = (value: unknown) => strings.some((text) => JSON.stringify(value ?? "").includes(text));
  const erased = found.map((row) => ({
    ...row,
    targetLabel: "—",
    details: quotes(row.details) ? undefined : row.details,
  }));
  if (erased.length > 0) await AuditEntity.put(erased).go();
  return erased.length;
}
