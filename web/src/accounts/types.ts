import type { InferResponseType } from "hono/client";
import { type AuditType, auditTypes } from "../../../core/audit/audit.types";
import type { api } from "../api";

/** The accounts contract's shapes, inferred from `AppType`: nothing here is written by hand. */

type Users = typeof api.api.users;

/** What `GET /api/auth/session` answers. */
export type SessionInfo = InferResponseType<typeof api.api.auth.session.$get, 200>;
export type Me = SessionInfo["user"];

export type UserSummary = InferResponseType<Users["$get"], 200>["items"][number];
export type Role = UserSummary["role"];
export type UserStatus = UserSummary["status"];
export const roles = ["admin", "manager", "user"] as const satisfies readonly Role[];

export type Invitation = InferResponseType<typeof api.api.invitations.$get, 200>["items"][number];
export type Channel = Invitation["channel"];
export type InvitationStatus = Invitation["status"];

export type PublicInvitation = InferResponseType<(typeof api.api.public.invitations)[":token"]["$get"], 200>;

export type Agency = InferResponseType<typeof api.api.agencies.$get, 200>["items"][number];

export type Company = InferResponseType<typeof api.api.company.$get, 200>;
export type Language = Company["language"];

export type AuditEntry = InferResponseType<typeof api.api.audit.$get, 200>["items"][number];
/** Every audit event type, from the module the API records them with (core/audit/audit.types.ts). */
export { type AuditType, auditTypes };

export type PresignedPost = { url: string; fields: Record<string, string> };

export type ImportCheck = InferResponseType<
  (typeof api.api.users.import)[":uploadId"]["check"]["$post"],
  200
>;
type ImportCommit = (typeof api.api.users.import)[":uploadId"]["commit"]["$post"];
export type ImportResult = InferResponseType<ImportCommit, 200>;
export type ImportInvite = Parameters<ImportCommit>[0]["json"]["invite"];
