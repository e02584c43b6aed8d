import { isConditionalFailure } from "../db";
import { RateEntity } from "./delivery.entity";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes one token of this second for a company and channel, shared by every worker through a
 * conditional ADD on one item per second. Returns false when the limit is spent for this second.
 */
export async function tryTake(companyId: string, channel: "sms" | "email", limit: number, now = Date.now()) {
  if (limit <= 0) return true;
  const second = Math.floor(now / 1000);
  try {
    await RateEntity.update({ companyId, channel, second })
      .add({ used: 1 })
      .set({ expiresAt: second + 60 })
      .where((attr, { notExists, lt }) => `(${notExists(attr.used)} OR ${lt(attr.used, limit)})`)
      .go({ response: "none" });
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

/**
 * Waits for a token for at most `patienceMs`, trying again at the start of each next second of `now`.
 * False means the caller should hand the message back to the queue with a short delay.
 */
export async function take(
  companyId: string,
  channel: "sms" | "email",
  limit: number,
  { patienceMs = 3000, now = Date.now }: { patienceMs?: number; now?: () => number } = {},
) {
  const deadline = now() + patienceMs;
  // Bounded by tries too, so a clock that does not move (tests) cannot keep a sender waiting forever.
  for (let tries = 0; ; tries++) {
    if (await tryTake(companyId, channel, limit, now())) return true;
    const wait = 1000 - (now() % 1000) + Math.floor(Math.random() * 50);
    if (now() + wait > deadline || tries >= Math.ceil(patienceMs / 1000)) return false;
    await sleep(wait);
  }
}
