import { formatNumber } from "../i18n/format";
import type { Locale } from "../i18n/messages";

/**
 * Money is kept in millicents (a thousandth of a cent) as integers, as the API stores it: an SMS unit at
 * 0,045 € is 4 500 millicents. One euro is 100 000 millicents.
 */
export const millicentsPerEuro = 100_000;

/** `90000` → `0,90 €` (`€0.90` in English): cents at least, more only when they matter (0,045 €). */
export function formatEuros(millicents: number, locale: Locale): string {
  return formatNumber(millicents / millicentsPerEuro, locale, {
    style: "currency",
    currency: "EUR",
    minimumFractionDigits: 2,
    maximumFractionDigits: 5,
  });
}

/** The price as one types it: `0,045` (French decimals, no grouping), `0.045` in English. */
export function eurosInput(millicents: number, locale: Locale): string {
  return formatNumber(millicents / millicentsPerEuro, locale, {
    useGrouping: false,
    minimumFractionDigits: 2,
    maximumFractionDigits: 5,
  });
}

/** `0,045`, `0.045`, `0,045 €` → 4500; `null` when it is not an amount of at most five decimals. */
export function parseEuros(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,5})?$/.test(compact)) return null;
  const [whole = "0", fraction = ""] = compact.split(".");
  return Number(whole) * millicentsPerEuro + Number(fraction.padEnd(5, "0"));
}
