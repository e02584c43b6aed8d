import { query, request } from "../api";
import type { ContactType } from "../contacts/client";

/**
 * Distribution lists (functions/api/lists.ts). Its router does not carry its types into `AppType`, so
 * the shapes are written out here from the route file.
 */

export type ListField = { id: string; name: string };

export type DistributionList = {
  listId: string;
  name: string;
  agencyId: string;
  fields: ListField[];
  fieldsVersion: number;
  memberCount: number;
  createdBy?: { userId: string; name: string };
  createdAt: string;
  updatedAt: string;
};

export type ListMember = {
  contactId: string;
  fields: Record<string, string>;
  addedAt: string;
  contact: {
    civility?: "M" | "Mme";
    firstName?: string;
    lastName?: string;
    mobile?: string;
    email?: string;
    smsCapable: boolean;
    type: ContactType;
    optOut: { sms?: string; email?: string };
  } | null;
};

export type Added = { added: number; updated: number; unchanged: number; notFound: string[] };

export type PasteRejection = { entry: string; position: number; code: string; message: string };

export type PasteReport = {
  entries: number;
  valid: number;
  duplicates: number;
  invalid: PasteRejection[];
  contactsCreated: number;
  added: number;
  alreadyMembers: number;
};

export type ListHealth = {
  total: number;
  valid: number;
  invalid: number;
  optedOut: { sms: number; email: number };
  duplicates: number;
  smsCapable: number;
  emailCapable: number;
};

export const cleanCategories = ["invalid", "optedOut", "duplicates"] as const;
export type CleanCategory = (typeof cleanCategories)[number];

export type CleanPreview = {
  token: string;
  counts: Record<CleanCategory | "total", number>;
  members: Record<CleanCategory, ListMember[]>;
};

export const maxFields = 15;
export const maxFieldName = 30;

const path = (listId: string, rest = "") => `/api/lists/${encodeURIComponent(listId)}${rest}`;

type ListFilters = { query?: string; agencyId?: string; cursor?: string };

/**
 * A page of lists, filled: the API filters (name, agency) each DynamoDB page after reading it, so one
 * call can answer few lists and a cursor; this reads on until 50 arrived or after a few calls.
 */
async function listFilled(filters: ListFilters, wanted = 50, maxCalls = 10) {
  const items: DistributionList[] = [];
  let cursor = filters.cursor;
  for (let call = 0; call < maxCalls; call++) {
    const page = await request<{ items: DistributionList[]; cursor?: string }>(
      "GET",
      `/api/lists${query({ ...filters, cursor, limit: String(call === 0 ? wanted : 100) })}`,
    );
    items.push(...page.items);
    cursor = page.cursor;
    if (!cursor || items.length >= wanted) break;
  }
  return { items, cursor };
}

export const lists = {
  list: (filters: ListFilters = {}) => listFilled(filters),
  get: (listId: string) => request<{ list: DistributionList }>("GET", path(listId)),
  create: (input: {
    name: string;
    agencyId: string;
    fields?: string[];
    contactIds?: string[];
    paste?: string;
  }) => request<{ list: DistributionList; added?: Added; paste?: PasteReport }>("POST", "/api/lists", input),
  update: (
    listId: string,
    changes: {
      name?: string;
      agencyId?: string;
      fields?: { id?: string; name: string }[];
      fieldsVersion?: number;
    },
  ) => request<{ list: DistributionList }>("PATCH", path(listId), changes),
  remove: (listId: string) => request<undefined>("DELETE", path(listId), { confirm: true }),
  duplicate: (listId: string, name?: string) =>
    request<{ list: DistributionList }>("POST", path(listId, "/duplicate"), name ? { name } : {}),
  paste: (listId: string, text: string) =>
    request<{ report: PasteReport; list: DistributionList }>("POST", path(listId, "/paste"), { text }),
  members: (listId: string, cursor?: string, limit = 50) =>
    request<{ items: ListMember[]; cursor?: string }>(
      "GET",
      path(listId, `/members${query({ cursor, limit: String(limit) })}`),
    ),
  addMembers: (listId: string, contactIds: string[]) =>
    request<{ result: Added; list: DistributionList }>("POST", path(listId, "/members"), { contactIds }),
  updateMember: (listId: string, contactId: string, fields: Record<string, string | null>) =>
    request<{ member: ListMember }>("PATCH", path(listId, `/members/${encodeURIComponent(contactId)}`), {
      fields,
    }),
  removeMember: (listId: string, contactId: string) =>
    request<undefined>("DELETE", path(listId, `/members/${encodeURIComponent(contactId)}`)),
  cleanPreview: (listId: string) => request<CleanPreview>("GET", path(listId, "/clean")),
  clean: (listId: string, token: string, categories: CleanCategory[]) =>
    request<{ removed: Record<CleanCategory, number>; list: DistributionList }>(
      "POST",
      path(listId, "/clean"),
      { token, categories },
    ),
  health: (listId: string) => request<{ health: ListHealth }>("GET", path(listId, "/health")),
  exportPath: (listId: string) => path(listId, "/export"),
};

/** Separators of a paste copied from Excel: tabs, newlines, `;` and `,` (spaces do not separate). */
export function pastedEntries(text: string): string[] {
  return text
    .split(/[\t\r\n;,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** What a custom field name must look like (letters, digits, `_`), as the API checks it. */
export function fieldNameProblem(name: string): "empty" | "long" | "chars" | "global" | null {
  const trimmed = name.trim();
  if (!trimmed) return "empty";
  if (trimmed.length > maxFieldName) return "long";
  if (!/^[\p{L}\p{N}_]+$/u.test(trimmed)) return "chars";
  const folded = trimmed
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
  if (["prenom", "nom", "email", "mobile"].includes(folded)) return "global";
  return null;
}

/** A column header as a field name: `Date RDV` → `date_rdv`. */
export function toFieldName(header: string): string {
  return header
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, maxFieldName);
}
