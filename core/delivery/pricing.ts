import * as Phone from "../phone/phone";

/**
 * SMS destinations and what one SMS unit costs there. Texting any country at the French price, without
 * limit, is how SMS pumping drains an account: destinations are an allowlist per company (default France
 * and its overseas departments and territories), the preview prices each recipient by its country, every
 * SendTextMessage carries a MaxPrice from this table, and a company's spending stops at its monthly cap.
 */

/** France and the overseas departments and territories, by libphonenumber-js region code. */
export const defaultCountries = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"];

/**
 * Price of one SMS unit, in millicents of a euro (thousandths of a cent, as the company's price), and the
 * most AWS may charge for it in US dollars (MaxPrice, with room for the exchange rate and carrier fees).
 * A country missing here cannot be allowed: nobody has priced it.
 */
export const prices: Record<string, { millicents: number; maxUsd: number }> = {
  FR: { millicents: 7_500, maxUsd: 0.12 },
  GP: { millicents: 9_500, maxUsd: 0.15 },
  MQ: { millicents: 9_500, maxUsd: 0.15 },
  GF: { millicents: 9_500, maxUsd: 0.15 },
  RE: { millicents: 9_500, maxUsd: 0.15 },
  YT: { millicents: 9_500, maxUsd: 0.15 },
  PM: { millicents: 9_500, maxUsd: 0.15 },
  BL: { millicents: 9_500, maxUsd: 0.15 },
  MF: { millicents: 9_500, maxUsd: 0.15 },
  WF: { millicents: 15_000, maxUsd: 0.25 },
  PF: { millicents: 15_000, maxUsd: 0.25 },
  NC: { millicents: 15_000, maxUsd: 0.25 },
  BE: { millicents: 8_500, maxUsd: 0.14 },
  CH: { millicents: 8_000, maxUsd: 0.13 },
  LU: { millicents: 8_000, maxUsd: 0.13 },
  MC: { millicents: 10_000, maxUsd: 0.16 },
  DE: { millicents: 9_000, maxUsd: 0.15 },
  ES: { millicents: 8_000, maxUsd: 0.13 },
  IT: { millicents: 8_500, maxUsd: 0.14 },
  PT: { millicents: 4_000, maxUsd: 0.07 },
  GB: { millicents: 4_500, maxUsd: 0.08 },
};
export const pricedCountries = Object.keys(prices).sort();

/** The main region of the calling codes of France and overseas, for numbers libphonenumber cannot place. */
const byCallingCode: Array<[prefix: string, country: string]> = [
  ["+33", "FR"],
  ["+262639", "YT"],
  ["+262", "RE"],
  ["+508", "PM"],
  ["+590", "GP"],
  ["+594", "GF"],
  ["+596", "MQ"],
  ["+681", "WF"],
  ["+687", "NC"],
  ["+689", "PF"],
];

/**
 * What one SMS unit to `country` costs this company: its own price (operators' terms) in France, the
 * table's elsewhere. The preview shows it and the send reserves it against the cap: one price for both.
 */
export function unitPriceFor(country: string | undefined, companyPriceMillicents: number): number {
  if (country === "FR") return companyPriceMillicents;
  return (country ? prices[country]?.millicents : undefined) ?? companyPriceMillicents;
}

/** The region of an E.164 number; a number libphonenumber does not validate falls back on its calling code. */
export function countryOf(e164: string): string | undefined {
  const parsed = Phone.parse(e164);
  if (parsed?.country) return parsed.country;
  return byCallingCode.find(([prefix]) => e164.startsWith(prefix))?.[1];
}

/** Why SMS may not go to this number under the company's allowlist; undefined when it may. */
export function refusal(e164: string, allowed: readonly string[]): string | undefined {
  const country = countryOf(e164);
  if (!country) return "Country unknown";
  if (!allowed.includes(country) || !prices[country]) return `Country not allowed (${country})`;
  return undefined;
}

/** MaxPrice of one SendTextMessage: its units at the country's ceiling, in US dollars as AWS wants it. */
export function maxPrice(e164: string, units: number): string | undefined {
  const price = prices[countryOf(e164) ?? ""];
  return price ? (Math.max(1, units) * price.maxUsd).toFixed(2) : undefined;
}

export { defaultMonthlyCapMillicents } from "../usage/cap";

/** The calendar month of a date in Europe/Paris (`2026-12`), the key of the spending counter and of usage. */
export { monthOf } from "../usage/month";
