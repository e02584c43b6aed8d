import { Metadata, parsePhoneNumberFromString } from "libphonenumber-js/max";

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

/**
 * libphonenumber-js's own number typing (getNumberType) for France, with the same metadata and the same
 * order of checks, its patterns compiled once: the full parse costs ~6 µs a number, which is a third of an
 * import's parse+validate budget. Only answers for a number France's plan recognises; anything else
 * (overseas, foreign, invalid) goes through the full parse, so results are identical (phone.test.ts
 * compares both over every French prefix).
 */
const frenchTypes = (() => {
  const metadata = new Metadata();
  metadata.selectNumberingPlan("FR");
  // Public at runtime, left out of the package's types.
  const plan = metadata.numberingPlan as unknown as {
    nationalNumberPattern(): string;
    type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  };
  const compile = (pattern: string) => new RegExp(`^(?:${pattern})$`);
  const general = compile(plan.nationalNumberPattern());
  const types = [
    "FIXED_LINE",
    "MOBILE",
    "PREMIUM_RATE",
    "TOLL_FREE",
    "SHARED_COST",
    "VOIP",
    "PERSONAL_NUMBER",
    "PAGER",
    "UAN",
    "VOICEMAIL",
  ].flatMap((name) => {
    const type = plan.type(name);
    const pattern = type?.pattern();
    return pattern ? [{ name, pattern: compile(pattern), lengths: type?.possibleLengths() }] : [];
  });
  const fixedLine = types.find((type) => type.name === "FIXED_LINE");
  const mobile = types.find((type) => type.name === "MOBILE");
  const is = (national: string, type: (typeof types)[number] | undefined) =>
    Boolean(type) &&
    (!type!.lengths || type!.lengths.includes(national.length)) &&
    type!.pattern.test(national);
  return (national: string): string | undefined => {
    if (!general.test(national)) return undefined;
    if (is(national, fixedLine)) {
      if (!mobile || is(national, mobile)) return "FIXED_LINE_OR_MOBILE";
      return "FIXED_LINE";
    }
    for (const type of types) if (type !== fixedLine && is(national, type)) return type.name;
    return undefined;
  };
})();

/** 06…, +336…, 0033 6… (cleaned to +33) or 6… : the national significant number, when it is one. */
const frenchForm = /^(?:0|\+33)?([1-9]\d{8})$/;

function frenchFast(cleaned: string): Parsed | undefined {
  const national = frenchForm.exec(cleaned)?.[1];
  if (!national) return undefined;
  const type = frenchTypes(national);
  if (!type) return undefined;
  return {
    e164: `+33${national}`,
    mobile: type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE",
    country: "FR",
  };
}

/** The full parse, every reading in turn: what `parse` answers when the French fast path does not. */
export function parseSlowly(input: string, defaultCountry = "FR"): Parsed | undefined {
  return read(clean(input), defaultCountry);
}

const clean = (input: string) =>
  input
    .trim()
    .replace(/^00/, "+")
    .replace(/[\s.\-()/]/g, "");

function read(cleaned: string, defaultCountry: string): Parsed | undefined {
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

export function parse(input: string, defaultCountry = "FR"): Parsed | undefined {
  const cleaned = clean(input);
  return (defaultCountry === "FR" ? frenchFast(cleaned) : undefined) ?? read(cleaned, defaultCountry);
}

/** A number that can receive SMS, or undefined. */
export function mobile(input: string): string | undefined {
  const parsed = parse(input);
  return parsed?.mobile ? parsed.e164 : undefined;
}
