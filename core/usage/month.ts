import { formatInTimeZone } from "date-fns-tz";

/** Months are Paris months: what a French customer calls « décembre » starts at midnight in Paris. */
export const zone = "Europe/Paris";

let last = { hour: Number.NaN, month: "" };

/**
 * The calendar month of a date in Europe/Paris (`2026-12`): the key of usage and of the cap. Paris
 * months start on a whole UTC hour, so the month of the last hour asked is kept (every status move asks).
 */
export function monthOf(date: Date) {
  const hour = Math.floor(date.getTime() / 3_600_000);
  if (hour !== last.hour) last = { hour, month: formatInTimeZone(date, zone, "yyyy-MM") };
  return last.month;
}

export const Month = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month before `2026-01` is `2025-12`. */
export function previousMonth(month: string) {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, "0")}`;
}

/** The `count` months ending with `last`, oldest first. */
export function monthsUpTo(last: string, count: number) {
  const months = [last];
  while (months.length < count) months.unshift(previousMonth(months[0]!));
  return months;
}
