import { BatchGetCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { monotonicFactory } from "ulid";
import * as z from "zod";
import { canSeeAgency, canSeeContact, forbidden } from "../access";
import { useActor, useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { config } from "../config";
import { BatchWriter, isConditionalFailure, transact } from "../db";
import { VisibleError } from "../error";
import * as Event from "../event";
import { fn } from "../fn";
import { documents } from "../platform/clients/dynamo";
import { Suppression } from "../suppression";
import {
  bucketOf,
  ContactEntity,
  ContactService,
  channels,
  contactItem,
  contactKeyItem,
  contactKeyOf,
  contactShards,
  contactTypes,
  tokenItem,
  tokenKey,
} from "./contact.entity";
import {
  Input,
  type Issue,
  keysOf,
  type Normalized,
  normalize,
  searchPlan,
  searchText,
  tokensOf,
} from "./fields";

export { Input, type Issue, keysOf, type Normalized, normalize, tokensOf } from "./fields";

export const Info = z.object({
  contactId: z.string(),
  civility: z.enum(["M", "Mme"]).optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  mobile: z.string().optional(),
  smsCapable: z.boolean(),
  type: z.enum(contactTypes),
  skills: z.array(z.string()),
  description: z.string().optional(),
  position: z.string().optional(),
  agencyIds: z.array(z.string()),
  preferredChannel: z.enum(channels).optional(),
  optOut: z.object({
    sms: z.object({ at: z.string(), source: z.string() }).optional(),
    email: z.object({ at: z.string(), source: z.string() }).optional(),
  }),
  customFields: z.record(z.string(), z.string()),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Info = z.infer<typeof Info>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof ContactEntity.get>["go"]>>["data"]>;

export const toInfo = (row: Row): Info => ({
  contactId: row.contactId,
  civility: row.civility,
  firstName: row.firstName,
  lastName: row.lastName,
  email: row.email,
  mobile: row.mobile,
  smsCapable: row.smsCapable,
  type: row.type,
  skills: row.skills ?? [],
  description: row.description,
  position: row.position,
  agencyIds: [...(row.agencyIds ?? [])].sort(),
  preferredChannel: row.preferredChannel,
  optOut: {
    sms: row.optOutSmsAt ? { at: row.optOutSmsAt, source: row.optOutSmsSource ?? "" } : undefined,
    email: row.optOutEmailAt ? { at: row.optOutEmailAt, source: row.optOutEmailSource ?? "" } : undefined,
  },
  customFields: (row.customFields as Record<string, string> | undefined) ?? {},
  archived: row.archived,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const invalid = (issues: Issue[]) =>
  new VisibleError("contact.invalid", issues.map((issue) => issue.message).join("; "), 400, {
    fields: issues.map((issue) => ({ path: issue.field, message: issue.message })),
  });

function assertAgencies(agencyIds: string[]) {
  const actor = useUser();
  if (agencyIds.length === 0)
    throw new VisibleError("contact.agency_required", "Pick at least one agency", 400);
  if (!agencyIds.every((agencyId) => canSeeAgency(actor, agencyId)))
    forbidden("You cannot use these agencies");
}

/** Whether the acting user may see this contact: the one rule of every path that resolves contacts. */
export const canSee = (contact: { agencyIds?: Iterable<string> }) => canSeeContact(useActor(), contact);

export const notFound = (contactId?: string) =>
  new VisibleError(
    "contact.not_found",
    contactId ? `Contact ${contactId} not found` : "Contact not found",
    404,
  );

/**
 * Said when a number or email belongs to a contact the user may not see: nothing about that contact
 * (not even which of the two matched), so a create cannot be used to probe or take it over.
 */
export const exists = () => new VisibleError("contact.exists", "This contact already exists", 409);

/** A contact the acting user may see: one of their agencies, or any for an Admin. */
export async function visible(contactId: string) {
  useUser();
  const found = await ContactEntity.get({ companyId: useCompanyId(), contactId }).go();
  const row = found.data;
  if (!row || row.erasedAt || !canSee(row)) throw notFound();
  return row;
}

export const fromId = fn(z.string(), async (contactId) => toInfo(await visible(contactId)));

/**
 * Merge rules (README): a new value replaces the old one, except that number and email only fill blanks
 * (they are what identified the contact), skills and agencies are unioned, custom fields merge key by key,
 * opt-outs are never cleared by new data, and an archived contact comes back.
 */
/**
 * `fillOnly`: what someone outside the company typed (a public application form) fills what the contact
 * lacks and changes nothing it holds: anyone may type another person's email.
 */
export function merge(
  existing: Row,
  incoming: Normalized,
  agencyIds: string[],
  options: { fillOnly?: boolean } = {},
): Row {
  const pick = <T>(next: T | undefined, previous: T | undefined) =>
    options.fillOnly ? (previous ?? next) : next === undefined ? previous : next;
  const merged: Row = {
    ...existing,
    civility: pick(incoming.civility, existing.civility),
    firstName: pick(incoming.firstName, existing.firstName),
    lastName: pick(incoming.lastName, existing.lastName),
    email: existing.email ?? incoming.email,
    mobile: existing.mobile ?? incoming.mobile,
    smsCapable: existing.mobile ? existing.smsCapable : incoming.smsCapable,
    type: options.fillOnly ? existing.type : (incoming.type ?? existing.type),
    skills: [...new Set([...(existing.skills ?? []), ...(incoming.skills ?? [])])],
    description: pick(incoming.description, existing.description),
    position: pick(incoming.position, existing.position),
    agencyIds: [...new Set([...(existing.agencyIds ?? []), ...agencyIds])].sort(),
    preferredChannel: pick(incoming.preferredChannel, existing.preferredChannel),
    customFields: options.fillOnly
      ? { ...(incoming.customFields ?? {}), ...((existing.customFields as Record<string, string>) ?? {}) }
      : { ...((existing.customFields as Record<string, string>) ?? {}), ...(incoming.customFields ?? {}) },
    archived: options.fillOnly ? existing.archived : false,
  };
  merged.searchText = searchText(merged);
  return merged;
}

const comparable = (row: Row) =>
  JSON.stringify({
    ...row,
    updatedAt: undefined,
    skills: row.skills ?? [],
    agencyIds: [...(row.agencyIds ?? [])].sort(),
  });

/**
 * Contact ids only need to be unique and sort by creation: a monotonic factory draws the random part once
 * a millisecond and increments it after, where `ulid()` draws 16 random characters each time (a tenth of
 * an import worker's CPU over 50,000 new contacts).
 */
const contactIds = monotonicFactory();

function newRow(companyId: string, value: Normalized, agencyIds: string[]): Row {
  const now = new Date().toISOString();
  return {
    companyId,
    contactId: contactIds(),
    ...value,
    type: value.type ?? "externe",
    skills: value.skills ?? [],
    agencyIds: [...agencyIds].sort(),
    customFields: value.customFields ?? {},
    archived: false,
    searchText: searchText(value),
    createdAt: now,
    updatedAt: now,
  } as Row;
}

/** A search item's attributes, as ElectroDB's put takes them. */
const tokenOf = (row: Row, token: string) => ({
  companyId: row.companyId,
  contactId: row.contactId,
  token,
  bucket: bucketOf(token),
  agencyIds: [...row.agencyIds],
  archived: row.archived,
  type: row.type,
  searchText: row.searchText,
});

export type Outcome = {
  index: number;
  result: "created" | "updated" | "unchanged" | "conflict";
  contactId?: string;
  /** For a conflict: `contact.exists` when the number or email is held by a contact the user may not see. */
  code?: "contact.exists" | "contact.conflict";
  message?: string;
};

/** Reads keys (or contacts) 100 a request, sending unprocessed ones again: a key missed is a duplicate made. */
async function readAll<K, T>(run: (keys: K[]) => Promise<{ data: T[]; unprocessed: K[] }>, keys: K[]) {
  const found: T[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === 6) throw new Error(`${pending.length} item(s) not read after ${attempt} attempts`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const result = await run(pending);
    found.push(...result.data);
    pending = result.unprocessed;
  }
  return found;
}

/**
 * Who holds these numbers and emails: one consistent BatchGetItem of up to 100 keys, read without
 * ElectroDB (it spends tens of µs formatting each item, two a row over a whole import; contact.test.ts
 * checks the keys are the ones it writes).
 */
async function readKeys(companyId: string, keys: string[]) {
  const table = config("TABLE_NAME");
  const data: Array<{ key: string; contactId: string }> = [];
  const unprocessed: string[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    const chunk = keys.slice(start, start + 100);
    const asked = new Map(chunk.map((key) => [contactKeyOf({ companyId, key }).pk, key]));
    const { Responses, UnprocessedKeys } = await documents().send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: chunk.map((key) => contactKeyOf({ companyId, key })),
            ConsistentRead: true,
            ProjectionExpression: "pk, contactId",
          },
        },
      }),
    );
    for (const item of Responses?.[table] ?? [])
      data.push({ key: asked.get(String(item.pk))!, contactId: String(item.contactId) });
    for (const left of UnprocessedKeys?.[table]?.Keys ?? []) unprocessed.push(asked.get(String(left.pk))!);
  }
  return { data, unprocessed };
}

/**
 * Upserts many contacts: one BatchGet round for the keys, one for the contacts they point at, then the
 * changed contacts and their keys as BatchWriteItem puts. Rows sharing a number or email (within the batch
 * or with the table) become one contact. Unlike `create`, it does not claim keys conditionally: imports of
 * one company run one at a time (README), and a duplicate born of a race is removed by a list clean.
 *
 * `writer` lets a caller writing many batches (an import) share one pipeline of requests across them; by
 * default the batch has its own, one request at a time.
 *
 * `importId` (an import's rows, `index` being their line) stamps what it writes with the line
 * (`importedBy`). A contact stamped with the same import and line is that line met again, after a worker
 * wrote it and died or lost the import before counting it: it counts as it did then (created or updated,
 * not unchanged), and is written again whole, as the earlier write may have stopped half-way.
 */
export async function upsertBatch(
  rows: Array<{ index: number; value: Normalized }>,
  agencyIds: string[],
  options: { writer?: BatchWriter; fillOnly?: boolean; importId?: string } = {},
) {
  const companyId = useCompanyId();
  const wanted = [...new Set(rows.flatMap((row) => keysOf(row.value)))];
  const owners = new Map<string, string>();
  const foundKeys = wanted.length ? await readAll((keys) => readKeys(companyId, keys), wanted) : [];
  for (const item of foundKeys) owners.set(item.key, item.contactId);
  const existingIds = [...new Set(owners.values())];
  const contacts = new Map<string, Row>();
  const found = existingIds.length
    ? await readAll(
        (keys) => ContactEntity.get(keys).go({ consistent: true }),
        existingIds.map((contactId) => ({ companyId, contactId })),
      )
    : [];
  for (const item of found) contacts.set(item.contactId, item as Row);
  const original = new Map(contacts);
  const before = new Map([...contacts].map(([id, row]) => [id, comparable(row)]));

  const outcomes: Outcome[] = [];
  /** New, or left half-written by an earlier write of the same import line: written whatever changed. */
  const whole = new Set<string>();
  const stamps = new Map<string, NonNullable<Row["importedBy"]>>();
  const { importId } = options;
  for (const row of rows) {
    const keys = keysOf(row.value);
    const ids = [...new Set(keys.map((key) => owners.get(key)).filter((id): id is string => Boolean(id)))];
    // Merging would rename it, add an agency and hand back its fields: refused, saying nothing of it.
    if (ids.some((id) => contacts.has(id) && !canSee(contacts.get(id)!))) {
      const { message } = exists();
      outcomes.push({ index: row.index, result: "conflict", code: "contact.exists", message });
      continue;
    }
    if (ids.length > 1) {
      outcomes.push({
        index: row.index,
        result: "conflict",
        code: "contact.conflict",
        message: "Mobile and email belong to two different contacts",
      });
      continue;
    }
    const current = ids[0] ? contacts.get(ids[0]) : undefined;
    const next = current
      ? merge(current, row.value, agencyIds, { fillOnly: options.fillOnly })
      : newRow(companyId, row.value, agencyIds);
    contacts.set(next.contactId, next);
    for (const key of keysOf(next)) owners.set(key, next.contactId);
    const earlier =
      importId && current?.importedBy?.importId === importId && current.importedBy.line === row.index
        ? current.importedBy
        : undefined;
    if (!current || earlier) whole.add(next.contactId);
    // The first line of the batch to reach a contact names it (an import's lines never share one).
    if (importId && !stamps.has(next.contactId)) {
      stamps.set(next.contactId, {
        importId,
        line: row.index,
        created: earlier ? earlier.created : !current,
      });
    }
    const result = earlier ? (earlier.created ? "created" : "updated") : current ? "updated" : "created";
    outcomes.push({ index: row.index, result, contactId: next.contactId });
  }

  const changed = new Set(
    [...contacts.values()]
      .filter((row) => whole.has(row.contactId) || before.get(row.contactId) !== comparable(row))
      .map((row) => row.contactId),
  );
  const now = new Date().toISOString();
  const items: Array<Record<string, unknown>> = [];
  const removed: Array<Record<string, unknown>> = [];
  for (const contactId of changed) {
    const stamp = stamps.get(contactId);
    const row = stamp ? { ...contacts.get(contactId)!, importedBy: stamp } : contacts.get(contactId)!;
    items.push(contactItem(row, now));
    // Its search items carry its agencies and words: all written again, the words it lost removed.
    const tokens = tokensOf(row);
    for (const token of tokens) items.push(tokenItem(row, token));
    const previous = original.get(contactId);
    for (const token of previous ? tokensOf(previous) : [])
      if (!tokens.includes(token)) removed.push(tokenKey({ companyId, contactId, token }));
  }
  for (const [key, contactId] of owners)
    if (changed.has(contactId)) items.push(contactKeyItem({ companyId, key, contactId }));
  const writer = options.writer ?? new BatchWriter(1);
  await Promise.all([writer.put(items), writer.remove(removed)]);
  return outcomes.map((outcome) =>
    outcome.result === "updated" && outcome.contactId && !changed.has(outcome.contactId)
      ? { ...outcome, result: "unchanged" as const }
      : outcome,
  );
}

export const CreateInput = Input.extend({ agencyIds: z.array(z.string().max(64)).max(50) });

/**
 * Creates a contact, or merges into the one holding the same number or email. The key claims are
 * conditional, so two people creating the same new number at once still make one contact.
 */
export const create = fn(CreateInput, async ({ agencyIds, ...input }) => {
  assertAgencies(agencyIds);
  await Agency.assertUsable(agencyIds);
  const { value, issues } = normalize(input);
  if (issues.length > 0) throw invalid(issues);
  const companyId = useCompanyId();
  const row = newRow(companyId, value, agencyIds);
  try {
    await transact(
      ContactService.transaction
        .write(({ contact, contactKey, contactToken }) => [
          ...keysOf(row).map((key) =>
            contactKey.create({ companyId, key, contactId: row.contactId }).commit(),
          ),
          contact.create(row).commit(),
          ...tokensOf(row).map((token) => contactToken.put(tokenOf(row, token)).commit()),
        ])
        .go(),
    );
    return { contact: toInfo(row), merged: false };
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
  const [outcome] = await upsertBatch([{ index: 0, value }], agencyIds);
  if (outcome?.code === "contact.exists") throw exists();
  if (!outcome?.contactId || outcome.result === "conflict") {
    throw new VisibleError("contact.conflict", outcome?.message ?? "Conflicting contact", 409);
  }
  return { contact: toInfo(await visible(outcome.contactId)), merged: true };
});

export const UpdateInput = Input.extend({
  contactId: z.string(),
  agencyIds: z.array(z.string().max(64)).max(50).optional(),
  archived: z.boolean().optional(),
});

/** Edits a contact; a new number or email is claimed (and the old one released) in the same transaction. */
export const update = fn(UpdateInput, async ({ contactId, agencyIds, archived, ...input }) => {
  const existing = await visible(contactId);
  if (agencyIds) {
    assertAgencies(agencyIds);
    await Agency.assertUsable(agencyIds);
  }
  const merged = { ...toInfo(existing), ...input };
  const { value, issues } = normalize({
    ...merged,
    civility: input.civility ?? existing.civility,
    skills: input.skills ?? existing.skills,
    preferredChannel: input.preferredChannel ?? existing.preferredChannel,
  });
  if (issues.length > 0) throw invalid(issues);
  const companyId = useCompanyId();
  const next: Row = {
    ...existing,
    ...value,
    type: value.type ?? existing.type,
    agencyIds: agencyIds ?? [...existing.agencyIds],
    archived: archived ?? existing.archived,
    customFields: value.customFields ?? (existing.customFields as Record<string, string>) ?? {},
    updatedAt: new Date().toISOString(),
  };
  next.searchText = searchText(next);
  const oldKeys = keysOf(existing);
  const newKeys = keysOf(next);
  const oldTokens = tokensOf(existing);
  const newTokens = tokensOf(next);
  try {
    await transact(
      ContactService.transaction
        .write(({ contact, contactKey, contactToken }) => [
          ...oldTokens
            .filter((token) => !newTokens.includes(token))
            .map((token) =>
              contactToken.delete({ companyId, contactId, token, bucket: bucketOf(token) }).commit(),
            ),
          ...newTokens.map((token) => contactToken.put(tokenOf(next, token)).commit()),
          ...newKeys
            .filter((key) => !oldKeys.includes(key))
            .map((key) => contactKey.create({ companyId, key, contactId }).commit()),
          ...oldKeys
            .filter((key) => !newKeys.includes(key))
            .map((key) => contactKey.delete({ companyId, key }).commit()),
          contact.put(next).commit(),
        ])
        .go(),
    );
  } catch (error) {
    if (isConditionalFailure(error)) {
      throw new VisibleError("contact.duplicate", "Another contact already has this number or email", 409);
    }
    throw error;
  }
  return toInfo(next);
});

export const Search = z.object({
  query: z.string().trim().max(100).optional(),
  agencyId: z.string().max(64).optional(),
  type: z.enum(contactTypes).optional(),
  archived: z.boolean().optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/**
 * Where the next page starts: below a contact id in the list (its shards are merged by id), or after a
 * search item's sort key in the searched word's partition. Opaque to clients; the partition is never
 * taken from it, so a cursor cannot reach another company's items.
 */
const Cursor = z.union([
  z.strictObject({ before: z.string().max(200) }),
  z.strictObject({ after: z.string().max(1000) }),
]);
type Cursor = z.infer<typeof Cursor>;
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");
function decodeCursor(text: string | undefined): Cursor | undefined {
  if (!text) return undefined;
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw invalidCursor();
  }
}
const invalidCursor = () =>
  new VisibleError("contact.cursor_invalid", "This page link is no longer valid", 400);

/** Items a request may examine before it answers with what it found and a cursor (a filtered list). */
const readBudget = 1000;

/** The FilterExpression both the list and the search items are read with: filters and visibility. */
function filterOf(input: z.infer<typeof Search>, words: string[], list: boolean) {
  const actor = useUser();
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts: string[] = [];
  if (list) {
    names["#erasedAt"] = "erasedAt";
    parts.push("attribute_not_exists(#erasedAt)");
  } else {
    names["#archived"] = "archived";
    values[":archived"] = input.archived ?? false;
    parts.push("#archived = :archived");
  }
  if (input.type) {
    names["#type"] = "type";
    values[":type"] = input.type;
    parts.push("#type = :type");
  }
  if (input.agencyId || actor.role !== "admin") names["#agencyIds"] = "agencyIds";
  if (input.agencyId) {
    values[":agencyId"] = input.agencyId;
    parts.push("contains(#agencyIds, :agencyId)");
  }
  if (actor.role !== "admin") {
    const seen = actor.agencyIds.map((agencyId, index) => {
      values[`:seen${index}`] = agencyId;
      return `contains(#agencyIds, :seen${index})`;
    });
    parts.push(`(${seen.join(" OR ") || "attribute_not_exists(#agencyIds)"})`);
  }
  words.forEach((word, index) => {
    names["#searchText"] = "searchText";
    values[`:word${index}`] = word;
    parts.push(`contains(#searchText, :word${index})`);
  });
  return {
    ...(parts.length > 0 ? { FilterExpression: parts.join(" AND ") } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** One Query page, raw: its items, how many it examined, and where it stopped. */
async function queryPage(input: Omit<QueryCommandInput, "TableName">) {
  const result = await documents().send(new QueryCommand({ TableName: config("TABLE_NAME"), ...input }));
  return {
    items: (result.Items ?? []) as Array<Record<string, unknown>>,
    scanned: result.ScannedCount ?? 0,
    last: result.LastEvaluatedKey as Record<string, string> | undefined,
  };
}

/** How many items to ask for to find `needed` more, given how many of those examined so far matched. */
const nextLimit = (needed: number, matched: number, scanned: number, spent: number) => {
  const share = scanned === 0 ? 1 : Math.max(matched / scanned, 0.02);
  return Math.max(1, Math.min(Math.ceil(needed / share) + 5, readBudget - spent, 1000));
};

/**
 * The list, newest first: each shard is a Query with Limit, merged by contact id. A shard's items are
 * known down to where its Query stopped, so the page is every match above the highest such point; the
 * shard that set it is read further until the page is full (seldom: each asks for a quarter more than
 * its share). Nothing filtered, a page of 50 reads about 70 items.
 */
async function listPage(input: z.infer<typeof Search>, words: string[], cursor?: { before: string }) {
  const companyId = useCompanyId();
  const filter = filterOf(input, words, true);
  const base = (shard: string) => ({
    IndexName: "gsi1",
    ScanIndexForward: false,
    KeyConditionExpression: cursor ? "#pk = :pk AND #sk < :before" : "#pk = :pk",
    ...filter,
    ExpressionAttributeNames: {
      ...filter.ExpressionAttributeNames,
      "#pk": "gsi1pk",
      ...(cursor ? { "#sk": "gsi1sk" } : {}),
    },
    ExpressionAttributeValues: {
      ...filter.ExpressionAttributeValues,
      ":pk":
        `$relais#companyid_${companyId}#archived_${input.archived ?? false}#shard_${shard}`.toLowerCase(),
      ...(cursor ? { ":before": cursor.before } : {}),
    },
  });
  const shards = Array.from({ length: contactShards }, (_, index) => ({
    shard: String(index),
    matches: [] as Array<Record<string, unknown>>,
    last: undefined as Record<string, string> | undefined,
    done: false,
  }));
  let scanned = 0;
  let matched = 0;
  const read = async (state: (typeof shards)[number], limit: number) => {
    const page = await queryPage({ ...base(state.shard), Limit: limit, ExclusiveStartKey: state.last });
    state.matches.push(...page.items);
    state.last = page.last;
    state.done = !page.last;
    scanned += page.scanned;
    matched += page.items.length;
  };
  const share = Math.ceil((input.limit * 1.25) / contactShards) + 2;
  await Promise.all(shards.map((state) => read(state, share)));
  for (;;) {
    const open = shards.filter((state) => !state.done);
    const frontier =
      open
        .map((state) => state.last!.gsi1sk!)
        .sort()
        .at(-1) ?? "";
    const known = shards
      .flatMap((state) => state.matches)
      .filter((item) => String(item.gsi1sk) >= frontier)
      .sort((a, b) => (String(a.gsi1sk) < String(b.gsi1sk) ? 1 : -1));
    if (known.length > input.limit || open.length === 0 || scanned >= readBudget) {
      const page = known.slice(0, input.limit);
      const next =
        known.length > input.limit
          ? String(page.at(-1)!.gsi1sk)
          : open.length > 0 && frontier
            ? frontier
            : undefined;
      return { rows: page, cursor: next ? encodeCursor({ before: next }) : undefined };
    }
    const behind = open.find((state) => state.last!.gsi1sk === frontier)!;
    await read(behind, nextLimit(input.limit + 1 - known.length, matched, scanned, scanned));
  }
}

/**
 * A search by name, number, email or skill: a Query of the search items whose word begins with the
 * longest word typed (one partition, one prefix), the other words, filters and visibility checked on the
 * items, then the contacts found read by key. Results come in the order of the word looked up.
 */
async function searchPage(
  input: z.infer<typeof Search>,
  plan: { indexed: string; others: string[] },
  cursor?: { after: string },
) {
  const companyId = useCompanyId();
  const filter = filterOf(input, plan.others, false);
  const pk = `$relais#companyid_${companyId}#bucket_${bucketOf(plan.indexed)}`.toLowerCase();
  const query = {
    KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
    ...filter,
    ExpressionAttributeNames: { ...filter.ExpressionAttributeNames, "#pk": "pk", "#sk": "sk" },
    ExpressionAttributeValues: {
      ...filter.ExpressionAttributeValues,
      ":pk": pk,
      ":prefix": `$contacttoken_1#token_${plan.indexed}`.toLowerCase(),
    },
  };
  const found: Array<{ contactId: string; sk: string }> = [];
  const seen = new Set<string>();
  let start: Record<string, string> | undefined = cursor ? { pk, sk: cursor.after } : undefined;
  let scanned = 0;
  let matched = 0;
  do {
    const page = await queryPage({
      ...query,
      Limit: nextLimit(input.limit + 1 - found.length, matched, scanned, scanned),
      ExclusiveStartKey: start,
    });
    scanned += page.scanned;
    matched += page.items.length;
    for (const item of page.items) {
      const contactId = String(item.contactId);
      if (seen.has(contactId)) continue;
      seen.add(contactId);
      found.push({ contactId, sk: String(item.sk) });
    }
    start = page.last;
  } while (start && found.length <= input.limit && scanned < readBudget);
  const taken = found.slice(0, input.limit);
  const after = found.length > input.limit ? taken.at(-1)!.sk : start?.sk;
  const contacts = taken.length
    ? await readAll(
        (keys) => ContactEntity.get(keys).go(),
        taken.map(({ contactId }) => ({ companyId, contactId })),
      )
    : [];
  const byId = new Map(contacts.map((row) => [row.contactId, row as Row]));
  const rows = taken
    .map(({ contactId }) => byId.get(contactId))
    .filter((row): row is Row => Boolean(row && !row.erasedAt && canSee(row)));
  return { rows, cursor: after ? encodeCursor({ after }) : undefined };
}

/**
 * The contacts page: the list a page at a time when nothing is typed, the search items otherwise (a word
 * of three characters at least; a shorter query filters the list). Either way the page costs a few
 * Queries with Limit, whatever the size of the company.
 */
export const search = fn(Search, async (input) => {
  useUser();
  const cursor = decodeCursor(input.cursor);
  const plan = input.query ? searchPlan(input.query) : { others: [] };
  if (plan.indexed) {
    if (cursor && !("after" in cursor)) throw invalidCursor();
    const page = await searchPage(
      input,
      { indexed: plan.indexed, others: plan.others },
      cursor as { after: string },
    );
    return { items: page.rows.map(toInfo), cursor: page.cursor };
  }
  if (cursor && !("before" in cursor)) throw invalidCursor();
  const page = await listPage(input, plan.others, cursor as { before: string } | undefined);
  const rows = ContactEntity.parse({ Items: page.rows }).data as Row[];
  return { items: rows.map(toInfo), cursor: page.cursor };
});

/** Everything held on a contact, for a GDPR access request. */
export const exportData = fn(z.string(), async (contactId) => {
  const row = await visible(contactId);
  const info = toInfo(row);
  await Audit.record("contact.exported", {
    target: {
      type: "contact",
      id: contactId,
      label: `${info.firstName ?? ""} ${info.lastName ?? ""}`.trim(),
    },
  });
  return { contact: info, exportedAt: new Date().toISOString() };
});

/**
 * GDPR erasure: personal data goes, the contact id stays so message statistics remain countable but
 * point at nobody. Its number and email are released.
 */
export const erase = fn(z.string(), async (contactId) => {
  const row = await visible(contactId);
  const companyId = useCompanyId();
  const erasedAt = new Date().toISOString();
  await transact(
    ContactService.transaction
      .write(({ contact, contactKey, contactToken }) => [
        ...keysOf(row).map((key) => contactKey.delete({ companyId, key }).commit()),
        ...tokensOf(row).map((token) =>
          contactToken.delete({ companyId, contactId, token, bucket: bucketOf(token) }).commit(),
        ),
        contact
          .put({
            companyId,
            contactId,
            type: row.type,
            agencyIds: [...row.agencyIds],
            smsCapable: false,
            archived: true,
            erasedAt,
            createdAt: row.createdAt,
            updatedAt: erasedAt,
          })
          .commit(),
      ])
      .go(),
  );
  // Lists import contacts; loaded here to keep the two nouns from loading each other at start-up.
  const [{ List }, Reminders, Dossiers] = await Promise.all([
    import("../list"),
    import("../reminder/reminder"),
    import("../recruitment/erasure"),
  ]);
  await List.forgetContact(contactId);
  await Reminders.forgetCustomer(companyId, contactId);
  await Dossiers.forgetContact(companyId, contactId);
  // Everywhere the person was copied: messages and replies, events and webhook deliveries, audit labels,
  // import reports. The suppression list keeps the address: not writing to someone who said STOP is its
  // legal basis.
  const addresses = [row.mobile, row.email].filter((value): value is string => Boolean(value));
  const fullName = [row.firstName, row.lastName].filter(Boolean).join(" ");
  const personal = fullName ? [...addresses, fullName] : addresses;
  const [Erasure, { ContactImport }, Webhooks] = await Promise.all([
    import("../delivery/erasure"),
    import("../contact-import"),
    import("../webhook/erasure"),
  ]);
  const { messageIds } = await Erasure.forgetPerson({ companyId, contactId, addresses });
  await Event.forgetPerson({ messageIds, personal });
  await Webhooks.forgetPerson({ messageIds, personal });
  await ContactImport.forgetPerson(personal);
  await Audit.forgetPerson(contactId, personal);
  await Audit.record("contact.erased", { target: { type: "contact", id: contactId, label: "—" } });
});

/**
 * STOP by SMS, an unsubscribe link, or a request to the agency: never overwritten by an import. The
 * address also goes on the company's suppression list. Lifting one is for Admins only, never for an
 * opt-out the person gave (STOP, complaint), and audited.
 */
export const optOut = fn(
  z.object({
    contactId: z.string(),
    channel: z.enum(channels),
    source: z.string().max(100),
    optedOut: z.boolean(),
  }),
  async (input) => {
    const row = await visible(input.contactId);
    const at = new Date().toISOString();
    const key = { companyId: useCompanyId(), contactId: input.contactId };
    const fields =
      input.channel === "sms"
        ? (["optOutSmsAt", "optOutSmsSource"] as const)
        : (["optOutEmailAt", "optOutEmailSource"] as const);
    const address = input.channel === "sms" ? row.mobile : row.email;
    if (input.optedOut) {
      await ContactEntity.patch(key)
        .set({ [fields[0]]: at, [fields[1]]: input.source })
        .go();
      if (address)
        await Suppression.add({
          companyId: key.companyId,
          channel: input.channel,
          address,
          source: "manual",
          reason: input.source,
          contactId: input.contactId,
          at,
        });
    } else {
      const source = row[fields[1]];
      if (!row[fields[0]] && !address) return fromId(input.contactId);
      if (useUser().role !== "admin") throw Suppression.forbidden();
      if (row[fields[0]] && Suppression.fromThePerson(source)) throw Suppression.fromPerson();
      // The list's entry first: it refuses to lift a STOP the contact's fields may not show.
      const lifted = address ? await Suppression.lift({ channel: input.channel, address }) : false;
      if (row[fields[0]]) {
        await ContactEntity.patch(key)
          .remove([...fields])
          .go();
        // Suppression.lift audits the list's entry; a contact-only opt-out (older data) is audited here.
        if (!lifted)
          await Audit.record("suppression.lifted", {
            target: { type: "contact", id: input.contactId, label: address ?? input.contactId },
            details: { channel: input.channel, source },
          });
      }
    }
    return fromId(input.contactId);
  },
);
