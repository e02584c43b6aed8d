import { ulid } from "ulid";
import * as z from "zod";
import { canAddUser, canManageUser, canSeeUser, forbidden } from "../access";
import { roles, useCompanyId, useRole, useUser } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import * as Session from "../auth/session";
import { isConditionalFailure, transact } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Phone } from "../phone";
import * as Password from "./password";
import * as Policy from "./password-policy";

export * as PasswordPolicy from "./password-policy";

import { fold } from "../text";
import { UserEmailEntity, UserEntity, UserService } from "./user.entity";

export const Role = z.enum(roles);
export const Email = z.string().trim().toLowerCase().pipe(z.email("Invalid email address").max(254));
export const Mobile = z
  .string()
  .trim()
  .transform((value, context) => {
    const e164 = Phone.mobile(value);
    if (!e164) context.addIssue({ code: "custom", message: "Not a valid mobile number" });
    return e164 ?? value;
  });
const PersonName = z.string().trim().min(1, "Required").max(80);

export const Summary = z.object({
  userId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  mobile: z.string().optional(),
  role: Role,
  agencyIds: z.array(z.string()),
  status: z.enum(["active", "deactivated"]),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().optional(),
  createdAt: z.string(),
});
export type Summary = z.infer<typeof Summary>;

type Row = NonNullable<Awaited<ReturnType<typeof getRow>>>;

async function getRow(userId: string) {
  const result = await UserEntity.get({ companyId: useCompanyId(), userId }).go();
  return result.data;
}

export const toSummary = (row: Row): Summary => ({
  userId: row.userId,
  email: row.email,
  firstName: row.firstName,
  lastName: row.lastName,
  mobile: row.mobile,
  role: row.role,
  agencyIds: [...(row.agencyIds ?? [])].sort(),
  status: row.status,
  mustChangePassword: row.mustChangePassword,
  lastLoginAt: row.lastLoginAt,
  createdAt: row.createdAt,
});

const label = (user: { firstName: string; lastName: string; email: string }) =>
  `${user.firstName} ${user.lastName} <${user.email}>`;

export const NewUser = z.object({
  email: Email,
  firstName: PersonName,
  lastName: PersonName,
  mobile: Mobile.optional(),
  role: Role,
  agencyIds: z.array(z.string()).min(1, "Pick at least one agency").max(50),
});

/**
 * Writes the user and claims the email in one transaction: a second user with the same email in the
 * company is refused, whatever the timing.
 */
export async function insert(
  input: z.output<typeof NewUser> & { password: string; mustChangePassword: boolean },
) {
  const companyId = useCompanyId();
  await Agency.assertUsable(input.agencyIds);
  const userId = ulid();
  const passwordHash = await Password.hash(input.password);
  try {
    await transact(
      UserService.transaction
        .write(({ user, userEmail }) => [
          userEmail.create({ companyId, email: input.email, userId }).commit(),
          user
            .create({
              companyId,
              userId,
              email: input.email,
              firstName: input.firstName,
              lastName: input.lastName,
              mobile: input.mobile,
              role: input.role,
              agencyIds: input.agencyIds,
              passwordHash,
              mustChangePassword: input.mustChangePassword,
            })
            .commit(),
        ])
        .go(),
    );
  } catch (error) {
    if (isConditionalFailure(error)) {
      throw new VisibleError("user.email_taken", `A user with email ${input.email} already exists`, 409, {
        fields: [{ path: "email", message: "Already used by another user of this company" }],
      });
    }
    throw error;
  }
  const row = await getRow(userId);
  return toSummary(row!);
}

/** An Admin or Manager adds someone with a temporary password they must change at first login. */
export const create = fn(NewUser, async (input) => {
  const actor = useUser();
  if (!canAddUser(actor, input)) forbidden("You cannot add a user with this role or in these agencies");
  const temporaryPassword = Policy.temporary();
  const user = await insert({ ...input, password: temporaryPassword, mustChangePassword: true });
  await Audit.record("user.created", {
    target: { type: "user", id: user.userId, label: label(user) },
    details: { role: user.role, agencyIds: user.agencyIds },
  });
  return { user, temporaryPassword };
});

/** Users the acting user may see, filtered; a company has hundreds of users, not millions. */
export const list = fn(
  z.object({
    search: z.string().trim().max(100).optional(),
    agencyId: z.string().optional(),
    role: Role.optional(),
    status: z.enum(["active", "deactivated"]).optional(),
  }),
  async (filters) => {
    const actor = useRole("admin", "manager");
    const result = await UserEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
    const needle = filters.search ? fold(filters.search) : undefined;
    return result.data
      .map(toSummary)
      .filter((user) => canSeeUser(actor, user))
      .filter((user) => !filters.agencyId || user.agencyIds.includes(filters.agencyId))
      .filter((user) => !filters.role || user.role === filters.role)
      .filter((user) => !filters.status || user.status === filters.status)
      .filter((user) => !needle || fold(`${user.firstName} ${user.lastName} ${user.email}`).includes(needle))
      .sort(
        (a, b) => a.lastName.localeCompare(b.lastName, "fr") || a.firstName.localeCompare(b.firstName, "fr"),
      );
  },
);

/** A user the acting user may see; anyone else, in this company or another, is "not found". */
export const fromId = fn(z.string(), async (userId) => {
  const row = await getRow(userId);
  if (!row || !canSeeUser(useUser(), toSummary(row))) {
    throw new VisibleError("user.not_found", "User not found", 404);
  }
  return toSummary(row);
});

