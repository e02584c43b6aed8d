// Wall-clock arithmetic in IANA time zones without a calendar library.
// A "wall" value is a local date-time encoded as if it were UTC milliseconds, so cron matching can
// run on plain UTC dates while the DST decisions (gap, overlap) stay explicit here.

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local date-time shown by a clock in `timeZone` at `instantMs`, as a wall value. */
export function toWallClock(instantMs: number, timeZone: string): number {
  if (timeZone === "UTC") return instantMs;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wholeSeconds = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wholeSeconds + (((instantMs % 1000) + 1000) % 1000);
}

function offsetAt(instantMs: number, timeZone: string): number {
  return toWallClock(instantMs, timeZone) - instantMs;
}

/**
 * Every instant whose local reading is `wallMs`: none inside a spring-forward gap, two inside a
 * fall-back overlap (earliest first), one otherwise. Assumes at most one transition a day.
 */
export function wallClockToInstants(wallMs: number, timeZone: string): number[] {
  if (timeZone === "UTC") return [wallMs];
  const candidates = new Set([
    wallMs - offsetAt(wallMs - DAY_MS, timeZone),
    wallMs - offsetAt(wallMs + DAY_MS, timeZone),
  ]);
  return [...candidates].filter((instant) => toWallClock(instant, timeZone) === wallMs).sort((a, b) => a - b);
}

/** Like wallClockToInstants, for a one-off date: first occurrence, or just after a gap. */
export function wallClockToInstant(wallMs: number, timeZone: string): number {
  const [first] = wallClockToInstants(wallMs, timeZone);
  if (first !== undefined) return first;
  // In a gap, read the wall value with the offset in force after the jump: 02:30 becomes 03:30.
  return wallMs - offsetAt(wallMs - DAY_MS, timeZone);
}
