import { addDays } from "date-fns";
import { formatInTimeZone, fromZonedTime } from "date-fns-tz";

/** When a company does not send: every night between `start` and `end` (local "HH:mm"), Sundays, holidays. */
export type QuietHours = {
  timezone: string;
  start: string;
  end: string;
  sundays: boolean;
  holidays: boolean;
};

export const defaultQuietHours: QuietHours = {
  timezone: "Europe/Paris",
  start: "20:00",
  end: "09:00",
  sundays: true,
  holidays: true,
};

/** Easter Sunday (Gregorian, anonymous algorithm) as "yyyy-MM-dd". */
export function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const cache = new Map<number, Set<string>>();

/** French public holidays (métropole) of a year, as local dates "yyyy-MM-dd". */
export function frenchHolidays(year: number): Set<string> {
  const known = cache.get(year);
  if (known) return known;
  const sunday = new Date(`${easter(year)}T12:00:00Z`);
  const shifted = (days: number) => addDays(sunday, days).toISOString().slice(0, 10);
  const fixed = ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"];
  const days = new Set([
    ...fixed.map((day) => `${year}-${day}`),
    shifted(1), // lundi de Pâques
    shifted(39), // Ascension
    shifted(50), // lundi de Pentecôte
  ]);
  cache.set(year, days);
  return days;
}

const minutes = (hhmm: string) => {
  const [hours, mins] = hhmm.split(":").map(Number);
  return (hours ?? 0) * 60 + (mins ?? 0);
};

/** Why nothing may be sent at `at`, or undefined when sending is allowed. */
export function quietReason(at: Date, rules: QuietHours): "night" | "sunday" | "holiday" | undefined {
  const [day = "", time = "00:00", weekday = "1"] = formatInTimeZone(
    at,
    rules.timezone,
    "yyyy-MM-dd HH:mm i",
  ).split(" ");
  if (rules.holidays && frenchHolidays(Number(day.slice(0, 4))).has(day)) return "holiday";
  if (rules.sundays && weekday === "7") return "sunday";
  const now = minutes(time);
  const start = minutes(rules.start);
  const end = minutes(rules.end);
  if (start === end) return undefined;
  const night = start > end ? now >= start || now < end : now >= start && now < end;
  return night ? "night" : undefined;
}

/** `at` itself when allowed, else the first allowed moment after it: the end of quiet hours on a working day. */
export function nextAllowed(at: Date, rules: QuietHours): Date {
  if (!quietReason(at, rules)) return at;
  const today = formatInTimeZone(at, rules.timezone, "yyyy-MM-dd");
  for (let offset = 0; offset < 20; offset++) {
    const day = addDays(new Date(`${today}T12:00:00Z`), offset)
      .toISOString()
      .slice(0, 10);
    const candidate = fromZonedTime(`${day}T${rules.end}:00`, rules.timezone);
    if (candidate > at && !quietReason(candidate, rules)) return candidate;
  }
  throw new Error("Quiet hours leave no time to send in the next 20 days");
}
