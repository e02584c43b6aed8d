import { Secret, TOTP } from "otpauth";

/** RFC 6238 as authenticator apps do it: SHA-1, 6 digits, 30-second steps. */
const period = 30;

const totpOf = (secret: string, label = "operator") =>
  new TOTP({
    issuer: "Relais",
    label,
    algorithm: "SHA1",
    digits: 6,
    period,
    secret: Secret.fromBase32(secret),
  });

export const newSecret = () => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app scans (or takes typed). */
export const uriOf = (secret: string, label: string) => totpOf(secret, label).toString();

/** The current code (local tools and tests only). */
export const codeOf = (secret: string, at = Date.now()) => totpOf(secret).generate({ timestamp: at });

/**
 * The step a code belongs to, if it is the code of the current step or of the one just before or after
 * (clocks drift); undefined otherwise. The caller refuses a step already used (no replay).
 */
export function stepOf(secret: string, code: string, at = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret).validate({ token: code, timestamp: at, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(at / 1000 / period) + delta;
}
