import { errorText } from "../accounts/errors";
import { ApiError } from "../api";
import { timeZone } from "../i18n/format";
import type { Translate } from "../i18n/i18n";
import { isMessageKey, type Locale } from "../i18n/messages";
import type { Civility, Reminder } from "./client";

/** API errors of reminders in the person's language (`reminders.error.<code>`), else the console's text. */
export function remindersErrorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `reminders.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    const field = error.details.fields?.[0];
    if (error.status === 400 && field) return fieldText(t, field);
  }
  return errorText(t, error);
}

/** Codes whose API message is already French and more precise (« le 31/04/2027 n'existe pas »). */
const saidInFrench = /^(plate|date|mileage|planning)\./;

/**
 * A field's problem in the person's language when its code is known (`reminders.field.<code>`), else as
 * sent. In French the API's own wording is kept for the vehicle and planning rules: it names the detail.
 */
export function fieldText(t: Translate, field: { code?: string; message: string }): string {
  const key = `reminders.field.${field.code}`;
  if (!field.code || !isMessageKey(key)) return field.message;
  const french = typeof document !== "undefined" && document.documentElement.lang === "fr";
  return french && saidInFrench.test(field.code) ? field.message : t(key);
}

/** The API's field errors by path (`vehicle.plate`, `items.0.date`…), first message of each. */
export function fieldErrors(error: unknown, t: Translate): Record<string, string> {
  if (!(error instanceof ApiError) || !error.details.fields) return {};
  const found: Record<string, string> = {};
  for (const field of error.details.fields) found[field.path] ??= fieldText(t, field);
  return found;
}

/** `2026-03-15` → `15/03/2026`. */
export function showDay(day: string | undefined): string {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return match ? `${match[3]}/${match[2]}/${match[1]}` : (day ?? "");
}

/** What a person typed (JJ/MM/AAAA, JJMMAAAA, AAAA-MM-JJ) as `yyyy-MM-dd`, or undefined; the API has the final word. */
export function isoDay(typed: string): string | undefined {
  const text = typed.trim();
  const match = /^(\d{2})(\d{2})(\d{4})$/.exec(text) ?? /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (match) return `${match[3]}-${match[2]!.padStart(2, "0")}-${match[1]!.padStart(2, "0")}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined;
}

const dayParts = new Intl.DateTimeFormat("en-CA", {
  timeZone,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The day in Paris of an instant (now by default), `yyyy-MM-dd`. */
export function parisDay(value: Date | string = new Date()): string {
  return dayParts.format(typeof value === "string" ? new Date(value) : value);
}

/** « dans N mois » as the API counts it: a month end clamps (31/01 + 1 month = 28 or 29/02). */
export function addMonths(day: string, months: number): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, last));
  return target.toISOString().slice(0, 10);
}

const intlLocale: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

/**
 * When the reminder actually goes, if not on its own day (quiet hours push it to the next allowed
 * morning): `{ weekday: "lun.", day: "12/01", time: "09:00" }`; undefined when it goes on its day.
 */
export function firesLater(reminder: Pick<Reminder, "dueOn" | "firesAt">, locale: Locale) {
  if (!reminder.firesAt || parisDay(reminder.firesAt) === reminder.dueOn) return undefined;
  const instant = new Date(reminder.firesAt);
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(intlLocale[locale], { timeZone, ...options }).format(instant);
  return {
    weekday: format({ weekday: "short" }),
    day: format({ day: "2-digit", month: "2-digit" }),
    time: format({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  };
}

/** The badge's words: « Annulée (STOP) » when the customer opted out, « (pas de mobile) » without one. */
export function statusKey(reminder: Pick<Reminder, "status" | "cancelReason">) {
  if (reminder.status === "cancelled" && reminder.cancelReason === "opted_out")
    return "reminders.status.optedOut" as const;
  if (reminder.status === "cancelled" && reminder.cancelReason === "no_mobile")
    return "reminders.status.noMobile" as const;
  return `reminders.status.${reminder.status}` as const;
}

export const civilityKey = {
  M: "reminders.civility.m",
  Mme: "reminders.civility.mme",
  "M et Mme": "reminders.civility.mEtMme",
  Mlle: "reminders.civility.mlle",
  Societe: "reminders.civility.societe",
} as const satisfies Record<Civility, string>;
