import * as z from "zod";
import { withActor } from "../actor";
import { Audit } from "../audit";
import { Company } from "../company";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { settingsOf } from "../delivery/settings";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Notify } from "../notify";
import { useRequest } from "../request";
import { epochSeconds, hashToken, newToken } from "../token";
import { Password, User } from "../user";
import * as Attempts from "./attempts";
import * as Session from "./session";
import { ResetTokenEntity } from "./session.entity";

export const Me = z.object({
  userId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  mobile: z.string().optional(),
  role: User.Role,
  agencyIds: z.array(z.string()),
  mustChangePassword: z.boolean(),
  language: z.enum(["fr", "en"]),
  forwardReplies: z.boolean(),
  /** Whether the company lets this role send « Urgent » (delivery settings). */
  canSendUrgent: z.boolean(),
  company: z.object({
    companyId: z.string(),
    code: z.string(),
    name: z.string(),
    timezone: z.string(),
    language: z.enum(["fr", "en"]),
  }),
});
export type Me = z.infer<typeof Me>;

export const SessionInfo = z.object({
  user: Me,
  idleTimeoutSeconds: z.number().int(),
  idleExpiresAt: z.string(),
  absoluteExpiresAt: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

const invalidCredentials = () =>
  new VisibleError("auth.invalid_credentials", "Wrong company code, email or password", 401);

// Verifying against a throwaway hash keeps an unknown account as slow as a wrong password.
let decoy: Promise<string> | undefined;
const spendTime = async (password: string) => {
  decoy ??= Password.hash("decoy-password-for-timing");
  await Password.verify(password, await decoy);
};

export const Credentials = z.object({
  companyCode: z.string().trim().toUpperCase().min(1).max(40),
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

/**
 * Checks credentials under per-account and per-IP limits, then opens a session. The attempt is counted
 * before scrypt runs (see attempts.ts), so concurrent guesses cannot outrun the limit.
 */
export const login = fn(Credentials, async (input) => {
  const { companyId, userId, opened } = await signIn(input, "console", (who) =>
    Session.open(who.companyId, who.userId),
  );
  return { session: opened, companyId, userId };
});

/**
 * The one sign-in of every client (the console, the browser extension): credentials checked under the
 * limits, then `open` makes the client's credential (a session, extension tokens), the login recorded.
 */
export async function signIn<T>(
  credentials: z.input<typeof Credentials>,
  client: "console" | "extension",
  open: (who: { companyId: string; userId: string; passwordStamp: string }) => Promise<T>,
) {
  const input = Credentials.parse(credentials);
  const account: [string, number] = [`account:${input.companyCode}:${input.email}`, Attempts.limits.account];
  const ipKey = `ip:${useRequest().ip ?? "unknown"}`;
  const reservation = await Attempts.reserve([account, [ipKey, Attempts.limits.ip]]);
  const company = await Company.fromCode(input.companyCode);
  if (!company) {
    await spendTime(input.password);
    throw invalidCredentials();
  }
  return withActor({ type: "system", companyId: company.companyId, reason: "login" }, async () => {
    const user = await User.credentials(input.email);
    let valid = false;
    if (user?.passwordHash) valid = await Password.verify(input.password, user.passwordHash);
    else await spendTime(input.password);
    if (!user || !valid) {
      await Audit.record("auth.login_failed", { details: { email: input.email } });
      throw invalidCredentials();
    }
    const name = `${user.firstName} ${user.lastName}`;
    if (user.status !== "active") {
      await Audit.record("auth.login_failed", {
        target: { type: "user", id: user.userId, label: name },
        details: { reason: "deactivated" },
      });
      throw new VisibleError("auth.deactivated", "This account has been deactivated", 403);
    }
    try {
      await Attempts.succeeded(account, [ipKey], reservation);
    } catch (error) {
      await Audit.record("auth.login_failed", {
        target: { type: "user", id: user.userId, label: name },
        details: { reason: "rate_limited" },
      });
      throw error;
    }
    const opened = await open({
      companyId: company.companyId,
      userId: user.userId,
      passwordStamp: passwordStamp(user.passwordHash),
    });
    await User.recordLogin(user.userId);
    await Audit.record("auth.login", {
      target: { type: "user", id: user.userId, label: name },
      actorName: name,
      ...(client === "console" ? {} : { details: { client } }),
    });
    return { opened, companyId: company.companyId, userId: user.userId };
  });
}

/** What the console needs about the person behind a session. */
export async function describe(
  who: { companyId: string; userId: string },
  session: { idleExpiresAt: string; absoluteExpiresAt: string },
): Promise<SessionInfo> {
  return withActor({ type: "system", companyId: who.companyId, reason: "session" }, async () => {
    const [user, company, delivery] = await Promise.all([
      User.byId(who.userId),
      Company.current(),
      settingsOf(who.companyId),
    ]);
    if (!user) throw new VisibleError("auth.required", "Please log in", 401);
    return {
      user: {
        userId: user.userId,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        mobile: user.mobile,
        role: user.role,
        agencyIds: [...(user.agencyIds ?? [])].sort(),
        mustChangePassword: user.mustChangePassword,
        language: user.language ?? company.language,
        forwardReplies: user.forwardReplies !== false,
        canSendUrgent: delivery.urgentRoles.includes(user.role),
        company: {
          companyId: company.companyId,
          code: company.code,
          name: company.name,
          timezone: company.timezone,
          language: company.language,
        },
      },
      idleTimeoutSeconds: config("SESSION_IDLE_SECONDS"),
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
    };
  });
}

const resetLifetimeMs = 60 * 60 * 1000;

/** What a reset link is bound to: the password hash of the moment (salted, so every change gives a new one). */
export const passwordStamp = (passwordHash: string | undefined) =>
  hashToken(`password:${passwordHash ?? ""}`);

/** Counts the request per target account and per address; false once either is past its limit. */
async function mayAskReset(input: { companyCode: string; email: string }) {
  try {
    await Attempts.reserve([
      [`forgot:${input.companyCode}:${input.email}`, Attempts.forgotLimits.account],
      [`forgot-ip:${useRequest().ip ?? "unknown"}`, Attempts.forgotLimits.ip],
    ]);
    return true;
  } catch (error) {
    if (error instanceof VisibleError && error.code === "auth.rate_limited") return false;
    throw error;
  }
}

/**
 * Always succeeds from the outside, so nobody can probe which accounts exist; past the limits (a flooded
 * mailbox) it still answers the same, and sends nothing.
 */
export const forgotPassword = fn(Credentials.pick({ companyCode: true, email: true }), async (input) => {
  if (!(await mayAskReset(input))) return;
  const company = await Company.fromCode(input.companyCode);
  if (!company) return;
  await withActor({ type: "system", companyId: company.companyId, reason: "password reset" }, async () => {
    const user = await User.credentials(input.email);
    if (user?.status !== "active") return;
    const token = newToken();
    const validUntil = new Date(Date.now() + resetLifetimeMs);
    await ResetTokenEntity.create({
      tokenHash: hashToken(token),
      companyId: company.companyId,
      userId: user.userId,
      validUntil: validUntil.toISOString(),
      passwordStamp: passwordStamp(user.passwordHash),
      expiresAt: epochSeconds(validUntil) + 86_400,
    }).go();
    const url = `${config("PUBLIC_URL")}/reset-password?token=${token}`;
    const french = company.language === "fr";
    await Notify.email(user.email, {
      subject: french ? "Réinitialisation de votre mot de passe" : "Reset your password",
      paragraphs: french
        ? [
            `Bonjour ${user.firstName},`,
            `Une réinitialisation du mot de passe de votre compte ${company.name} a été demandée. Ce lien est valable une heure et ne sert qu'une fois.`,
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
          ]
        : [
            `Hello ${user.firstName},`,
            `Someone asked to reset the password of your ${company.name} account. This link works once, for one hour.`,
            "If it wasn't you, ignore this message.",
          ],
      link: { label: french ? "Choisir un nouveau mot de passe" : "Choose a new password", url },
    });
    await Audit.record("auth.password_reset_requested", {
      target: { type: "user", id: user.userId, label: `${user.firstName} ${user.lastName}` },
    });
  });
});

/** Uses a reset link once: the conditional write that marks it used is what makes it single-use. */
export const resetPassword = fn(
  z.object({ token: z.string().min(10).max(200), password: z.string().max(200) }),
  async (input) => {
    const tokenHash = hashToken(input.token);
    const found = await ResetTokenEntity.get({ tokenHash }).go();
    const reset = found.data;
    if (!reset) throw new VisibleError("token.invalid", "This link is not valid", 400);
    if (reset.usedAt || reset.validUntil < new Date().toISOString()) {
      throw new VisibleError("token.expired", "This link has expired or was already used", 410);
    }
    await withActor({ type: "system", companyId: reset.companyId, reason: "password reset" }, async () => {
      const user = await User.credentials(await emailOf(reset.userId));
      if (!user) throw new VisibleError("token.invalid", "This link is not valid", 400);
      if (reset.passwordStamp !== passwordStamp(user.passwordHash)) throw superseded();
      User.PasswordPolicy.assertStrong(input.password, user.email);
      try {
        await ResetTokenEntity.patch({ tokenHash })
          .set({ usedAt: new Date().toISOString() })
          .where(({ usedAt }, { notExists }) => notExists(usedAt))
          .go();
      } catch (error) {
        // Only the refused condition means "used meanwhile"; a throttle or an outage is not the user's fault.
        if (!isConditionalFailure(error)) throw error;
        throw new VisibleError("token.expired", "This link has expired or was already used", 410);
      }
      try {
        await User.setPassword(user.userId, input.password, user.email, {
          passwordHash: user.passwordHash ?? null,
        });
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        throw superseded();
      }
      await Session.closeAll(reset.companyId, user.userId);
      await Audit.record("auth.password_reset", {
        target: { type: "user", id: user.userId, label: `${user.firstName} ${user.lastName}` },
      });
    });
  },
);

const superseded = () =>
  new VisibleError(
    "token.superseded",
    "This link is no longer valid: the password was changed since it was sent. Ask for a new link.",
    410,
  );

async function emailOf(userId: string) {
  return (await User.byId(userId))?.email ?? "";
}

/** The signed-in user changes their password; their other sessions end. */
export const changePassword = fn(
  z.object({
    currentPassword: z.string().max(200),
    newPassword: z.string().max(200),
    keepSession: z.string(),
  }),
  async (input) => {
    const me = await User.me();
    // A stolen session must not become a way to guess the password: same limit as logins, counted first.
    const guard: [string, number] = [`password:${me.userId}`, Attempts.limits.account];
    const reservation = await Attempts.reserve([guard]);
    const user = await User.credentials(me.email);
    if (!user?.passwordHash || !(await Password.verify(input.currentPassword, user.passwordHash))) {
      throw new VisibleError("auth.invalid_credentials", "Current password is wrong", 400, {
        fields: [{ path: "currentPassword", message: "Wrong password" }],
      });
    }
    await Attempts.succeeded(guard, [], reservation);
    if (input.currentPassword === input.newPassword) {
      throw new VisibleError("password.unchanged", "Choose a password different from the current one", 400, {
        fields: [{ path: "newPassword", message: "Same as the current password" }],
      });
    }
    await User.setPassword(me.userId, input.newPassword, me.email);
    await Session.closeAll(user.companyId, me.userId, input.keepSession);
    await Audit.record("auth.password_changed", {
      target: { type: "user", id: me.userId, label: `${me.firstName} ${me.lastName}` },
    });
  },
);
