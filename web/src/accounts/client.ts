import type { InferRequestType } from "hono/client";
import { api, filled, unwrap } from "../api";
import type { AuditType, PresignedPost, Role, UserStatus } from "./types";

/** One function per route of the accounts contract, through the typed `hc` client; errors arrive as `ApiError` (see `api.ts`). */

const fresh = { init: { cache: "no-store" as const } };

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
export type NewUser = InferRequestType<typeof api.api.users.$post>["json"];
export type UserChanges = InferRequestType<(typeof api.api.users)[":userId"]["$patch"]>["json"];
type ImportCommit = InferRequestType<(typeof api.api.users.import)[":uploadId"]["commit"]["$post"]>["json"];

const user = (userId: string) => ({ param: { userId } });
const upload = (uploadId: string) => ({ param: { uploadId } });

export const users = {
  list: (filters: UserFilters = {}) => unwrap(api.api.users.$get({ query: filled(filters) }, fresh)),
  create: (json: NewUser) => unwrap(api.api.users.$post({ json })),
  update: (userId: string, json: UserChanges) =>
    unwrap(api.api.users[":userId"].$patch({ ...user(userId), json })),
  deactivate: (userId: string) => unwrap(api.api.users[":userId"].deactivate.$post(user(userId))),
  reactivate: (userId: string) => unwrap(api.api.users[":userId"].reactivate.$post(user(userId))),
  /** The workbook to fill in: a plain link. */
  importTemplateUrl: api.api.users.import.template.$path(),
  importUpload: (json: { fileName: string; size: number }) =>
    unwrap(api.api.users.import.uploads.$post({ json })),
  importCheck: (uploadId: string) => unwrap(api.api.users.import[":uploadId"].check.$post(upload(uploadId))),
  importCommit: (uploadId: string, json: ImportCommit) =>
    unwrap(api.api.users.import[":uploadId"].commit.$post({ ...upload(uploadId), json })),
};

export type NewInvitation = InferRequestType<typeof api.api.invitations.$post>["json"];
const invitation = (invitationId: string) => ({ param: { invitationId } });

export const invitations = {
  list: () => unwrap(api.api.invitations.$get(undefined, fresh)),
  create: (json: NewInvitation) => unwrap(api.api.invitations.$post({ json })),
  resend: (invitationId: string) =>
    unwrap(api.api.invitations[":invitationId"].resend.$post(invitation(invitationId))),
  revoke: (invitationId: string) =>
    unwrap(api.api.invitations[":invitationId"].$delete(invitation(invitationId))),
};

export const agencies = {
  list: (includeArchived = false) =>
    unwrap(api.api.agencies.$get({ query: includeArchived ? { includeArchived: "true" } : {} }, fresh)),
  create: (name: string) => unwrap(api.api.agencies.$post({ json: { name } })),
  update: (agencyId: string, json: { name?: string; archived?: boolean }) =>
    unwrap(api.api.agencies[":agencyId"].$patch({ param: { agencyId }, json })),
};

export type CompanyChanges = InferRequestType<typeof api.api.company.$patch>["json"];

export const company = {
  get: () => unwrap(api.api.company.$get(undefined, fresh)),
  update: (json: CompanyChanges) => unwrap(api.api.company.$patch({ json })),
  logoUpload: (json: InferRequestType<typeof api.api.company.logo.$post>["json"]) =>
    unwrap(api.api.company.logo.$post({ json })),
};

export const audit = {
  list: (filters: { type?: AuditType; from?: string; to?: string; cursor?: string }) =>
    unwrap(api.api.audit.$get({ query: filled(filters) }, fresh)),
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
