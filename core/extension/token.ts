import { ulid } from "ulid";
import { type Actor, withActor } from "../actor";
import { passwordStamp } from "../auth/auth";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { epochSeconds, hashToken, newToken } from "../token";
import { UserEntity } from "../user/user.entity";
import { ExtensionFamilyEntity, ExtensionTokenEntity } from "./token.entity";

/** An access token lives 15 minutes; the refresh token as long as the console's idle timeout (30 min). */
export const accessSeconds = 15 * 60;
const refreshSeconds = () => config("SESSION_IDLE_SECONDS");
const prefixes = { access: "rxa_", refresh: "rxr_" } as const;
const Shape = /^rx[ar]_[A-Za-z0-9_-]{43}$/;

/** Whether a bearer is an extension token (else an API key or nothing): the prefix says it. */
export const isExtensionToken = (bearer: string) => bearer.startsWith("rxa_") || bearer.startsWith("rxr_");

export type Issued = {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
};

const plus = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000);
const signedOut = () => new VisibleError("auth.required", "Please sign in again", 401);

type Family = { companyId: string; familyId: string; absoluteExpiresAt: string };

async function issue(family: Family, now: Date): Promise<Issued> {
  const access = `${prefixes.access}${newToken()}`;
  const refresh = `${prefixes.refresh}${newToken()}`;
  const accessAt = plus(now, accessSeconds);
  const idle = plus(now, refreshSeconds());
  const refreshAt = idle.toISOString() < family.absoluteExpiresAt ? idle : new Date(family.absoluteExpiresAt);
  const common = { companyId: family.companyId, familyId: family.familyId };
  await ExtensionTokenEntity.put([
    {
      ...common,
      tokenHash: hashToken(access),
      kind: "access",
      expiresAtIso: accessAt.toISOString(),
      expiresAt: epochSeconds(accessAt),
    },
    {
      ...common,
      tokenHash: hashToken(refresh),
      kind: "refresh",
      expiresAtIso: refreshAt.toISOString(),
      // Kept until the family's end once spent, so a second use is recognised as theft.
      expiresAt: epochSeconds(new Date(family.absoluteExpiresAt)),
    },
  ]).go();
  return {
    accessToken: access,
    accessExpiresAt: accessAt.toISOString(),
    refreshToken: refresh,
    refreshExpiresAt: refreshAt.toISOString(),
  };
}

/** A new family for a user who just signed in (Auth.signIn checked the credentials and the limits). */
export async function open(
  who: { companyId: string; userId: string; passwordStamp: string },
  now = new Date(),
): Promise<Issued> {
  const absolute = plus(now, config("SESSION_MAX_SECONDS"));
  const family = {
    companyId: who.companyId,
    familyId: ulid(),
    absoluteExpiresAt: absolute.toISOString(),
  };
  await ExtensionFamilyEntity.create({
    ...family,
    userId: who.userId,
    passwordStamp: who.passwordStamp,
    createdAt: now.toISOString(),
    expiresAt: epochSeconds(absolute),
  }).go();
  return issue(family, now);
}

async function endFamily(companyId: string, familyId: string) {
  await ExtensionFamilyEntity.delete({ companyId, familyId }).go();
}

const tokenRow = async (token: string) =>
  Shape.test(token)
    ? (await ExtensionTokenEntity.get({ tokenHash: hashToken(token) }).go({ consistent: true })).data
    : null;

/**
 * The family and its user as they are now, read as the session middleware reads a user: a deactivated
 * user, a changed or reset password (the stamp differs) or an ended family refuses every token.
 */
async function holder(companyId: string, familyId: string, now: Date) {
  const { data: family } = await ExtensionFamilyEntity.get({ companyId, familyId }).go({ consistent: true });
  if (!family || family.absoluteExpiresAt <= now.toISOString()) throw signedOut();
  const user = await withActor({ type: "system", companyId, reason: "extension" }, async () => {
    const { data } = await UserEntity.get({ companyId, userId: family.userId }).go({ consistent: true });
    return data;
  });
  if (user?.status !== "active" || passwordStamp(user.passwordHash) !== family.passwordStamp) {
    await endFamily(companyId, familyId);
    throw signedOut();
  }
  return { family, user };
}

export type Authenticated = {
  actor: Extract<Actor, { type: "user" }>;
  mustChangePassword: boolean;
};

/** The user behind an access token: they act as themselves, with their role and agencies. */
export async function authenticate(token: string, now = new Date()): Promise<Authenticated> {
  const row = await tokenRow(token);
  if (row?.kind !== "access") throw signedOut();
  if (row.expiresAtIso <= now.toISOString())
    throw new VisibleError("auth.session_expired", "Token expired: refresh it", 401);
  const { user } = await holder(row.companyId, row.familyId, now);
  return {
    actor: {
      type: "user",
      companyId: row.companyId,
      userId: user.userId,
      role: user.role,
      agencyIds: [...(user.agencyIds ?? [])],
      name: `${user.firstName} ${user.lastName}`,
    },
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * Spends a refresh token for a new pair. A refresh token used a second time was copied: the whole
 * family ends, so neither the thief nor the extension keeps a valid token.
 */
export async function refresh(
  token: string,
  now = new Date(),
): Promise<Issued & { companyId: string; userId: string }> {
  const row = await tokenRow(token);
  if (row?.kind !== "refresh") throw signedOut();
  const reused = async () => {
    await endFamily(row.companyId, row.familyId);
    return new VisibleError(
      "auth.token_reused",
      "This sign-in was used elsewhere: please sign in again",
      401,
    );
  };
  if (row.usedAt) throw await reused();
  if (row.expiresAtIso <= now.toISOString())
    throw new VisibleError("auth.session_expired", "Your session has expired, please sign in again", 401);
  try {
    await ExtensionTokenEntity.patch({ tokenHash: row.tokenHash })
      .set({ usedAt: now.toISOString() })
      .where((attributes, { notExists }) => notExists(attributes.usedAt))
      .go();
  } catch (error) {
    if (isConditionalFailure(error)) throw await reused();
    throw error;
  }
  const { family } = await holder(row.companyId, row.familyId, now);
  return { ...(await issue(family, now)), companyId: family.companyId, userId: family.userId };
}

/** Ends the family of a refresh or access token; an unknown token is already signed out. */
export async function close(token: string) {
  const row = await tokenRow(token);
  if (row) await endFamily(row.companyId, row.familyId);
}
