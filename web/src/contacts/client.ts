import type { InferRequestType, InferResponseType } from "hono/client";
import { type ImportField, importFields } from "../../../core/contact-import/import.types";
import { api, unwrap } from "../api";

/** Contacts and contact imports (functions/api/contacts.ts, contact-imports.ts), through the typed `hc` client. */

export type Contact = InferResponseType<typeof api.api.contacts.$get, 200>["items"][number];
export type ContactType = Contact["type"];
export type ContactChannel = NonNullable<Contact["preferredChannel"]>;
export const contactTypes = ["externe", "interne", "client"] as const satisfies readonly ContactType[];
export const contactChannels = ["sms", "email"] as const satisfies readonly ContactChannel[];

export type ContactFilters = {
  query?: string;
  agencyId?: string;
  type?: ContactType;
  archived?: boolean;
  cursor?: string;
};

/** What the form sends: every field as typed; the API normalises numbers and reports field errors. */
export type ContactInput = {
  civility?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  type?: string;
  skills?: string[];
  description?: string;
  position?: string;
  preferredChannel?: string;
  customFields?: Record<string, string>;
  agencyIds: string[];
};

const contactId = (id: string) => ({ param: { contactId: id } });

/** One call of the search route: `limit` contacts are read, those matching the filters come back. */
const searchOnce = (filters: ContactFilters, limit: number) =>
  unwrap(
    api.api.contacts.$get(
      {
        query: {
          query: filters.query || undefined,
          agencyId: filters.agencyId || undefined,
          type: filters.type,
          archived: filters.archived ? "true" : undefined,
          cursor: filters.cursor,
          limit: String(limit),
        },
      },
      { init: { cache: "no-store" } },
    ),
  );

/**
 * A page of results, filled. The API filters each DynamoDB page after reading it, so a search among
 * thousands of contacts can answer a few matches, or none, and a cursor. This keeps reading from the
 * cursor until `wanted` matches arrived, the contacts are exhausted, or `maxCalls` reads were made (the
 * rest comes with « Charger plus »).
 */
async function searchFilled(filters: ContactFilters, wanted: number, maxCalls = 15) {
  const items: Contact[] = [];
  let cursor = filters.cursor;
  for (let call = 0; call < maxCalls; call++) {
    const page = await searchOnce({ ...filters, cursor }, call === 0 ? wanted : 100);
    items.push(...page.items);
    cursor = page.cursor;
    if (!cursor || items.length >= wanted) break;
  }
  return { items, cursor };
}

export const contacts = {
  search: (filters: ContactFilters, wanted = 50) => searchFilled(filters, wanted),
  get: (id: string) => unwrap(api.api.contacts[":contactId"].$get(contactId(id))),
  create: (json: ContactInput) => unwrap(api.api.contacts.$post({ json })),
  update: (id: string, json: Partial<ContactInput> & { archived?: boolean }) =>
    unwrap(api.api.contacts[":contactId"].$patch({ ...contactId(id), json })),
  optOut: (id: string, channel: ContactChannel, optedOut: boolean) =>
    unwrap(
      api.api.contacts[":contactId"]["opt-out"].$post({
        ...contactId(id),
        json: { channel, optedOut, source: "console" },
      }),
    ),
  erase: (id: string) => unwrap(api.api.contacts[":contactId"].$delete(contactId(id))),
  /** The GDPR export's path, for `download`. */
  exportPath: (id: string) => api.api.contacts[":contactId"].export.$path(contactId(id)),
};

/* ---------- Contact imports ---------- */

/** The columns an import understands, shared with the API (core/contact-import/import.types.ts). */
export { type ImportField, importFields };

type Imports = (typeof api.api)["contact-imports"];
type OneImport = Imports[":importId"];

export type ContactImport = InferResponseType<OneImport["$get"], 200>["import"];
export type ImportStatus = ContactImport["status"];
export type ImportUpload = InferResponseType<Imports["$post"], 201>;
export type ImportCheck = InferResponseType<OneImport["check"]["$post"], 200>;
export type ImportHeaders = ImportCheck["headers"];
export type ImportLineError = ImportCheck["errors"][number];
export type ImportPreviewRow = ImportCheck["preview"][number];
export type ImportProgress = ContactImport["progress"];
/** Header → a contact field, `custom`, `custom:<name>`, `list:<field>`, or `null` to ignore the column. */
export type ImportMapping = NonNullable<InferRequestType<OneImport["check"]["$post"]>["json"]["mapping"]>;
type ImportStart = InferRequestType<OneImport["start"]["$post"]>["json"];

const importParam = (importId: string) => ({ param: { importId } });
const fresh = { init: { cache: "no-store" as const } };

export const contactImports = {
  /** Downloaded as is by the browser (a plain link, `download`). */
  templateUrl: api.api["contact-imports"].template.$path(),
  recent: (limit = 10) => unwrap(api.api["contact-imports"].$get({ query: { limit: String(limit) } }, fresh)),
  create: (json: { fileName: string; size: number }) => unwrap(api.api["contact-imports"].$post({ json })),
  get: (id: string) => unwrap(api.api["contact-imports"][":importId"].$get(importParam(id), fresh)),
  check: (id: string, mapping?: ImportMapping) =>
    unwrap(
      api.api["contact-imports"][":importId"].check.$post({
        ...importParam(id),
        json: mapping ? { mapping } : {},
      }),
    ),
  start: (id: string, json: ImportStart) =>
    unwrap(api.api["contact-imports"][":importId"].start.$post({ ...importParam(id), json })),
  /** Same origin, answered by a redirect to a short-lived S3 link: a plain link downloads the report. */
  reportUrl: (id: string) =>
    api.api["contact-imports"][":importId"].report.$path({ ...importParam(id), query: { redirect: "true" } }),
};
