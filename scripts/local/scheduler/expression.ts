// EventBridge Scheduler schedule expressions: at(), rate() and AWS's six-field cron(), evaluated in a
// time zone with AWS's documented DST rules: a cron time that does not exist (spring forward) is
// skipped, a time that occurs twice (fall back) runs once, at its first occurrence; rate() counts
// real elapsed time, so rate(1 day) drifts by an hour in local time across a DST change.
import { Cron } from "croner";
import { toWallClock, wallClockToInstant, wallClockToInstants } from "./zoned-time";

export type ScheduleExpression =
  | { kind: "at"; text: string; wallClock: number }
  | { kind: "rate"; text: string; periodMs: number }
  | { kind: "cron"; text: string; cron: Cron };

export interface OccurrenceWindow {
  timeZone: string;
  startDate?: number;
  endDate?: number;
  /** Where rate() counts from when there is no StartDate: the creation or last update. */
  rateAnchor: number;
}

export class ExpressionError extends Error {}

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

export function parseScheduleExpression(text: string): ScheduleExpression {
  const at = AT.exec(text);
  if (at) return { kind: "at", text, wallClock: parseAtWallClock(at.slice(1).map(Number), text) };
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    if (!Number.isSafeInteger(value) || value < 1)
      throw invalid(text, "the rate value must be a positive integer");
    return { kind: "rate", text, periodMs: value * (UNIT_MS[rate[2] ?? ""] ?? 0) };
  }
  const cron = CRON.exec(text);
  if (cron) return { kind: "cron", text, cron: parseAwsCron(cron[1] ?? "", text) };
  throw invalid(text, "expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)");
}

/** First occurrence strictly after `afterMs`, or null when the schedule has no more occurrences. */
export function nextOccurrence(
  expr: ScheduleExpression,
  afterMs: number,
  window: OccurrenceWindow,
): number | null {
  if (expr.kind === "at") {
    // AWS ignores StartDate and EndDate for one-time schedules.
    const instant = wallClockToInstant(expr.wallClock, window.timeZone);
    return instant > afterMs ? instant : null;
  }
  const candidate =
    expr.kind === "rate" ? nextRate(expr.periodMs, afterMs, window) : nextCron(expr.cron, afterMs, window);
  if (candidate === null) return null;
  return window.endDate !== undefined && candidate > window.endDate ? null : candidate;
}

export function upcomingOccurrences(
  expr: ScheduleExpression,
  afterMs: number,
  window: OccurrenceWindow,
  count: number,
): number[] {
  const found: number[] = [];
  let cursor = afterMs;
  while (found.length < count) {
    const next = nextOccurrence(expr, cursor, window);
    if (next === null) break;
    found.push(next);
    cursor = next;
  }
  return found;
}

function nextRate(periodMs: number, afterMs: number, window: OccurrenceWindow): number {
  const anchor = window.startDate ?? window.rateAnchor;
  if (afterMs < anchor) return anchor;
  return anchor + (Math.floor((afterMs - anchor) / periodMs) + 1) * periodMs;
}

function nextCron(cron: Cron, afterMs: number, window: OccurrenceWindow): number | null {
  const from = window.startDate !== undefined ? Math.max(afterMs, window.startDate - 1) : afterMs;
  // Croner walks local wall time (encoded as UTC); this loop maps each match back to an instant.
  let cursor = toWallClock(from, window.timeZone);
  for (let guard = 0; guard < 10_000; guard++) {
    const wall = cron.nextRun(new Date(cursor));
    if (!wall) return null;
    const [first] = wallClockToInstants(wall.getTime(), window.timeZone);
    // No instant: the time is in a spring-forward gap and AWS skips it. An instant at or before
    // `from`: the second pass through a fall-back hour, which AWS does not run again.
    if (first !== undefined && first > from) return first;
    cursor = wall.getTime();
  }
  return null;
}

function parseAtWallClock([year, month, day, hour, minute, second]: number[], text: string): number {
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  const check = new Date(wall);
  const roundTrips =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() + 1 === month &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  if (!roundTrips) throw invalid(text, "the date or time does not exist");
  return wall;
}

interface FieldRule {
  name: string;
  chars: RegExp;
  min: number;
  max: number;
}

const FIELDS: FieldRule[] = [
  { name: "minutes", chars: /^[0-9,\-*/]+$/, min: 0, max: 59 },
  { name: "hours", chars: /^[0-9,\-*/]+$/, min: 0, max: 23 },
  { name: "day-of-month", chars: /^[0-9,\-*/?LW]+$/, min: 1, max: 31 },
  { name: "month", chars: /^[0-9A-Za-z,\-*/]+$/, min: 1, max: 12 },
  { name: "day-of-week", chars: /^[0-9A-Za-z,\-*?L#]+$/, min: 1, max: 7 },
  { name: "year", chars: /^[0-9,\-*/]+$/, min: 1970, max: 2199 },
];

function parseAwsCron(body: string, text: string): Cron {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw invalid(text, "cron() takes six fields: minutes hours day-of-month month day-of-week year");
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    throw invalid(text, "exactly one of day-of-month and day-of-week must be '?'");
  }
  const converted = fields.map((field, index) => convertField(field, FIELDS[index] as FieldRule, text));
  try {
    // Croner's seven-part form starts with seconds; Quartz weekday numbers match AWS (1 = SUN).
    // domAndDow is safe because one of the two fields is always '?', which becomes '*'.
    return new Cron(`0 ${converted.join(" ")}`, {
      timezone: "UTC",
      mode: "7-part",
      alternativeWeekdays: true,
      domAndDow: true,
    });
  } catch (error) {
    throw invalid(text, error instanceof Error ? error.message : String(error));
  }
}

function convertField(field: string, rule: FieldRule, text: string): string {
  if (!rule.chars.test(field)) throw invalid(text, `unsupported characters in the ${rule.name} field`);
  if (field === "?") return "*";
  if (rule.name === "day-of-week" && field === "L") return "7"; // Quartz: a lone L is Saturday
  return field
    .split(",")
    .map((item) => {
      checkNumbers(item, rule, text);
      // AWS accepts Quartz's "start/step" (1/10 = 1, 11, 21…); croner wants "start-max/step".
      const step = /^(\d+)\/(\d+)$/.exec(item);
      return step ? `${step[1]}-${rule.max}/${step[2]}` : item;
    })
    .join(",");
}

function checkNumbers(item: string, rule: FieldRule, text: string): void {
  // Croner range-checks most fields itself but accepts weekday 0/8 and any year; AWS does not.
  if (rule.name !== "day-of-week" && rule.name !== "year") return;
  const [values = "", nth] = item.split("#");
  for (const match of values.replace(/\/\d+$/, "").matchAll(/\d+/g)) {
    const value = Number(match[0]);
    if (value < rule.min || value > rule.max) {
      throw invalid(text, `${value} is outside ${rule.min}-${rule.max} in the ${rule.name} field`);
    }
  }
  if (nth !== undefined && nth !== "L" && !/^[1-5]$/.test(nth)) {
    throw invalid(text, `'#${nth}' must be #1 to #5 in the day-of-week field`);
  }
}

function invalid(text: string, reason: string): ExpressionError {
  return new ExpressionError(`Invalid Schedule Expression ${text}: ${reason}.`);
}
