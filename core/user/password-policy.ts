import { randomInt } from "node:crypto";
import { VisibleError } from "../error";

export const policy = { minLength: 12, minClasses: 3 } as const;

const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/];

/** At least 12 characters, 3 of 4 character classes, and not built on the login itself. */
export function assertStrong(password: string, email?: string) {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (classes.filter((pattern) => pattern.test(password)).length < policy.minClasses) {
    problems.push("at least 3 of: lowercase, uppercase, digit, symbol");
  }
  const local = email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 3 && password.toLowerCase().includes(local)) problems.push("not your email");
  if (problems.length > 0) {
    throw new VisibleError("password.too_weak", `Password too weak: ${problems.join(", ")}`, 400, {
      fields: [{ path: "password", message: problems.join(", ") }],
    });
  }
}

const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** Readable, policy-compliant one-time password such as `Kp7r-Xm2q-9TzB`. */
export function temporary() {
  for (;;) {
    const groups = Array.from({ length: 3 }, () =>
      Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(""),
    );
    const candidate = groups.join("-");
    if (/[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /\d/.test(candidate)) return candidate;
  }
}
