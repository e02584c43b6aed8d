import type { Role } from "./types";

/** The contract's permission matrix, for what the console offers; the API enforces it regardless. */
export const can = {
  seeUsers: (role: Role) => role === "admin" || role === "manager",
  manageUsers: (role: Role) => role === "admin" || role === "manager",
  changeRoles: (role: Role) => role === "admin",
  seeAgencies: (role: Role) => role === "admin" || role === "manager",
  manageAgencies: (role: Role) => role === "admin",
  manageCompany: (role: Role) => role === "admin",
  seeAudit: (role: Role) => role === "admin",
  /** « Consommation »: usage and the SMS cap. */
  seeUsage: (role: Role) => role === "admin",
  /** « Intégrations »: API keys and webhooks. */
  manageIntegrations: (role: Role) => role === "admin",
  useVault: (role: Role) => role === "admin" || role === "manager",
  manageDocumentTypes: (role: Role) => role === "admin",
  /** « Relance clients »: every signed-in staff role schedules and follows reminders. */
  useReminders: (_role: Role) => true,
  manageReminderScenarios: (role: Role) => role === "admin" || role === "manager",
  /** « Recrutement »: every staff role may be a campaign's manager or evaluator; the API filters. */
  useRecruitment: (_role: Role) => true,
  /** Creating a recruitment campaign: Admins and Managers. */
  manageRecruitment: (role: Role) => role === "admin" || role === "manager",
  /** « Salariés »: announcements, surveys and groups (Admins and Managers); « Coordonnées »: Admins. */
  useStaff: (role: Role) => role === "admin" || role === "manager",
  manageStaffContact: (role: Role) => role === "admin",
};

/** Roles a person with `role` may give when creating, inviting or importing. */
export function grantableRoles(role: Role): Role[] {
  return role === "admin" ? ["admin", "manager", "user"] : ["user"];
}
