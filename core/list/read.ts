import type { EntityItem } from "electrodb";
import * as z from "zod";
import { canSeeAgency, canSeeContact } from "../access";
import { asUser, useActor, useCompanyId } from "../actor";
import { contactTypes } from "../contact/contact.entity";
import { VisibleError } from "../error";
import { contactsOf } from "./batch";
import * as Fields from "./fields";
import { ListEntity, ListMemberEntity } from "./list.entity";

/** Reading lists and members as the acting user may see them; shared by the verbs and the export. */
export type ListRow = EntityItem<typeof ListEntity>;
export type MemberRow = EntityItem<typeof ListMemberEntity>;

export const Info = z.object({
  listId: z.string(),
  name: z.string(),
  agencyId: z.string(),
  fields: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Moves with every edit of the fields; send it back with an edit to refuse overwriting someone else's. */
  fieldsVersion: z.number().int(),
  memberCount: z.number().int(),
  createdBy: z.object({ userId: z.string(), name: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Info = z.infer<typeof Info>;

/** A member as shown and sent to: its field values by name, and the contact it points at (null if erased). */
export const Member = z.object({
  contactId: z.string(),
  fields: z.record(z.string(), z.string()),
  addedAt: z.string(),
  /**
   * The contact is no longer in an agency the reader sees (it moved after it was added): shown as such,
   * without its name or number, and not sent to, as everywhere a contact is resolved.
   */
  hidden: z.boolean().optional(),
  contact: z
    .object({
      civility: z.enum(["M", "Mme"]).optional(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      mobile: z.string().optional(),
      email: z.string().optional(),
      smsCapable: z.boolean(),
      type: z.enum(contactTypes),
      optOut: z.object({ sms: z.string().optional(), email: z.string().optional() }),
    })
    .nullable(),
});
export type Member = z.infer<typeof Member>;

export const toInfo = (row: ListRow): Info => ({
  listId: row.listId,
  name: row.name,
  agencyId: row.agencyId,
  fields: row.fields.map((field) => ({ id: field.id, name: field.name })),
  fieldsVersion: row.fieldSeq,
  memberCount: Math.max(0, row.memberCount),
  createdBy: row.createdBy ? { userId: row.createdBy, name: row.createdByName ?? "" } : undefined,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const notFound = () => new VisibleError("list.not_found", "List not found", 404);

/** Same rule as contacts: Admins see every list, others the lists of their agencies; workers the company's. */
export function canSee(row: { agencyId: string }) {
  const actor = useActor();
  if (actor.type === "system") return true;
  const user = asUser(actor);
  return user !== undefined && canSeeAgency(user, row.agencyId);
}

/** The list, or a 404 when it does not exist, belongs to another company, or is in an agency not mine. */
export async function visible(listId: string) {
  const found = await ListEntity.get({ companyId: useCompanyId(), listId }).go({ consistent: true });
  if (!found.data || !canSee(found.data)) throw notFound();
  return found.data;
}

/**
 * Runs a query with a cursor from the request: one that does not parse, or that points outside the query
 * (DynamoDB: "starting key does not match"), is the caller's mistake, not a 500.
 */
export async function withCursor<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && /Unable to parse cursor|provided starting key/i.test(error.message))
      throw new VisibleError(
        "request.cursor_invalid",
        "Invalid cursor: start again from the first page",
        400,
        {
          fields: [{ path: "cursor", message: "Invalid cursor" }],
        },
      );
    throw error;
  }
}

/** Members in contact id order, a page at a time. */
export async function* memberRows(companyId: string, listId: string, pageSize: number) {
  let cursor: string | null = null;
  do {
    const page: { data: MemberRow[]; cursor: string | null } = await ListMemberEntity.query
      .byList({ companyId, listId })
      .go({ cursor, limit: pageSize });
    if (page.data.length > 0) yield page.data;
    cursor = page.cursor;
  } while (cursor);
}

/** Members with their values by field name and their contacts, read with one BatchGet per 100. */
export async function joined(companyId: string, list: ListRow, rows: MemberRow[]): Promise<Member[]> {
  const contacts = await contactsOf(
    companyId,
    rows.map((row) => row.contactId),
  );
  const actor = useActor();
  return rows.map((row) => {
    const found = contacts.get(row.contactId);
    const hidden = found !== undefined && !canSeeContact(actor, found);
    const contact = hidden ? undefined : found;
    return {
      contactId: row.contactId,
      // Field values are the list's (its agency's), but they may name the person: hidden too.
      fields: hidden ? {} : Fields.byName(list.fields, row.values as Record<string, string> | undefined),
      addedAt: row.addedAt,
      ...(hidden ? { hidden: true } : {}),
      contact: contact
        ? {
            civility: contact.civility,
            firstName: contact.firstName,
            lastName: contact.lastName,
            mobile: contact.mobile,
            email: contact.email,
            smsCapable: contact.smsCapable,
            type: contact.type,
            optOut: { sms: contact.optOut.sms?.at, email: contact.optOut.email?.at },
          }
        : null,
    };
  });
}
