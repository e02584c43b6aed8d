import { ulid } from "ulid";
import * as z from "zod";
import { canAddUser, forbidden } from "../access";
import { useCompanyId, useRole, useUser, withActor } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { Company } from "../company";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Notify } from "../notify";
import { hashToken, newToken } from "../token";
import { User } from "../user";
import { InvitationEntity } from "./invitation.entity";

const lifetimeMs = 7 * 24 * 3600 * 1000;

export const Info = z.object({
  invitationId: z.string(),
  channel: z.enum(["email", "sms"]),
  email: z.string().optional(),
  mobile: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  role: User.Role,
  agencyIds: z.array(z.string()),
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
  expiresAt: z.string(),
  createdAt: z.string(),
  invitedBy: z.object({ userId: z.string(), name: z.string() }),
});
export type Info = z.infer<typeof Info>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof InvitationEntity.get>["go"]>>["data"]>;

const toInfo = (row: Row): Info => ({
  invitationId: row.invitationId,
  channel: row.channel,
  email: row.email,
  mobile: row.mobile,
  firstName: row.firstName,
  lastName: row.lastName,
  role: row.role,
  agencyIds: [...row.agencyIds].sort(),
  status: row.status === "pending" && row.validUntil < new Date().toISOString() ? "expired" : row.status,
  expiresAt: row.validUntil,
  createdAt: row.createdAt,
  invitedBy: { userId: row.invitedByUserId, name: row.invitedByName },
});

const label = (row: { email?: string; mobile?: string }) =>
  [row.email, row.mobile].filter(Boolean).join(" / ");

export const NewInvitation = z
  .object({
    channel: z.enum(["email", "sms"]),
    email: User.Email.optional(),
    mobile: User.Mobile.optional(),
    firstName: z.string().trim().max(80).optional(),
    lastName: z.string().trim().max(80).optional(),
    role: User.Role,
    agencyIds: z.array(z.string()).min(1, "Pick at least one agency").max(50),
  })
  .refine((input) => input.channel !== "sms" || input.mobile, {
    message: "A mobile number is needed to invite by SMS",
    path: ["mobile"],
  })
  .refine((input) => input.channel !== "email" || input.email, {
    message: "An email is needed to invite by email",
    path: ["email"],
  });

/**
 * Invites someone by email or SMS. The email is their future login: given here, or, for an SMS invitation
 * without one, typed by the person when they accept.
 */
export const create = fn(NewInvitation, async (input) => {
  const actor = useUser();
  if (!canAddUser(actor, input)) forbidden("You cannot invite a user with this role or in these agencies");
  await Agency.assertUsable(input.agencyIds);
  if (input.email && (await User.credentials(input.email))) {
    throw new VisibleError("user.email_taken", `A user with email ${input.email} already exists`, 409, {
      fields: [{ path: "email", message: "Already used by another user of this company" }],
    });
  }
  const token = newToken();
  const created = await InvitationEntity.create({
    companyId: useCompanyId(),
    invitationId: ulid(),
    tokenHash: hashToken(token),
    channel: input.channel,
    email: input.email,
    mobile: input.mobile,
    firstName: input.firstName || undefined,
    lastName: input.lastName || undefined,
    role: input.role,
    agencyIds: input.agencyIds,
    validUntil: new Date(Date.now() + lifetimeMs).toISOString(),
    invitedByUserId: actor.userId,
    invitedByName: actor.name,
  }).go();
  await deliver(created.data, token);
  await Audit.record("invitation.sent", {
    target: { type: "invitation", id: created.data.invitationId, label: label(created.data) },
    details: { channel: input.channel, role: input.role },
  });
  return toInfo(created.data);
});

async function deliver(row: Row, token: string) {
  const company = await Company.current();
  const url = `${config("PUBLIC_URL")}/invitation?token=${token}`;
  const french = company.language === "fr";
  if (row.channel === "sms" && row.mobile) {
    await Notify.sms(
      row.mobile,
      french
        ? `${company.name} : ${row.invitedByName} vous invite sur Relais (code entreprise ${company.code}). Créez votre compte : ${url}`
        : `${company.name}: ${row.invitedByName} invites you to Relais (company code ${company.code}). Create your account: ${url}`,
    );
    return;
  }
  if (!row.email) return;
  await Notify.email(row.email, {
    subject: french ? `Invitation à rejoindre ${company.name} sur Relais` : `Join ${company.name} on Relais`,
    paragraphs: french
      ? [
          `Bonjour${row.firstName ? ` ${row.firstName}` : ""},`,
          `${row.invitedByName} vous invite à rejoindre ${company.name} sur Relais. Le lien est valable 7 jours.`,
          `Pour vous connecter ensuite : code entreprise ${company.code}, identifiant ${row.email}.`,
        ]
      : [
          `Hello${row.firstName ? ` ${row.firstName}` : ""},`,
          `${row.invitedByName} invites you to join ${company.name} on Relais. The link is valid for 7 days.`,
          `To sign in afterwards: company code ${company.code}, login ${row.email}.`,
        ],
    link: { label: french ? "Créer mon compte" : "Create my account", url },
  });
}

async function visible(invitationId: string) {
  const actor = useUser();
  const found = await InvitationEntity.get({ companyId: useCompanyId(), invitationId }).go();
  if (!found.data || !canAddUser(actor, { role: found.data.role, agencyIds: [...found.data.agencyIds] })) {
    throw new VisibleError("invitation.not_found", "Invitation not found", 404);
  }
  return found.data;
}

