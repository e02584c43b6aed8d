import type { InferResponseType } from "hono/client";
import { ApiError, api, apiFetch, networkErrorCode, query, request, toApiError, unwrap } from "../api";

/**
 * Contacts and contact imports. Contacts go through the typed `hc` client (their router carries its
 * types into `AppType`); imports through `request`, with their shapes written out below.
 */

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
  exportUrl: (id: string) => `/api/contacts/${encodeURIComponent(id)}/export`,
};

/**
 * Downloads what a GET answers (a GDPR export, a list's workbook) as a file, through `apiFetch` so the
 * session sees the activity and errors arrive as `ApiError` rather than as a broken download.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await apiFetch(path, { cache: "no-store", headers: { accept: "*/*" } });
  } catch {
    throw new ApiError(0, networkErrorCode, "Network error");
  }
  if (!response.ok) throw await toApiError(response);
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = name;
  anchor.style.display = "none";
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/* ---------- Contact imports ---------- */

export const importFields = [
  "civility",
  "firstName",
  "lastName",
  "email",
  "mobile",
  "type",
  "skills",
  "description",
  "position",
  "preferredChannel",
] as const;
export type ImportField = (typeof importFields)[number];

export type ImportStatus = "uploading" | "checked" | "queued" | "running" | "done" | "failed";

export type ImportHeaders = {
  matched: { key: string; header: string }[];
  unknown: string[];
  missing: string[];
};

/** Header → a contact field, `custom`, `custom:<name>`, `list:<field>`, or `null` to ignore the column. */
export type ImportMapping = Record<string, string | null>;

export type ImportProgress = {
  total: number;
  rowsDone: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  percent: number;
};

export type ContactImport = {
  importId: string;
  fileName: string;
  size: number;
  status: ImportStatus;
  createdAt: string;
  createdBy: { userId: string; name: string };
  agencyIds: string[];
  listId?: string;
  onlyValid?: boolean;
  check?: {
    total: number;
    valid: number;
    errors: number;
    checkedAt: string;
    mapping?: ImportMapping;
    headers?: ImportHeaders;
  };
  progress: ImportProgress;
  startedAt?: string;
  finishedAt?: string;
  failure?: { code: string; message: string };
  hasReport: boolean;
  stalled: boolean;
};

export type ImportLineError = { line: number; column: string; code: string; message: string; value?: string };

export type ImportPreviewRow = {
  line: number;
  civility?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  smsCapable: boolean;
  type: string;
  position?: string;
};

export type ImportCheck = {
  import: ContactImport;
  total: number;
  valid: number;
  errorCount: number;
  errors: ImportLineError[];
  truncated: boolean;
  headers: ImportHeaders;
  preview: ImportPreviewRow[];
};

export type ImportUpload = {
  import: ContactImport;
  upload: { url: string; fields: Record<string, string>; maxBytes: number; expiresAt: string };
};

const importPath = (id: string) => `/api/contact-imports/${encodeURIComponent(id)}`;

export const contactImports = {
  recent: (limit = 10) =>
    request<{ items: ContactImport[] }>("GET", `/api/contact-imports${query({ limit: String(limit) })}`),
  create: (input: { fileName: string; size: number }) =>
    request<ImportUpload>("POST", "/api/contact-imports", input),
  get: (id: string) => request<{ import: ContactImport }>("GET", importPath(id)),
  check: (id: string, mapping?: ImportMapping) =>
    request<ImportCheck>("POST", `${importPath(id)}/check`, mapping ? { mapping } : {}),
  start: (id: string, input: { agencyIds: string[]; listId?: string; onlyValid?: boolean }) =>
    request<{ import: ContactImport }>("POST", `${importPath(id)}/start`, input),
  /** Same origin, answered by a redirect to a short-lived S3 link: a plain link downloads the report. */
  reportUrl: (id: string) => `${importPath(id)}/report?redirect=true`,
};
