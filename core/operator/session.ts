import { VisibleError } from "../error";
import { epochSeconds, hashToken, newToken } from "../token";
import { OperatorSessionEntity } from "./operator.entity";

/** Operators: 30 minutes idle, 8 hours at most, whatever the console's settings. */
export const IDLE_SECONDS = 30 * 60;
export const MAX_SECONDS = 8 * 60 * 60;
/** Between password and TOTP: five minutes to type the code. */
const PENDING_SECONDS = 5 * 60;

const plus = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const expired = () =>
  new VisibleError("auth.session_expired", "Your session has expired, please sign in again", 401);

export type Opened = { token: string; csrfToken: string; idleExpiresAt: string; absoluteExpiresAt: string };
export type Resolved = {
  operatorId: string;
  csrfToken: string;
  pending: boolean;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
};

/** Opens a session: `pending` after the password, a full one after the TOTP (a new token each time). */
export async function open(operatorId: string, pending: boolean, now = new Date()): Promise<Opened> {
  const token = newToken();
  const csrfToken = newToken();
  const absolute = plus(now, pending ? PENDING_SECONDS : MAX_SECONDS);
  const idle = plus(now, pending ? PENDING_SECONDS : IDLE_SECONDS);
  await OperatorSessionEntity.create({
    tokenHash: hashToken(token),
    operatorId,
    csrfToken,
    pending,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    idleExpiresAt: idle.toISOString(),
    absoluteExpiresAt: absolute.toISOString(),
    expiresAt: epochSeconds(absolute),
  }).go();
  return { token, csrfToken, idleExpiresAt: idle.toISOString(), absoluteExpiresAt: absolute.toISOString() };
}

/** The session behind a cookie, extended by this request (written at most every 30 s). */
export async function resume(token: string, now = new Date()): Promise<Resolved> {
  const tokenHash = hashToken(token);
  const { data: session } = await OperatorSessionEntity.get({ tokenHash }).go();
  if (!session) throw new VisibleError("auth.required", "Please sign in", 401);
  const at = now.toISOString();
  if (at >= session.idleExpiresAt || at >= session.absoluteExpiresAt) {
    await OperatorSessionEntity.delete({ tokenHash }).go();
    throw expired();
  }
  let idleExpiresAt = session.idleExpiresAt;
  if (!session.pending && now.getTime() - Date.parse(session.lastSeenAt) >= 30_000) {
    const next = plus(now, IDLE_SECONDS).getTime();
    idleExpiresAt = new Date(Math.min(next, Date.parse(session.absoluteExpiresAt))).toISOString();
    await OperatorSessionEntity.patch({ tokenHash }).set({ lastSeenAt: at, idleExpiresAt }).go();
  }
  return {
    operatorId: session.operatorId,
    csrfToken: session.csrfToken,
    pending: session.pending,
    idleExpiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  };
}

export async function close(token: string) {
  await OperatorSessionEntity.delete({ tokenHash: hashToken(token) }).go();
}
