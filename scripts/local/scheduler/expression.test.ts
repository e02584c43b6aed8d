import { describe, expect, it } from "vitest";
import {
  nextOccurrence,
  type OccurrenceWindow,
  parseScheduleExpression,
  upcomingOccurrences,
} from "./expression";

const paris = (after: string, extra: Partial<OccurrenceWindow> = {}): OccurrenceWindow => ({
  timeZone: "Europe/Paris",
  rateAnchor: Date.parse(after),
  ...extra,
});

function upcoming(expression: string, after: string, count: number, window = paris(after)): string[] {
  return upcomingOccurrences(parseScheduleExpression(expression), Date.parse(after), window, count).map(
    (ms) => new Date(ms).toISOString(),
  );
}

describe("cron() in Europe/Paris", () => {
  it("keeps 9:00 local across the spring DST change (UTC hour moves from 8 to 7)", () => {
    expect(upcoming("cron(0 9 * * ? *)", "2026-03-28T00:00:00Z", 3)).toEqual([
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("keeps 9:00 local across the autumn DST change (UTC hour moves from 7 to 8)", () => {
    expect(upcoming("cron(0 9 * * ? *)", "2026-10-24T00:00:00Z", 3)).toEqual([
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });

  it("skips a time that does not exist on the spring-forward day", () => {
    expect(upcoming("cron(30 2 * * ? *)", "2026-03-28T00:00:00Z", 2)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("runs a time that occurs twice on the fall-back day only once, at its first occurrence", () => {
    expect(upcoming("cron(30 2 * * ? *)", "2026-10-24T12:00:00Z", 2)).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("does not repeat the minutes of the fall-back hour", () => {
    expect(upcoming("cron(0/30 2 25 10 ? 2026)", "2026-10-24T12:00:00Z", 5)).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T00:30:00.000Z",
    ]);
  });
});

describe("AWS cron fields", () => {
  const after = "2026-03-01T00:00:00Z";
  const utc = { timeZone: "UTC", rateAnchor: Date.parse(after) };

  it("numbers weekdays 1-7 from Sunday", () => {
    expect(upcoming("cron(0 9 ? * 2 *)", after, 2, utc)).toEqual([
      "2026-03-02T09:00:00.000Z", // a Monday
      "2026-03-09T09:00:00.000Z",
    ]);
    expect(upcoming("cron(0 9 ? * 1 *)", after, 1, utc)).toEqual(["2026-03-01T09:00:00.000Z"]); // a Sunday
  });

  it("reads weekday and month names, ranges and lists", () => {
    expect(upcoming("cron(15 8,17 ? MAR MON-FRI *)", after, 3, utc)).toEqual([
      "2026-03-02T08:15:00.000Z",
      "2026-03-02T17:15:00.000Z",
      "2026-03-03T08:15:00.000Z",
    ]);
  });

  it("supports L, W and # in the day fields", () => {
    expect(upcoming("cron(0 9 L * ? *)", after, 1, utc)).toEqual(["2026-03-31T09:00:00.000Z"]);
    expect(upcoming("cron(0 9 15W * ? *)", after, 1, utc)).toEqual(["2026-03-16T09:00:00.000Z"]); // 15th is a Sunday
    expect(upcoming("cron(0 9 ? * 6L *)", after, 1, utc)).toEqual(["2026-03-27T09:00:00.000Z"]); // last Friday
    expect(upcoming("cron(0 9 ? * 3#2 *)", after, 1, utc)).toEqual(["2026-03-10T09:00:00.000Z"]); // 2nd Tuesday
    expect(upcoming("cron(0 9 ? * L *)", after, 1, utc)).toEqual(["2026-03-07T09:00:00.000Z"]); // Saturday
  });

  it("reads start/step increments the Quartz way", () => {
    expect(upcoming("cron(1/20 9 1 3 ? 2026)", after, 4, utc)).toEqual([
      "2026-03-01T09:01:00.000Z",
      "2026-03-01T09:21:00.000Z",
      "2026-03-01T09:41:00.000Z",
    ]);
  });

  it("stops after the last year listed", () => {
    expect(upcoming("cron(0 0 1 1 ? 2027-2028)", after, 5, utc)).toEqual([
      "2027-01-01T00:00:00.000Z",
      "2028-01-01T00:00:00.000Z",
    ]);
  });

  it.each([
    ["cron(0 9 * * * *)", "both day fields"],
    ["cron(0 9 ? * ? *)", "both day fields '?'"],
    ["cron(0 9 * *)", "too few fields"],
    ["cron(60 9 * * ? *)", "minute 60"],
    ["cron(0 9 ? * 0 *)", "weekday 0"],
    ["cron(0 9 ? * 8 *)", "weekday 8"],
    ["cron(0 9 * * ? 1969)", "year before 1970"],
    ["cron(0 ? * * ? *)", "'?' in the hours"],
    ["rate(0 minutes)", "a zero rate"],
    ["rate(5 weeks)", "an unknown unit"],
    ["at(2026-02-30T10:00:00)", "a date that does not exist"],
    ["at(2026-03-01 10:00:00)", "a date without T"],
    ["every(5 minutes)", "an unknown kind"],
  ])("rejects %s (%s)", (expression) => {
    expect(() => parseScheduleExpression(expression)).toThrow(/Invalid Schedule Expression/);
  });
});

describe("rate()", () => {
  it("counts whole periods of elapsed time from its anchor", () => {
    const window = { timeZone: "Europe/Paris", rateAnchor: Date.parse("2026-03-28T12:00:00Z") };
    // 24 hours of real time: 13:00 in Paris before the change, 14:00 after it.
    expect(upcoming("rate(1 day)", "2026-03-28T11:00:00Z", 3, window)).toEqual([
      "2026-03-28T12:00:00.000Z",
      "2026-03-29T12:00:00.000Z",
      "2026-03-30T12:00:00.000Z",
    ]);
  });

  it("starts at StartDate and ends at EndDate", () => {
    const window = {
      timeZone: "UTC",
      rateAnchor: 0,
      startDate: Date.parse("2026-01-01T10:00:00Z"),
      endDate: Date.parse("2026-01-01T10:30:00Z"),
    };
    expect(upcoming("rate(10 minutes)", "2026-01-01T09:00:00Z", 10, window)).toEqual([
      "2026-01-01T10:00:00.000Z",
      "2026-01-01T10:10:00.000Z",
      "2026-01-01T10:20:00.000Z",
      "2026-01-01T10:30:00.000Z",
    ]);
  });
});

describe("at()", () => {
  it("reads the date-time in the schedule's time zone and ignores StartDate", () => {
    const expression = parseScheduleExpression("at(2026-07-14T09:30:00)");
    const window = paris("2026-01-01T00:00:00Z", { startDate: Date.parse("2027-01-01T00:00:00Z") });
    expect(nextOccurrence(expression, 0, window)).toBe(Date.parse("2026-07-14T07:30:00Z"));
  });

  it("has no occurrence once its time has been fired", () => {
    const expression = parseScheduleExpression("at(2026-07-14T09:30:00)");
    expect(
      nextOccurrence(expression, Date.parse("2026-07-14T07:30:00Z"), paris("2026-01-01T00:00:00Z")),
    ).toBeNull();
  });
});
