import type { InferResponseType } from "hono/client";
import type { api } from "../api";

/**
 * The accounts contract's shapes (`.work/api-accounts.md`). Session and public invitation come from
 * `AppType`; the others are written out because their routers do not yet carry types into `AppType`.
 */

export const roles = ["admin", "manager", "user"] as const;
export type Role = (typeof roles)[number];
export type Language = "fr" | "en";

/** What `GET /api/auth/session` answers, typed from the API itself. */
export type SessionInfo = InferResponseType<typeof api.api.auth.session.$get, 200>;
export type Me = SessionInfo["user"];

export type UserStatus = "active" | "deactivated";

export type UserSummary = {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  mobile?: string;
  role: Role;
  agencyIds: string[];
  status: UserStatus;
  mustChangePassword: boolean;
  lastLoginAt?: string;
  createdAt: string;
};

export type Channel = "email" | "sms";
export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export type Invitation = {
  invitationId: string;
  channel: Channel;
  email?: string;
  mobile?: string;
  firstName?: string;
  lastName?: string;
  role: Role;
  agencyIds: string[];
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
  invitedBy: { userId: string; name: string };
};

export type PublicInvitation = InferResponseType<(typeof api.api.public.invitations)[":token"]["$get"], 200>;

export type Agency = { agencyId: string; name: string; archived: boolean; createdAt: string };

export type Company = {
  companyId: string;
  code: string;
  name: string;
  timezone: string;
  language: Language;
  logoUrl?: string;
  /** Price of one SMS unit in millicents (4 500 = 0,045 €), for cost estimates. */
  smsUnitPriceMillicents?: number;
};

export type AuditEntry = {
  auditId: string;
  at: string;
  type: string;
  actor?: { userId: string; name: string };
  target?: { type: string; id: string; label: string };
  ip?: string;
  details?: Record<string, unknown>;
};

export const auditTypes = [
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "auth.password_reset_requested",
  "auth.password_reset",
  "auth.password_changed",
  "user.created",
  "user.updated",
  "user.role_changed",
  "user.deactivated",
  "user.reactivated",
  "user.imported",
  "invitation.sent",
  "invitation.resent",
  "invitation.revoked",
  "invitation.accepted",
  "agency.created",
  "agency.updated",
  "company.updated",
  "company.delivery_updated",
  "dead_letter.retried",
  "dead_letter.dismissed",
] as const;

export type PresignedPost = { url: string; fields: Record<string, string> };

export type ImportCheck = {
  total: number;
  valid: number;
  errors: { line: number; column?: string; code: string; message: string }[];
  preview: {
    line: number;
    email: string;
    firstName: string;
    lastName: string;
    mobile?: string;
    role: Role;
    agencies: string[];
  }[];
};

export type ImportInvite = "none" | Channel;
export type ImportResult = {
  created: number;
  skipped: number;
  invited: number;
  /** Accounts created without an invitation, each with its temporary password (shown once). */
  temporaryPasswords?: { email: string; password: string }[];
};
