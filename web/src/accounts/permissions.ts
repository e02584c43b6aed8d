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
};

/** Roles a person with `role` may give when creating, inviting or importing. */
export function grantableRoles(role: Role): Role[] {
  return role === "admin" ? ["admin", "manager", "user"] : ["user"];
}
