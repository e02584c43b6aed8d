import { type Actor, asUser, type Role } from "./actor";
import { VisibleError } from "./error";

/**
 * The permission matrix (README, "Roles"), as code. Admins act on the whole company; Managers on plain
 * Users who share one of their agencies; Users only on themselves.
 */
type UserActor = Extract<Actor, { type: "user" }>;
type Subject = { role: Role; agencyIds: readonly string[] };

const shares = (mine: readonly string[], theirs: readonly string[]) => theirs.some((id) => mine.includes(id));
const within = (mine: readonly string[], theirs: readonly string[]) =>
  theirs.every((id) => mine.includes(id));

export function canSeeUser(actor: UserActor, subject: Subject) {
  if (actor.role === "admin") return true;
  if (actor.role === "manager") return shares(actor.agencyIds, subject.agencyIds);
  return false;
}

/** Creating, inviting or importing someone with this role into these agencies. */
export function canAddUser(actor: UserActor, subject: Subject) {
  if (actor.role === "admin") return true;
  return actor.role === "manager" && subject.role === "user" && within(actor.agencyIds, subject.agencyIds);
}

/** Editing, deactivating or reactivating an existing user (and what they become). */
export function canManageUser(actor: UserActor, subject: Subject, after: Subject = subject) {
  if (actor.role === "admin") return true;
  return (
    actor.role === "manager" &&
    subject.role === "user" &&
    after.role === "user" &&
    shares(actor.agencyIds, subject.agencyIds) &&
    within(actor.agencyIds, after.agencyIds)
  );
}

export function canSeeAgency(actor: UserActor, agencyId: string) {
  return actor.role === "admin" || actor.agencyIds.includes(agencyId);
}

/**
 * Contacts: Admins see the company's, others those sharing one of their agencies; workers (system) act for
 * the company. Every path that resolves a contact (by id, number or email) asks this, as GET /contacts/{id}.
 */
export function canSeeContact(actor: Actor, contact: { agencyIds?: Iterable<string> }) {
  if (actor.type === "system") return true;
  const user = asUser(actor);
  if (!user) return false;
  return user.role === "admin" || shares(user.agencyIds, [...(contact.agencyIds ?? [])]);
}

export function forbidden(message = "You are not allowed to do this"): never {
  throw new VisibleError("auth.forbidden", message, 403);
}