export async function list() {
  const actor = useRole("admin", "manager");
  const result = await InvitationEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  return result.data
    .filter((row) => canAddUser(actor, { role: row.role, agencyIds: [...row.agencyIds] }))
    .map(toInfo)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A new link replaces the old one, which stops working. */
export const resend = fn(z.string(), async (invitationId) => {
  const row = await visible(invitationId);
  if (row.status !== "pending") {
    throw new VisibleError("invitation.not_pending", "Only pending invitations can be resent", 409);
  }
  const token = newToken();
  const updated = await InvitationEntity.patch({ companyId: row.companyId, invitationId })
    .set({ tokenHash: hashToken(token), validUntil: new Date(Date.now() + lifetimeMs).toISOString() })
    .go({ response: "all_new" });
  const next = { ...row, ...updated.data } as Row;
  await deliver(next, token);
  await Audit.record("invitation.resent", {
    target: { type: "invitation", id: invitationId, label: label(row) },
  });
  return toInfo(next);
});

export const revoke = fn(z.string(), async (invitationId) => {
  const row = await visible(invitationId);
  if (row.status === "accepted") {
    throw new VisibleError("invitation.not_pending", "This invitation was already accepted", 409);
  }
  await InvitationEntity.patch({ companyId: row.companyId, invitationId }).set({ status: "revoked" }).go();
  await Audit.record("invitation.revoked", {
    target: { type: "invitation", id: invitationId, label: label(row) },
  });
});

async function byToken(token: string) {
  const found = await InvitationEntity.query.byToken({ tokenHash: hashToken(token) }).go();
  const row = found.data[0];
  if (!row) throw new VisibleError("invitation.not_found", "This invitation link is not valid", 404);
  if (row.status === "accepted")
    throw new VisibleError("invitation.used", "This invitation was already used", 410);
  if (row.status === "revoked")
    throw new VisibleError("invitation.revoked", "This invitation was revoked", 410);
  if (row.validUntil < new Date().toISOString()) {
    throw new VisibleError("invitation.expired", "This invitation has expired", 410);
  }
  return row;
}

/** What the registration page shows before the person signs up. Public: the token is the secret. */
export const describe = fn(z.string().min(10).max(200), async (token) => {
  const row = await byToken(token);
  const company = await withActor({ type: "system", companyId: row.companyId, reason: "invitation" }, () =>
    Company.current(),
  );
  return {
    email: row.email,
    mobile: row.mobile,
    firstName: row.firstName,
    lastName: row.lastName,
    companyName: company.name,
    // Typed at every sign-in: the invitation is where the person learns it.
    companyCode: company.code,
    expiresAt: row.validUntil,
  };
});

export const Registration = z.object({
  /** Only read when the invitation has no email (an SMS one): the login the person chooses. */
  email: User.Email.optional(),
  firstName: z.string().trim().min(1, "Required").max(80),
  lastName: z.string().trim().min(1, "Required").max(80),
  password: z.string().max(200),
  acceptTerms: z.literal(true, { error: "You must accept the terms of use" }),
});

/**
 * Turns an invitation into an account. Marking it accepted is a conditional write, so a link used twice
 * at the same moment creates one account.
 */
export const accept = fn(Registration.extend({ token: z.string().min(10).max(200) }), async (input) => {
  const row = await byToken(input.token);
  const email = row.email ?? input.email;
  if (!email)
    throw new VisibleError("invitation.email_required", "Type the email you will sign in with", 400, {
      fields: [{ path: "email", message: "Required" }],
    });
  return withActor({ type: "system", companyId: row.companyId, reason: "invitation" }, async () => {
    User.PasswordPolicy.assertStrong(input.password, email);
    if (!row.email && (await User.credentials(email)))
      throw new VisibleError("user.email_taken", `A user with email ${email} already exists`, 409, {
        fields: [{ path: "email", message: "Already used by another user of this company" }],
      });
    const key = { companyId: row.companyId, invitationId: row.invitationId };
    try {
      await InvitationEntity.patch(key)
        .set({ status: "accepted" })
        .where(
          ({ status, tokenHash }, { eq }) => `${eq(status, "pending")} AND ${eq(tokenHash, row.tokenHash)}`,
        )
        .go();
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      throw new VisibleError("invitation.used", "This invitation was already used", 410);
    }
    try {
      const user = await User.insert({
        email,
        firstName: input.firstName,
        lastName: input.lastName,
        mobile: row.mobile,
        role: row.role,
        agencyIds: [...row.agencyIds],
        password: input.password,
        mustChangePassword: false,
      });
      await InvitationEntity.patch(key).set({ acceptedUserId: user.userId }).go();
      // Accepting signs the person in (the route opens their session): it is their first login.
      await User.recordLogin(user.userId);
      await Audit.record("invitation.accepted", {
        target: {
          type: "user",
          id: user.userId,
          label: `${user.firstName} ${user.lastName} <${user.email}>`,
        },
        actorName: `${user.firstName} ${user.lastName}`,
      });
      return { companyId: row.companyId, userId: user.userId };
    } catch (error) {
      await InvitationEntity.patch(key).set({ status: "pending" }).go();
      throw error;
    }
  });
});
