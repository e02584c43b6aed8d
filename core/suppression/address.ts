import type { Channel } from "./suppression";

const e164 = /^\+\d{6,15}$/;

/**
 * An address as the suppression list keys it, when that takes no phone parser: lower case for an email,
 * a number already in E.164 as is (provider events carry E.164), undefined for a blank one. Otherwise
 * `{ number }`: the number the phone parser (libphonenumber-js, ~500 KB of source) must read.
 */
export function withoutParser(channel: Channel, address: string): string | undefined | { number: string } {
  const value = address.trim();
  if (!value) return undefined;
  if (channel === "email") return value.toLowerCase();
  return e164.test(value) ? value : { number: value };
}