/** The acting user themself, whatever their role. */
export async function me() {
  const actor = useUser();
  const row = await getRow(actor.userId);
  if (!row) throw new VisibleError("auth.required", "Please log in", 401);
  return toSummary(row);
}

export const update = fn(
  z.object({
    userId: z.string(),
    firstName: PersonName.optional(),
    lastName: PersonName.optional(),
    mobile: Mobile.nullable().optional(),
    role: Role.optional(),
    agencyIds: z.array(z.string()).min(1).max(50).optional(),
  }),
  async ({ userId, ...patch }) => {
    const actor = useUser();
    const before = await fromId(userId);
    const after = { role: patch.role ?? before.role, agencyIds: patch.agencyIds ?? before.agencyIds };
    if (!canManageUser(actor, before, after)) forbidden("You cannot change this user that way");
    if (patch.agencyIds) await Agency.assertUsable(patch.agencyIds);
    if (before.role === "admin" && after.role !== "admin") await assertAnotherAdmin(userId);
    const changes = {
      firstName: patch.firstName,
      lastName: patch.lastName,
      role: patch.role,
      agencyIds: patch.agencyIds,
      mobile: patch.mobile ?? undefined,
    };
    const operation = UserEntity.patch({ companyId: useCompanyId(), userId }).set(
      Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    );
    await (patch.mobile === null ? operation.remove(["mobile"]) : operation).go();
    const user = await fromId(userId);
    await Audit.record(patch.role && patch.role !== before.role ? "user.role_changed" : "user.updated", {
      target: { type: "user", id: userId, label: label(user) },
      details: { before: pick(before, patch), after: pick(user, patch) },
    });
    return user;
  },
);

const pick = (user: Summary, keys: object) =>
  Object.fromEntries(Object.keys(keys).map((key) => [key, user[key as keyof Summary]]));

/** Admins cannot lock the company out: one active Admin must remain. */
async function assertAnotherAdmin(leaving: string) {
  const result = await UserEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  const others = result.data.filter(
    (user) => user.role === "admin" && user.status === "active" && user.userId !== leaving,
  );
  if (others.length === 0) {
    throw new VisibleError("user.last_admin", "The company must keep at least one active Admin", 409);
  }
}

export const deactivate = fn(z.string(), async (userId) => {
  const actor = useUser();
  if (userId === actor.userId) throw new VisibleError("user.self", "You cannot deactivate yourself", 409);
  const before = await fromId(userId);
  if (!canManageUser(actor, before)) forbidden("You cannot deactivate this user");
  if (before.role === "admin") await assertAnotherAdmin(userId);
  await UserEntity.patch({ companyId: useCompanyId(), userId }).set({ status: "deactivated" }).go();
  await Session.closeAll(useCompanyId(), userId);
  await Audit.record("user.deactivated", { target: { type: "user", id: userId, label: label(before) } });
  return { ...before, status: "deactivated" as const };
});

export const reactivate = fn(z.string(), async (userId) => {
  const actor = useUser();
  const before = await fromId(userId);
  if (!canManageUser(actor, before)) forbidden("You cannot reactivate this user");
  await UserEntity.patch({ companyId: useCompanyId(), userId }).set({ status: "active" }).go();
  await Audit.record("user.reactivated", { target: { type: "user", id: userId, label: label(before) } });
  return { ...before, status: "active" as const };
});

/** My own settings: console language and whether replies to my campaigns reach my mailbox. */
export const setPreferences = fn(
  z.object({ language: z.enum(["fr", "en"]).optional(), forwardReplies: z.boolean().optional() }),
  async (input) => {
    const actor = useUser();
    if (input.language === undefined && input.forwardReplies === undefined) return;
    await UserEntity.patch({ companyId: useCompanyId(), userId: actor.userId })
      .set({ language: input.language, forwardReplies: input.forwardReplies })
      .go({ response: "none" });
  },
);

/** Internal lookups (reset links, invitations) that have an id but no acting user yet. */
export async function byId(userId: string) {
  return getRow(userId);
}

/** For login: the user with this email in the acting company, with their password hash. */
export async function credentials(email: string) {
  const claimed = await UserEmailEntity.get({
    companyId: useCompanyId(),
    email: email.trim().toLowerCase(),
  }).go();
  if (!claimed.data) return undefined;
  return getRow(claimed.data.userId);
}

/**
 * `replacing`: the hash the caller saw (null: none yet); the write is refused (conditional failure) if the
 * password changed meanwhile, so two reset links racing cannot both win.
 */
export async function setPassword(
  userId: string,
  password: string,
  email: string,
  replacing?: { passwordHash: string | null },
) {
  Policy.assertStrong(password, email);
  const update = UserEntity.patch({ companyId: useCompanyId(), userId }).set({
    passwordHash: await Password.hash(password),
    mustChangePassword: false,
  });
  if (!replacing) return void (await update.go());
  const seen = replacing.passwordHash;
  await update
    .where(({ passwordHash }, { eq, notExists }) => (seen ? eq(passwordHash, seen) : notExists(passwordHash)))
    .go();
}

export async function recordLogin(userId: string) {
  await UserEntity.patch({ companyId: useCompanyId(), userId })
    .set({ lastLoginAt: new Date().toISOString() })
    .go();
}
