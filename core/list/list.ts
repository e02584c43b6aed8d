import { ulid } from "ulid";
import * as z from "zod";
import { forbidden } from "../access";
import { useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { Contact } from "../contact";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { contactsOf, deleteAll, getAll, putAll } from "./batch";
import * as Fields from "./fields";
import { ListEntity, ListMemberEntity } from "./list.entity";
import * as Paste from "./paste";
import * as Quality from "./quality";
import { Classifier, categories, Health } from "./quality";
import {
  canSee,
  joined,
  type ListRow,
  Member,
  type MemberRow,
  memberRows,
  notFound,
  toInfo,
  visible,
  withCursor,
} from "./read";

export { exportXlsx } from "./export";
export { maxFields } from "./fields";
export { categories } from "./quality";
export { Info, Member } from "./read";

/** Contact ids sent at once by the console (a search selection) or removed at once. */
export const maxSelection = 5_000;
export const maxPasteEntries = Paste.maxEntries;
export const maxPasteLength = 500_000;

const Name = z.string().trim().min(1, "Name is required").max(120);
const FieldValues = z.record(z.string().max(100), z.string().max(Fields.maxValueLength).nullable());

const fold = (text: string) => Fields.foldName(text).replace(/\s+/g, " ").trim();

async function assertAgency(agencyId: string) {
  if (!canSee({ agencyId })) forbidden("You cannot use this agency");
  await Agency.assertUsable([agencyId]);
}

/** Adds `delta` members to the counter; a list deleted meanwhile is reported as not found. */
async function count(companyId: string, listId: string, delta: number) {
  if (delta === 0) return;
  try {
    await ListEntity.patch({ companyId, listId }).add({ memberCount: delta }).go();
  } catch (error) {
    if (isConditionalFailure(error)) throw notFound();
    throw error;
  }
}

export const Search = z.object({
  query: z.string().trim().max(100).optional(),
  agencyId: z.string().max(64).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** The lists the acting user may see, newest first, filtered by name and agency. */
export const list = fn(Search, async (input) => {
  const actor = useUser();
  const needle = input.query ? fold(input.query) : "";
  const query = ListEntity.query
    .byCompany({ companyId: useCompanyId() })
    .where(({ searchName }, { contains }) => (needle ? contains(searchName, needle) : ""))
    .where(({ agencyId }, { eq }) => (input.agencyId ? eq(agencyId, input.agencyId) : ""))
    .where(({ agencyId }, { eq }) =>
      actor.role === "admin"
        ? ""
        : `(${actor.agencyIds.map((id) => eq(agencyId, id)).join(" OR ") || "false"})`,
    );
  const page = await withCursor(() =>
    query.go({ order: "desc", cursor: input.cursor ?? null, count: input.limit }),
  );
  return { items: page.data.map(toInfo), cursor: page.cursor ?? undefined };
});

export const fromId = fn(z.string(), async (listId) => toInfo(await visible(listId)));

export const NewMember = z.object({
  contactId: z.string().min(1).max(64),
  fields: FieldValues.optional(),
});
export type NewMember = z.input<typeof NewMember>;

export type Added = { added: number; updated: number; unchanged: number; notFound: string[] };

const chunk = 500;

const sameValues = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([key, value]) => b[key] === value);

/**
 * Adds contacts to a list, or updates the field values of those already in it (values merge; null clears
 * one). Callable in batches of any size by imports and the console: it reads and writes 500 members at a
 * time with BatchGet/BatchWrite and moves the counter once per batch. Field values are keyed by field
 * name (case and accents ignored); an unknown name refuses the whole call before anything is written.
 * Contacts that do not exist, are erased, or that the acting user may not see are skipped and returned in
 * `notFound`.
 */
export async function addMembers(listId: string, members: NewMember[]): Promise<Added> {
  const input = z.array(NewMember).parse(members);
  const row = await visible(listId);
  const companyId = useCompanyId();
  const wanted = new Map<string, Record<string, string | null>>();
  for (const member of input) {
    const changes = member.fields ? Fields.toIds(row.fields, member.fields) : {};
    wanted.set(member.contactId, { ...wanted.get(member.contactId), ...changes });
  }
  const result: Added = { added: 0, updated: 0, unchanged: 0, notFound: [] };
  const entries = [...wanted];
  for (let start = 0; start < entries.length; start += chunk) {
    const batch = entries.slice(start, start + chunk);
    const contacts = await contactsOf(
      companyId,
      batch.map(([contactId]) => contactId),
    );
    const existing = new Map(
      (
        await getAll(
          (keys) => ListMemberEntity.get(keys).go({ consistent: true, concurrent: 4 }),
          batch
            .filter(([contactId]) => contacts.has(contactId))
            .map(([contactId]) => ({ companyId, listId, contactId })),
        )
      ).map((member) => [member.contactId, member]),
    );
    const now = new Date().toISOString();
    const puts: MemberRow[] = [];
    let added = 0;
    for (const [contactId, changes] of batch) {
      const contact = contacts.get(contactId);
      if (!contact || !Contact.canSee(contact)) {
        result.notFound.push(contactId);
        continue;
      }
      const current = existing.get(contactId);
      const stored = current?.values as Record<string, string> | undefined;
      const values = Fields.applyValues(row.fields, stored, changes);
      if (!current) {
        puts.push({ companyId, listId, contactId, values, addedAt: now });
        added++;
      } else if (!sameValues(values, Fields.applyValues(row.fields, stored, {}))) {
        puts.push({ ...current, values });
        result.updated++;
      } else {
        result.unchanged++;
      }
    }
    await putAll((items) => ListMemberEntity.put(items).go({ concurrent: 4 }), puts);
    await count(companyId, listId, added);
    result.added += added;
  }
  return result;
}

export const CreateInput = z.object({
  name: Name,
  agencyId: z.string().min(1).max(64),
  /** Custom field names, in order; validated by fields.ts with a message per name. */
  fields: z.array(z.string().max(100)).max(50).default([]),
  /** A search selection to start with. */
  contactIds: z.array(z.string().min(1).max(64)).max(maxSelection).optional(),
  /** Numbers and emails pasted from Excel to start with. */
  paste: z.string().max(maxPasteLength).optional(),
});

/**
 * Creates a list: empty, from a selection of contacts, from pasted numbers and emails, or both. A paste of
 * columns with a header names the list's fields too: headers no given field matches become new fields.
 */
export const create = fn(CreateInput, async (input) => {
  const actor = useUser();
  await assertAgency(input.agencyId);
  const table = input.paste
    ? Paste.parseTable(input.paste, { fields: input.fields, newFields: true })
    : undefined;
  const { fields, seq } = Fields.fromNames([...input.fields, ...(table?.newFields ?? [])]);
  const listId = ulid();
  await ListEntity.create({
    companyId: useCompanyId(),
    listId,
    name: input.name,
    searchName: fold(input.name),
    agencyId: input.agencyId,
    fields,
    fieldSeq: seq,
    memberCount: 0,
    createdBy: actor.userId,
    createdByName: actor.name,
  }).go();
  await Audit.record("list.created", {
    target: { type: "list", id: listId, label: input.name },
    details: { agencyId: input.agencyId, fields: fields.map((field) => field.name) },
  });
  const added = input.contactIds?.length
    ? await addMembers(
        listId,
        input.contactIds.map((contactId) => ({ contactId })),
      )
    : undefined;
  const pasted = table ? await fill(listId, table) : undefined;
  return { list: await fromId(listId), added, paste: pasted };
});

export const UpdateInput = z.object({
  listId: z.string(),
  name: Name.optional(),
  agencyId: z.string().min(1).max(64).optional(),
  /**
   * The whole new ordered set of custom fields: `{ id, name }` keeps or renames a field, `{ name }` adds
   * one, a field left out is removed (with its values).
   */
  fields: z
    .array(z.object({ id: z.string().max(20).optional(), name: z.string().max(100) }))
    .max(50)
    .optional(),
  /** The `fieldsVersion` the edit was made from; when given, an edit made meanwhile answers 409. */
  fieldsVersion: z.number().int().optional(),
});

const changed = () =>
  new VisibleError("list.changed", "The list's fields were changed meanwhile: reload it and try again", 409);

/** Renames a list, moves it to another agency, or edits its custom fields. */
export const update = fn(UpdateInput, async (input) => {
  const row = await visible(input.listId);
  if (input.fieldsVersion !== undefined && input.fieldsVersion !== row.fieldSeq) throw changed();
  if (input.agencyId && input.agencyId !== row.agencyId) await assertAgency(input.agencyId);
  const planned = input.fields ? Fields.plan(row.fields, input.fields, row.fieldSeq) : undefined;
  const changes = {
    ...(input.name ? { name: input.name, searchName: fold(input.name) } : {}),
    ...(input.agencyId ? { agencyId: input.agencyId } : {}),
    ...(planned ? { fields: planned.fields, fieldSeq: planned.seq } : {}),
  };
  try {
    const updated = await ListEntity.patch({ companyId: useCompanyId(), listId: input.listId })
      .set(changes)
      // Two people editing the fields at once: the second is told to reload rather than undo the first.
      .where(({ fieldSeq }, { eq }) => eq(fieldSeq, row.fieldSeq))
      .go({ response: "all_new" });
    return toInfo({ ...row, ...updated.data });
  } catch (error) {
    if (isConditionalFailure(error)) throw changed();
    throw error;
  }
});

/** Deletes a list and its members (the contacts stay). The caller must confirm explicitly. */
export const remove = fn(
  z.object({
    listId: z.string(),
    confirm: z.literal(true, { error: 'Confirm the deletion with { "confirm": true }' }),
  }),
  async ({ listId }) => {
    const row = await visible(listId);
    const companyId = useCompanyId();
    // The list goes first: members left behind by a failure are invisible and harmless.
    await ListEntity.delete({ companyId, listId }).go();
    await Audit.record("list.deleted", {
      target: { type: "list", id: listId, label: row.name },
      details: { members: Math.max(0, row.memberCount), agencyId: row.agencyId },
    });
    for await (const rows of memberRows(companyId, listId, 1000)) {
      await deleteAll(
        (keys) => ListMemberEntity.delete(keys).go({ concurrent: 8 }),
        rows.map((member) => ({ companyId, listId, contactId: member.contactId })),
      );
    }
  },
);

/** A new list with the same agency, fields and members (and their values). */
export const duplicate = fn(
  z.object({ listId: z.string(), name: Name.optional() }),
  async ({ listId: sourceId, name }) => {
    const source = await visible(sourceId);
    const actor = useUser();
    const companyId = useCompanyId();
    const listId = ulid();
    const now = new Date().toISOString();
    let copied = 0;
    // Members first, list last: until then the copy is invisible, never half-filled.
    for await (const rows of memberRows(companyId, sourceId, 1000)) {
      await putAll(
        (items) => ListMemberEntity.put(items).go({ concurrent: 8 }),
        rows.map((member) => ({
          companyId,
          listId,
          contactId: member.contactId,
          values: member.values,
          addedAt: now,
        })),
      );
      copied += rows.length;
    }
    const copyName = name ?? `${source.name.slice(0, 111)} (copie)`;
    await ListEntity.create({
      companyId,
      listId,
      name: copyName,
      searchName: fold(copyName),
      agencyId: source.agencyId,
      fields: source.fields,
      fieldSeq: source.fieldSeq,
      memberCount: copied,
      createdBy: actor.userId,
      createdByName: actor.name,
    }).go();
    await Audit.record("list.created", {
      target: { type: "list", id: listId, label: copyName },
      details: { duplicatedFrom: sourceId, duplicatedFromName: source.name, members: copied },
    });
    return fromId(listId);
  },
);

export const PasteColumn = z.object({
  index: z.number().int(),
  header: z.string().nullable(),
  /** The first value under the header, to recognise a column without one. */
  sample: z.string().nullable(),
  target: z.enum(["mobile", "email", "address", "field", "newField", "ignored"]),
  field: z.string().optional(),
  reason: z.enum(["unknown", "repeated", "noField", "badName", "tooMany", "empty"]).optional(),
});
export type PasteColumn = z.infer<typeof PasteColumn>;

const toColumn = ({ index, header, sample, target }: Paste.Column): PasteColumn => ({
  index,
  header,
  sample: sample && sample.length > 60 ? `${sample.slice(0, 59)}…` : sample,
  target: target.kind,
  ...("field" in target ? { field: target.field } : {}),
  ...("reason" in target ? { reason: target.reason } : {}),
});

export const PasteReport = z.object({
  /** Non-empty entries read. */
  entries: z.number().int(),
  /** Distinct valid numbers and emails. */
  valid: z.number().int(),
  /** Entries that repeated an earlier one and were folded into it. */
  duplicates: z.number().int(),
  /** Every entry not added, with its position (1-based) and why. */
  invalid: z.array(
    z.object({ entry: z.string(), position: z.number().int(), code: z.string(), message: z.string() }),
  ),
  contactsCreated: z.number().int(),
  added: z.number().int(),
  alreadyMembers: z.number().int(),
  /** "rows": a block of columns, one member a line (positions are line numbers); "entries": a flat bag. */
  layout: z.enum(["entries", "rows"]),
  /** The first line named the columns. */
  header: z.boolean(),
  /** How each column was read (rows only). */
  columns: z.array(PasteColumn),
});
export type PasteReport = z.infer<typeof PasteReport>;

const tooLarge = (entries: number) =>
  new VisibleError(
    "list.paste_too_large",
    `Paste at most ${Paste.maxEntries.toLocaleString("fr-FR")} entries at a time (${entries} found)`,
    413,
  );

/**
 * Numbers and emails pasted from Excel become contacts of the list's agency (merged into the existing
 * contact with the same number or email) and members of the list. Invalid entries come back with their
 * reason; repeats collapse. A block of columns fills the members' field values too (see paste.ts).
 */
export const paste = fn(
  z.object({ listId: z.string(), text: z.string().max(maxPasteLength) }),
  async ({ listId, text }): Promise<PasteReport> => {
    const row = await visible(listId);
    return fill(listId, Paste.parseTable(text, { fields: row.fields.map((field) => field.name) }));
  },
);

export const PastePreview = PasteReport.omit({ contactsCreated: true, added: true, alreadyMembers: true });
export type PastePreview = z.infer<typeof PastePreview>;

/**
 * What a paste would do, before anything is written: the columns and how each maps, the lines refused.
 * `fields` are the list's field names (or those typed for a new list, with `newFields`).
 */
export const previewPaste = fn(
  z.object({
    text: z.string().max(maxPasteLength),
    fields: z.array(z.string().max(100)).max(50).default([]),
    newFields: z.boolean().default(false),
  }),
  async ({ text, fields, newFields }): Promise<PastePreview> => {
    const table = Paste.parseTable(text, { fields, newFields });
    if (table.entries > Paste.maxEntries) throw tooLarge(table.entries);
    return {
      entries: table.entries,
      valid: table.accepted.length,
      duplicates: table.duplicates,
      invalid: table.rejected,
      layout: table.layout,
      header: table.header,
      columns: table.columns.map(toColumn),
    };
  },
);

async function fill(listId: string, parsed: Paste.Table): Promise<PasteReport> {
  const row = await visible(listId);
  if (parsed.entries > Paste.maxEntries) throw tooLarge(parsed.entries);
  const invalid = [...parsed.rejected];
  const members: NewMember[] = [];
  let contactsCreated = 0;
  for (let start = 0; start < parsed.accepted.length; start += chunk) {
    const batch = parsed.accepted.slice(start, start + chunk);
    const outcomes = await Contact.upsertBatch(
      batch.map((entry, index) => ({ index, value: entry.value })),
      [row.agencyId],
    );
    for (const outcome of outcomes) {
      const entry = batch[outcome.index]!;
      if (outcome.contactId && outcome.result !== "conflict") {
        members.push({ contactId: outcome.contactId, fields: entry.fields });
        if (outcome.result === "created") contactsCreated++;
      } else {
        invalid.push({
          entry: entry.entry,
          position: entry.position,
          code: "paste.conflict",
          message: outcome.message ?? "Conflicting contact",
        });
      }
    }
  }
  // Field names come from the list itself (or were just created with it), so toIds knows every one.
  const added = await addMembers(listId, members);
  return {
    entries: parsed.entries,
    valid: parsed.accepted.length,
    duplicates: parsed.duplicates,
    invalid: invalid.sort((a, b) => a.position - b.position),
    contactsCreated,
    added: added.added,
    alreadyMembers: added.updated + added.unchanged,
    layout: parsed.layout,
    header: parsed.header,
    columns: parsed.columns.map(toColumn),
  };
}

export const MembersInput = z.object({
  listId: z.string(),
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});

/** One page of members (in contact id order) with their contacts' name, number, email and opt-outs. */
export const members = fn(MembersInput, async (input) => {
  const row = await visible(input.listId);
  const companyId = useCompanyId();
  const page = await withCursor(() =>
    ListMemberEntity.query
      .byList({ companyId, listId: input.listId })
      .go({ cursor: input.cursor ?? null, limit: input.limit }),
  );
  return { items: await joined(companyId, row, page.data), cursor: page.cursor ?? undefined };
});

/**
 * Every member of a list joined with its contact, page by page, with field values by name: what a
 * campaign sends to (`%date_rdv%` → `member.fields.date_rdv`). Members whose contact was erased come with
 * `contact: null`; opt-outs are in `contact.optOut`, for the sender to skip.
 */
export async function* memberPages(listId: string, options: { pageSize?: number } = {}) {
  const row = await visible(listId);
  const companyId = useCompanyId();
  for await (const rows of memberRows(companyId, listId, options.pageSize ?? 500)) {
    yield await joined(companyId, row, rows);
  }
}

/** The list's fields and the names templates may use, for the composer. */
export const variables = fn(z.string(), async (listId) =>
  (await visible(listId)).fields.map((field) => field.name),
);

/** Sets or clears (null) a member's field values, by field name. */
export const updateMember = fn(
  z.object({ listId: z.string(), contactId: z.string(), fields: FieldValues }),
  async (input) => {
    const row = await visible(input.listId);
    const companyId = useCompanyId();
    const changes = Fields.toIds(row.fields, input.fields);
    const key = { companyId, listId: input.listId, contactId: input.contactId };
    const current = await ListMemberEntity.get(key).go({ consistent: true });
    if (!current.data) throw new VisibleError("list.member_not_found", "Not a member of this list", 404);
    const values = Fields.applyValues(row.fields, current.data.values as Record<string, string>, changes);
    try {
      await ListMemberEntity.patch(key).set({ values }).go();
    } catch (error) {
      if (isConditionalFailure(error))
        throw new VisibleError("list.member_not_found", "Not a member of this list", 404);
      throw error;
    }
    const [member] = await joined(companyId, row, [{ ...current.data, values }]);
    return member!;
  },
);

/** Removes members by contact id (missing ones are ignored) and returns how many went. */
async function deleteMembers(companyId: string, listId: string, contactIds: string[]) {
  const ids = [...new Set(contactIds)];
  let removed = 0;
  for (let start = 0; start < ids.length; start += chunk) {
    const keys = ids.slice(start, start + chunk).map((contactId) => ({ companyId, listId, contactId }));
    const present = await getAll(
      (batch) =>
        ListMemberEntity.get(batch).go({ consistent: true, concurrent: 4, attributes: ["contactId"] }),
      keys,
    );
    await deleteAll(
      (batch) => ListMemberEntity.delete(batch).go({ concurrent: 4 }),
      present.map((member) => ({ companyId, listId, contactId: member.contactId })),
    );
    await count(companyId, listId, -present.length);
    removed += present.length;
  }
  return removed;
}

export const removeMembers = fn(
  z.object({ listId: z.string(), contactIds: z.array(z.string().min(1).max(64)).min(1).max(maxSelection) }),
  async (input) => {
    await visible(input.listId);
    return { removed: await deleteMembers(useCompanyId(), input.listId, input.contactIds) };
  },
);

/** Removes one member; 404 when the contact is not in the list. */
export const removeMember = fn(z.object({ listId: z.string(), contactId: z.string() }), async (input) => {
  await visible(input.listId);
  const companyId = useCompanyId();
  try {
    await ListMemberEntity.remove({ companyId, ...input }).go();
  } catch (error) {
    if (isConditionalFailure(error))
      throw new VisibleError("list.member_not_found", "Not a member of this list", 404);
    throw error;
  }
  await count(companyId, input.listId, -1);
});

/**
 * Reads every member once: what a clean would remove, the health counts, and the exact member count,
 * stored when the running counter drifted (unless someone wrote to the list meanwhile).
 */
async function analyse(row: ListRow) {
  const companyId = useCompanyId();
  const classifier = new Classifier<Member>();
  const health = new Health();
  for await (const rows of memberRows(companyId, row.listId, 1000)) {
    for (const member of await joined(companyId, row, rows)) health.add(member, classifier.add(member));
  }
  if (health.total !== row.memberCount) {
    await ListEntity.patch({ companyId, listId: row.listId })
      .set({ memberCount: health.total })
      .where(({ memberCount }, { eq }) => eq(memberCount, row.memberCount))
      .go()
      .catch((error) => {
        if (!isConditionalFailure(error)) throw error;
      });
  }
  return { classifier, health };
}

export const HealthSummary = z.object({
  total: z.number().int(),
  /** Reachable on at least one channel in principle: an SMS-capable mobile or an email. */
  valid: z.number().int(),
  /** Neither an SMS-capable mobile nor an email, or the contact was erased. */
  invalid: z.number().int(),
  /** Members opted out of each channel. */
  optedOut: z.object({ sms: z.number().int(), email: z.number().int() }),
  /** Members that repeat another member's mobile or email (what a clean would remove). */
  duplicates: z.number().int(),
  /** Can receive an SMS now: SMS-capable mobile, not opted out of SMS. */
  smsCapable: z.number().int(),
  /** Can receive an email now: email, not opted out of email. */
  emailCapable: z.number().int(),
});

/** The health summary of a list; also corrects the member count. */
export const health = fn(z.string(), async (listId) => {
  const { health: counts } = await analyse(await visible(listId));
  return counts.summary();
});

export const CleanPreview = z.object({
  /** Pass it back to confirm: the clean then removes exactly these members, or nothing. */
  token: z.string(),
  counts: z.object({
    invalid: z.number().int(),
    optedOut: z.number().int(),
    duplicates: z.number().int(),
    total: z.number().int(),
  }),
  members: z.object({ invalid: z.array(Member), optedOut: z.array(Member), duplicates: z.array(Member) }),
});

/**
 * What a clean would remove, without removing anything: invalid members (no SMS-capable mobile and no
 * email, or erased), opted-out members (opted out of every channel they have), and duplicates (same
 * mobile or email as another member kept).
 */
export const cleanPreview = fn(z.string(), async (listId) => {
  const { classifier } = await analyse(await visible(listId));
  const { found } = classifier;
  return {
    token: Quality.token(listId, found),
    counts: {
      invalid: found.invalid.length,
      optedOut: found.optedOut.length,
      duplicates: found.duplicates.length,
      total: found.invalid.length + found.optedOut.length + found.duplicates.length,
    },
    members: found,
  };
});

/**
 * Removes what the preview showed, for the chosen categories. The preview is recomputed: if it no longer
 * matches the token (members changed, a contact opted out meanwhile), nothing is removed and the caller
 * must preview again, so a confirmation never removes more than was shown.
 */
export const clean = fn(
  z.object({
    listId: z.string(),
    token: z.string().min(1).max(100),
    categories: z
      .array(z.enum(categories))
      .min(1)
      .default([...categories]),
  }),
  async (input) => {
    const row = await visible(input.listId);
    const { classifier } = await analyse(row);
    if (Quality.token(input.listId, classifier.found) !== input.token)
      throw new VisibleError(
        "list.clean_changed",
        "The list changed since the preview: review the new summary before confirming",
        409,
      );
    const chosen = [...new Set(input.categories)];
    const removed = { invalid: 0, optedOut: 0, duplicates: 0 };
    for (const category of chosen) {
      removed[category] = await deleteMembers(
        useCompanyId(),
        input.listId,
        classifier.found[category].map((member) => member.contactId),
      );
    }
    await Audit.record("list.cleaned", {
      target: { type: "list", id: input.listId, label: row.name },
      details: { removed },
    });
    return { removed, list: await fromId(input.listId) };
  },
);

/**
 * GDPR erasure: takes a contact out of every list, values included. For whoever erases the contact to
 * call; it does not check list visibility (the caller checked the contact).
 */
export const forgetContact = fn(z.string(), async (contactId) => {
  const companyId = useCompanyId();
  const found = await ListMemberEntity.query.byContact({ companyId, contactId }).go({ pages: "all" });
  for (const member of found.data) {
    await deleteMembers(companyId, member.listId, [contactId]).catch((error) => {
      if (!(error instanceof VisibleError && error.code === "list.not_found")) throw error;
    });
  }
  return { lists: found.data.length };
});
