import type { Locale } from "./messages";

/** Every date and time the console shows is wall-clock time in Paris, whatever the viewer's machine says. */
export const timeZone = "Europe/Paris";

const intlLocale: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

const dateTimeParts = new Intl.DateTimeFormat("fr-FR", {
  timeZone,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function parts(value: Date | string) {
  const date = typeof value === "string" ? new Date(value) : value;
  const found: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of dateTimeParts.formatToParts(date)) found[part.type] = part.value;
  return found;
}

/** `25/11/2026 09:00` in Paris time, in both languages (the product's users read dates the French way). */
export function formatDateTime(value: Date | string): string {
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** `09:00:05` in Paris time, for “last checked” stamps that change every few seconds. */
export function formatTime(value: Date | string): string {
  const p = parts(value);
  return `${p.hour}:${p.minute}:${p.second}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `1 234,56` in French, `1,234.56` in English. */
export function formatNumber(value: number, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  const key = `${locale}:${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: 2, ...options });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

const mediumFormats = new Map<Locale, Intl.DateTimeFormat>();

/** « 6 déc. 2026, 17:05 » / « 6 Dec 2026, 17:05 » in Paris time: a date a person reads, per language. */
export function formatDateTimeMedium(value: Date | string, locale: Locale): string {
  let format = mediumFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale[locale], {
      timeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    mediumFormats.set(locale, format);
  }
  return format.format(typeof value === "string" ? new Date(value) : value);
}

/** « 6 déc. 2026 » / « 6 Dec 2026 » for a calendar day (`YYYY-MM-DD`), whatever the time zone. */
export function formatDayMedium(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: "UTC",
    day: "numeric",
    month: "short",
    year: "numeric",
  }).format(new Date(`${day}T00:00:00Z`));
}
