import { api, query, request, unwrap } from "../api";
import type {
  Agency,
  AuditEntry,
  Channel,
  Company,
  ImportCheck,
  ImportInvite,
  ImportResult,
  Invitation,
  Language,
  PresignedPost,
  Role,
  UserStatus,
  UserSummary,
} from "./types";

/**
 * One function per route of the accounts contract; errors arrive as `ApiError` (see `api.ts`). Routes
 * whose types `AppType` carries go through the typed `hc` client; the others through `request`.
 */

export const auth = {
  login: (json: { companyCode: string; email: string; password: string }) =>
    unwrap(api.api.auth.login.$post({ json })),
  logout: () => unwrap(api.api.auth.logout.$post()),
  session: () => unwrap(api.api.auth.session.$get(undefined, { init: { cache: "no-store" } })),
  forgot: (json: { companyCode: string; email: string }) =>
    unwrap(api.api.auth.password.forgot.$post({ json })),
  reset: (json: { token: string; password: string }) => unwrap(api.api.auth.password.reset.$post({ json })),
  change: (json: { currentPassword: string; newPassword: string }) =>
    unwrap(api.api.auth.password.change.$post({ json })),
  preferences: (json: { language?: "fr" | "en"; forwardReplies?: boolean }) =>
    unwrap(api.api.auth.preferences.$patch({ json })),
};

export const publicInvitations = {
  get: (token: string) => unwrap(api.api.public.invitations[":token"].$get({ param: { token } })),
  accept: (
    token: string,
    json: { firstName: string; lastName: string; password: string; acceptTerms: true },
  ) => unwrap(api.api.public.invitations[":token"].accept.$post({ param: { token }, json })),
};

export type UserFilters = { search?: string; agencyId?: string; role?: Role; status?: UserStatus };
export type NewUser = {
  email: string;
  firstName: string;
  lastName: string;
  mobile?: string;
  role: Role;
  agencyIds: string[];
};
export type UserChanges = Partial<Pick<NewUser, "firstName" | "lastName" | "role" | "agencyIds">> & {
  /** `null` removes the mobile. */
  mobile?: string | null;
};

const id = (value: string) => encodeURIComponent(value);

export const users = {
  list: (filters: UserFilters = {}) =>
    request<{ items: UserSummary[] }>("GET", `/api/users${query(filters)}`),
  create: (input: NewUser) =>
    request<{ user: UserSummary; temporaryPassword: string }>("POST", "/api/users", input),
  update: (userId: string, changes: UserChanges) =>
    request<{ user: UserSummary }>("PATCH", `/api/users/${id(userId)}`, changes),
  deactivate: (userId: string) =>
    request<{ user: UserSummary }>("POST", `/api/users/${id(userId)}/deactivate`),
  reactivate: (userId: string) =>
    request<{ user: UserSummary }>("POST", `/api/users/${id(userId)}/reactivate`),
  importTemplateUrl: "/api/users/import/template",
  importUpload: (input: { fileName: string; size: number }) =>
    request<PresignedPost & { uploadId: string }>("POST", "/api/users/import/uploads", input),
  importCheck: (uploadId: string) => request<ImportCheck>("POST", `/api/users/import/${id(uploadId)}/check`),
  importCommit: (uploadId: string, input: { onlyValid: boolean; invite: ImportInvite }) =>
    request<ImportResult>("POST", `/api/users/import/${id(uploadId)}/commit`, input),
};

export type NewInvitation = {
  channel: Channel;
  email?: string;
  mobile?: string;
  firstName?: string;
  lastName?: string;
  role: Role;
  agencyIds: string[];
};

export const invitations = {
  list: () => request<{ items: Invitation[] }>("GET", "/api/invitations"),
  create: (input: NewInvitation) => request<{ invitation: Invitation }>("POST", "/api/invitations", input),
  resend: (invitationId: string) =>
    request<{ invitation: Invitation }>("POST", `/api/invitations/${id(invitationId)}/resend`),
  revoke: (invitationId: string) => request<undefined>("DELETE", `/api/invitations/${id(invitationId)}`),
};

export const agencies = {
  list: (includeArchived = false) =>
    request<{ items: Agency[] }>("GET", `/api/agencies${query({ includeArchived })}`),
  create: (name: string) => request<{ agency: Agency }>("POST", "/api/agencies", { name }),
  update: (agencyId: string, changes: { name?: string; archived?: boolean }) =>
    request<{ agency: Agency }>("PATCH", `/api/agencies/${id(agencyId)}`, changes),
};

export type CompanyChanges = {
  name?: string;
  code?: string;
  timezone?: string;
  language?: Language;
  logoKey?: string;
  smsUnitPriceMillicents?: number;
};

export const company = {
  get: () => request<Company>("GET", "/api/company"),
  update: (changes: CompanyChanges) => request<Company>("PATCH", "/api/company", changes),
  logoUpload: (input: { contentType: string; size: number }) =>
    request<PresignedPost & { key: string }>("POST", "/api/company/logo", input),
};

export const audit = {
  list: (filters: { type?: string; cursor?: string }) =>
    request<{ items: AuditEntry[]; cursor?: string }>("GET", `/api/audit${query(filters)}`),
};

/**
 * Sends a file to an S3 presigned POST: every field first, then `file`. XHR rather than fetch because
 * only XHR reports upload progress.
 */
export function uploadToPresignedPost(
  target: PresignedPost,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", target.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new Error(`upload.http_${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error("upload.network"));
    xhr.onabort = () => reject(new DOMException("Upload aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
