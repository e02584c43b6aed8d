import { assertOpen } from "../company/state";
import { config } from "../config";
import { VisibleError } from "../error";
import { epochSeconds, hashToken, newToken } from "../token";
import { SessionEntity } from "./session.entity";

export type Opened = { token: string; csrfToken: string; idleExpiresAt: string; absoluteExpiresAt: string };
export type Resolved = {
  companyId: string;
  userId: string;
  csrfToken: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
};

const idleSeconds = () => config("SESSION_IDLE_SECONDS");
const plus = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

export async function open(companyId: string, userId: string, now = new Date()): Promise<Opened> {
  await assertOpen(companyId);
  const token = newToken();
  const csrfToken = newToken();
  const absolute = plus(now, config("SESSION_MAX_SECONDS"));
  const idle = plus(now, idleSeconds());
  await SessionEntity.create({
    tokenHash: hashToken(token),
    companyId,
    userId,
    csrfToken,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    idleExpiresAt: idle.toISOString(),
    absoluteExpiresAt: absolute.toISOString(),
    expiresAt: epochSeconds(absolute),
  }).go();
  return { token, csrfToken, idleExpiresAt: idle.toISOString(), absoluteExpiresAt: absolute.toISOString() };
}

/**
 * The session behind a cookie, extended by this request. Expired sessions are deleted and refused; the
 * extension is written at most every 30 s so a busy console does not write on every call. `extend: false`
 * for polling that is not activity (the health page would otherwise keep a session alive forever).
 */
export async function resume(token: string, now = new Date(), extend = true): Promise<Resolved> {
  const tokenHash = hashToken(token);
  const found = await SessionEntity.get({ tokenHash }).go();
  const session = found.data;
  if (!session) throw new VisibleError("auth.required", "Please log in", 401);
  if (now.toISOString() >= session.idleExpiresAt || now.toISOString() >= session.absoluteExpiresAt) {
    await SessionEntity.delete({ tokenHash }).go();
    throw new VisibleError("auth.session_expired", "Your session has expired, please log in again", 401);
  }
  let idleExpiresAt = session.idleExpiresAt;
  if (extend && now.getTime() - Date.parse(session.lastSeenAt) >= 30_000) {
    const next = plus(now, idleSeconds());
    idleExpiresAt = (
      next.toISOString() < session.absoluteExpiresAt ? next : new Date(session.absoluteExpiresAt)
    ).toISOString();
    await SessionEntity.patch({ tokenHash }).set({ lastSeenAt: now.toISOString(), idleExpiresAt }).go();
  }
  return {
    companyId: session.companyId,
    userId: session.userId,
    csrfToken: session.csrfToken,
    idleExpiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  };
}

export async function close(token: string) {
  await SessionEntity.delete({ tokenHash: hashToken(token) }).go();
}

/** Deactivation, password change and reset end every session of the user at once. */
export async function closeAll(companyId: string, userId: string, except?: string) {
  const sessions = await SessionEntity.query.byUser({ companyId, userId }).go({ pages: "all" });
  const keep = except ? hashToken(except) : undefined;
  const doomed = sessions.data.filter((session) => session.tokenHash !== keep);
  if (doomed.length > 0) await SessionEntity.delete(doomed.map(({ tokenHash }) => ({ tokenHash }))).go();
}
