import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { epochSeconds } from "../token";
import { AttemptEntity } from "./session.entity";

/**
 * Login attempts counted per fixed 15-minute window, per account and per IP address. Every attempt is
 * counted (one atomic ADD) before the password is checked, and refused once the count passes the limit:
 * counting failures after scrypt let a burst of concurrent guesses all pass the check before any was
 * counted. A refused attempt still counts, so a right password arriving in or after an over-limit burst
 * finds the count past the limit and is refused too (see `succeeded`).
 */
const windowMs = 15 * 60 * 1000;
export const limits = { account: 5, ip: 30 } as const;
/** Reset emails asked, per target account and per address: enough for a lost email, not for flooding. */
export const forgotLimits = { account: 3, ip: 10 } as const;

const windowOf = (now: Date) => Math.floor(now.getTime() / windowMs);

function rateLimited(now: Date) {
  const retryAfterSeconds = Math.ceil(((windowOf(now) + 1) * windowMs - now.getTime()) / 1000);
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new VisibleError(
    "auth.rate_limited",
    `Too many failed attempts. Try again in ${minutes} minute${minutes > 1 ? "s" : ""}.`,
    429,
    { retryAfterSeconds },
  );
}

/**
 * Counts one attempt on every key and refuses it (429) when any key is now past its limit. Returns the
 * window counted in: `succeeded` must clear that one, not the window current when scrypt ends (a login
 * straddling a window's end would find no item there and be refused).
 */
export async function reserve(keys: Array<[key: string, max: number]>, now = new Date()) {
  const window = windowOf(now);
  const expiresAt = epochSeconds(new Date((window + 1) * windowMs)) + 60;
  const counts = await Promise.all(
    keys.map(async ([key]) => {
      const updated = await AttemptEntity.update({ key, window: String(window) })
        .add({ failures: 1 })
        .set({ expiresAt })
        .go({ response: "updated_new" });
      return updated.data.failures ?? 0;
    }),
  );
  if (keys.some(([, max], index) => (counts[index] ?? 0) > max)) throw rateLimited(now);
  return { window: String(window) };
}

export type Reservation = Awaited<ReturnType<typeof reserve>>;

/**
 * The password was right: the account's count is cleared, on condition that it is still within the limit
 * (a wrong guess counted meanwhile beyond it means the limit was reached, and nothing may succeed); the
 * other keys (the IP) give their attempt back, so successful logins behind one address are not limited.
 */
export async function succeeded(
  account: [key: string, max: number],
  others: string[],
  { window }: Reservation,
  now = new Date(),
) {
  try {
    await AttemptEntity.delete({ key: account[0], window })
      .where(({ failures }, { lte }) => lte(failures, account[1]))
      .go();
  } catch (error) {
    if (isConditionalFailure(error)) throw rateLimited(now);
    throw error;
  }
  await Promise.all(
    others.map((key) =>
      AttemptEntity.update({ key, window })
        .add({ failures: -1 })
        .where(({ failures }, { gt }) => gt(failures, 0))
        .go()
        .catch((error: unknown) => {
          if (!isConditionalFailure(error)) throw error;
        }),
    ),
  );
}
