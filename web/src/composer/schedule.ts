/**
 * Send times are chosen as wall-clock time in Paris, whatever the browser's zone, and sent to the API as
 * ISO strings with the Paris offset of that day (`2026-11-26T09:00:00+01:00`).
 */
export const parisZone = "Europe/Paris";

type Wall = { year: number; month: number; day: number; hour: number; minute: number };

const formats = new Map<string, Intl.DateTimeFormat>();

function wallIn(zone: string, instant: Date): Wall {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** Minutes `zone` is ahead of UTC at `instant` (+60 for Paris in winter, +120 in summer). */
export function offsetMinutes(zone: string, instant: Date): number {
  const wall = wallIn(zone, instant);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

const pad = (value: number, length = 2) => String(Math.abs(value)).padStart(length, "0");

/** `2026-11-26` and `09:00` read in Paris, as an ISO string with that day's offset; `null` if unreadable. */
export function parisToIso(date: string, time: string): string | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  if (!day || !clock) return null;
  const [year, month, dayOfMonth, hour, minute] = [day[1], day[2], day[3], clock[1], clock[2]].map(
    Number,
  ) as [number, number, number, number, number];
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31 || hour > 23 || minute > 59) return null;
  const wallAsUtc = Date.UTC(year, month - 1, dayOfMonth, hour, minute);
  // the offset at the guessed instant, then again at the corrected one (DST changes between the two)
  let offset = offsetMinutes(parisZone, new Date(wallAsUtc));
  offset = offsetMinutes(parisZone, new Date(wallAsUtc - offset * 60_000));
  const sign = offset >= 0 ? "+" : "-";
  return `${date}T${time}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** The day after `now` in Paris, as `YYYY-MM-DD` (what `<input type="date">` holds). */
export function tomorrowInParis(now = new Date()): string {
  const today = wallIn(parisZone, now);
  const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** Today in Paris, as `YYYY-MM-DD`, the earliest day the date picker offers. */
export function todayInParis(now = new Date()): string {
  const today = wallIn(parisZone, now);
  return `${today.year}-${pad(today.month)}-${pad(today.day)}`;
}

/** The browser's own zone (`America/New_York`), to show a send time there too when it is not Paris. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `Europe/Paris` and `Europe/Brussels` show the same time all year; only a real difference is worth showing. */
export function differsFromParis(zone: string, instant: Date): boolean {
  return offsetMinutes(zone, instant) !== offsetMinutes(parisZone, instant);
}

/** `25/11/2026 03:00` in `zone`. */
export function formatInZone(instant: Date | string, zone: string): string {
  const wall = wallIn(zone, typeof instant === "string" ? new Date(instant) : instant);
  return `${pad(wall.day)}/${pad(wall.month)}/${wall.year} ${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** An instant as the date and time `<input type="date">` and `<input type="time">` hold, in Paris. */
export function parisWall(instant: Date | string): { date: string; time: string } {
  const wall = wallIn(parisZone, typeof instant === "string" ? new Date(instant) : instant);
  return {
    date: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`,
    time: `${pad(wall.hour)}:${pad(wall.minute)}`,
  };
}
