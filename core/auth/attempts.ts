import { VisibleError } from "../error";
import { epochSeconds } from "../token";
import { AttemptEntity } from "./session.entity";

/** Failed logins counted per fixed 15-minute window, per account and per IP address. */
const windowMs = 15 * 60 * 1000;
export const limits = { account: 5, ip: 30 } as const;

const windowOf = (now: Date) => Math.floor(now.getTime() / windowMs);

export async function assertAllowed(keys: Array<[key: string, max: number]>, now = new Date()) {
  const window = String(windowOf(now));
  const found = await Promise.all(keys.map(([key]) => AttemptEntity.get({ key, window }).go()));
  const blocked = keys.some(([, max], index) => (found[index]?.data?.failures ?? 0) >= max);
  if (blocked) {
    const retryAfterSeconds = Math.ceil(((windowOf(now) + 1) * windowMs - now.getTime()) / 1000);
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    throw new VisibleError(
      "auth.rate_limited",
      `Too many failed attempts. Try again in ${minutes} minute${minutes > 1 ? "s" : ""}.`,
      429,
      { retryAfterSeconds },
    );
  }
}

/** Atomic increments (UpdateItem ADD), so concurrent failures are all counted. */
export async function fail(keys: string[], now = new Date()) {
  const window = windowOf(now);
  const expiresAt = epochSeconds(new Date((window + 1) * windowMs)) + 60;
  await Promise.all(
    keys.map((key) =>
      AttemptEntity.update({ key, window: String(window) })
        .add({ failures: 1 })
        .set({ expiresAt })
        .go(),
    ),
  );
}

export async function clear(key: string, now = new Date()) {
  await AttemptEntity.delete({ key, window: String(windowOf(now)) }).go();
}
