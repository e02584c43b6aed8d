import type { InferRequestType, InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** Distribution lists (functions/api/lists.ts), through the typed `hc` client. */

type One = (typeof api.api.lists)[":listId"];

export type DistributionList = InferResponseType<One["$get"], 200>["list"];
export type ListField = DistributionList["fields"][number];
export type ListMember = InferResponseType<One["members"]["$get"], 200>["items"][number];
export type Added = InferResponseType<One["members"]["$post"], 200>["result"];
export type PasteReport = InferResponseType<One["paste"]["$post"], 200>["report"];
export type PasteRejection = PasteReport["invalid"][number];
export type PasteColumn = PasteReport["columns"][number];
export type PastePreview = InferResponseType<
  (typeof api.api.lists)["paste-preview"]["$post"],
  200
>["preview"];
export type ListHealth = InferResponseType<One["health"]["$get"], 200>["health"];
export type CleanPreview = InferResponseType<One["clean"]["$get"], 200>;
export type CleanCategory = NonNullable<
  InferRequestType<One["clean"]["$post"]>["json"]["categories"]
>[number];
export const cleanCategories = [
  "invalid",
  "optedOut",
  "duplicates",
] as const satisfies readonly CleanCategory[];

type NewList = InferRequestType<typeof api.api.lists.$post>["json"];
type ListChanges = InferRequestType<One["$patch"]>["json"];

export const maxFields = 15;
export const maxFieldName = 30;

type ListFilters = { query?: string; agencyId?: string; cursor?: string };

const param = (listId: string) => ({ param: { listId } });
const fresh = { init: { cache: "no-store" as const } };

/**
 * A page of lists, filled: the API filters (name, agency) each DynamoDB page after reading it, so one
 * call can answer few lists and a cursor; this reads on until 50 arrived or after a few calls.
 */
async function listFilled(filters: ListFilters, wanted = 50, maxCalls = 10) {
  const items: DistributionList[] = [];
  let cursor = filters.cursor;
  for (let call = 0; call < maxCalls; call++) {
    const page = await unwrap(
      api.api.lists.$get(
        {
          query: {
            query: filters.query || undefined,
            agencyId: filters.agencyId || undefined,
            cursor,
            limit: String(call === 0 ? wanted : 100),
          },
        },
        fresh,
      ),
    );
    items.push(...page.items);
    cursor = page.cursor;
    if (!cursor || items.length >= wanted) break;
  }
  return { items, cursor };
}

export const lists = {
  list: (filters: ListFilters = {}) => listFilled(filters),
  get: (listId: string) => unwrap(api.api.lists[":listId"].$get(param(listId), fresh)),
  create: (json: NewList) => unwrap(api.api.lists.$post({ json })),
  update: (listId: string, json: ListChanges) =>
    unwrap(api.api.lists[":listId"].$patch({ ...param(listId), json })),
  remove: (listId: string) =>
    unwrap(api.api.lists[":listId"].$delete({ ...param(listId), json: { confirm: true } })),
  duplicate: (listId: string, name?: string) =>
    unwrap(api.api.lists[":listId"].duplicate.$post({ ...param(listId), json: name ? { name } : {} })),
  /** How a paste reads (columns, their mapping, refused lines), writing nothing. */
  previewPaste: (text: string, fields: string[], newFields: boolean) =>
    unwrap(api.api.lists["paste-preview"].$post({ json: { text, fields, newFields } })),
  paste: (listId: string, text: string) =>
    unwrap(api.api.lists[":listId"].paste.$post({ ...param(listId), json: { text } })),
  members: (listId: string, cursor?: string, limit = 50) =>
    unwrap(
      api.api.lists[":listId"].members.$get(
        { ...param(listId), query: { cursor, limit: String(limit) } },
        fresh,
      ),
    ),
  addMembers: (listId: string, contactIds: string[]) =>
    unwrap(api.api.lists[":listId"].members.$post({ ...param(listId), json: { contactIds } })),
  updateMember: (listId: string, contactId: string, fields: Record<string, string | null>) =>
    unwrap(
      api.api.lists[":listId"].members[":contactId"].$patch({
        param: { listId, contactId },
        json: { fields },
      }),
    ),
  removeMember: (listId: string, contactId: string) =>
    unwrap(api.api.lists[":listId"].members[":contactId"].$delete({ param: { listId, contactId } })),
  cleanPreview: (listId: string) => unwrap(api.api.lists[":listId"].clean.$get(param(listId), fresh)),
  clean: (listId: string, token: string, categories: CleanCategory[]) =>
    unwrap(api.api.lists[":listId"].clean.$post({ ...param(listId), json: { token, categories } })),
  health: (listId: string) => unwrap(api.api.lists[":listId"].health.$get(param(listId), fresh)),
  /** The workbook's path, for `download` (a binary answer, not JSON). */
  exportPath: (listId: string) => api.api.lists[":listId"].export.$path(param(listId)),
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
