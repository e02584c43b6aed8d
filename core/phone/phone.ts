import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * French numbers as people type them (06 12 34 56 78, 0033 6…, +33…, 6 12 34 56 78) become E.164.
 * Overseas departments (0690…, 0696…) resolve through their own region codes.
 */
export type Parsed = { e164: string; mobile: boolean; country?: string };

const overseas = ["GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"] as const;

export function parse(input: string, defaultCountry = "FR"): Parsed | undefined {
  const cleaned = input
    .trim()
    .replace(/^00/, "+")
    .replace(/[\s.\-()/]/g, "");
  if (!cleaned) return undefined;
  const candidates = [parsePhoneNumberFromString(cleaned, defaultCountry as "FR")];
  // "6 12 34 56 78": a French number that lost its leading 0.
  if (/^[67]\d{8}$/.test(cleaned)) candidates.push(parsePhoneNumberFromString(`0${cleaned}`, "FR"));
  if (!cleaned.startsWith("+")) {
    for (const region of overseas) candidates.push(parsePhoneNumberFromString(cleaned, region));
  }
  const valid = candidates.find((number) => number?.isValid());
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
