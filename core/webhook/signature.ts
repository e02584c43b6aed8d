import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `Relais-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint's secret>`.
 * Receivers recompute it over the raw bytes received, compare in constant time, refuse a `t` more than
 * five minutes from their clock (a replayed old request), and dedupe by `Relais-Event-Id`.
 */
export const toleranceSeconds = 300;

export const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

export const header = (secret: string, body: string, now = new Date()) => {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
};

/** The receiver's check, as the README documents it: true when signed with `secret` within the tolerance. */
export function verify(secret: string, signature: string, body: string, now = new Date()) {
  const parts = new Map(
    signature.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(hmac(secret, t, body), "hex"), Buffer.from(given, "hex"));
}
