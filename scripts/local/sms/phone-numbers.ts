import { randomInt } from "node:crypto";
import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  isValidPhoneNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js";
import { isTestNumber } from "./test-numbers";

const e164 = /^\+[1-9]\d{1,14}$/;

/** What SendTextMessage accepts as DestinationPhoneNumber: strict E.164 that is a real numbering plan entry. */
export function isValidDestination(number: string): boolean {
  return e164.test(number) && (isTestNumber(number) || isValidPhoneNumber(number));
}

export function countryOf(number: string): string | undefined {
  return parsePhoneNumberFromString(number)?.country;
}

export function isCountry(iso: string): iso is CountryCode {
  return isSupportedCountry(iso);
}

/**
 * Friendly input for the control API and the phone page: "06 12 34 56 78" and "0033…" become E.164, and a
 * leading space (a "+" decoded from an unescaped query string) is read as "+".
 */
export function normalizeNumber(raw: string): string {
  const value = /^ \d/.test(raw) ? `+${raw.trimStart()}` : raw.trim();
  return parsePhoneNumberFromString(value, "FR")?.number ?? value;
}

/**
 * A new long number for RequestPhoneNumber. French ones come from 06 39 98 xx xx, a range ARCEP keeps for
 * fiction, so a number leaked from local data never reaches a real person.
 */
export function generateNumber(iso: CountryCode, taken: ReadonlySet<string>): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const number =
      iso === "FR"
        ? `+3363998${String(randomInt(0, 10_000)).padStart(4, "0")}`
        : `+${getCountryCallingCode(iso)}${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;
    if (!taken.has(number)) return number;
  }
  throw new Error(`No free emulated number left for ${iso}`);
}
