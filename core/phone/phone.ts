import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * French numbers as people type them (06 12 34 56 78, 0033 6…, +33…, 6 12 34 56 78) become E.164.
 * Overseas departments (0690…, 0696…) resolve through their own region codes.
 */
export type Parsed = { e164: string; mobile: boolean; country?: string };

const overseas = ["GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"] as const;

/**
 * Readings in order of likelihood, tried one at a time: each costs a few microseconds, and an import
 * parses tens of thousands of numbers, nearly all of them French.
 */
function* readings(cleaned: string, defaultCountry: string) {
  yield parsePhoneNumberFromString(cleaned, defaultCountry as "FR");
  // "6 12 34 56 78": a French number that lost its leading 0.
  if (/^[67]\d{8}$/.test(cleaned)) yield parsePhoneNumberFromString(`0${cleaned}`, "FR");
  if (!cleaned.startsWith("+")) {
    for (const region of overseas) yield parsePhoneNumberFromString(cleaned, region);
  }
}

function firstValid(cleaned: string, defaultCountry: string) {
  for (const number of readings(cleaned, defaultCountry)) if (number?.isValid()) return number;
  return undefined;
}

export function parse(input: string, defaultCountry = "FR"): Parsed | undefined {
  const cleaned = input
    .trim()
    .replace(/^00/, "+")
    .replace(/[\s.\-()/]/g, "");
  if (!cleaned) return undefined;
  const valid = firstValid(cleaned, defaultCountry);
  if (!valid) return undefined;
  const type = valid.getType();
  return {
    e164: valid.number,
    mobile: type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE",
    country: valid.country,
  };
}

/** A number that can receive SMS, or undefined. */
export function mobile(input: string): string | undefined {
  const parsed = parse(input);
  return parsed?.mobile ? parsed.e164 : undefined;
}
