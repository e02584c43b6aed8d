import { describe, expect, it } from "vitest";
import { defaultQuietHours, easter, frenchHolidays, nextAllowed, quietReason } from "./quiet-hours";

const rules = defaultQuietHours;
const at = (iso: string) => new Date(iso);

describe("quiet hours (Europe/Paris, 20:00–09:00, Sundays, French holidays)", () => {
  it("allows 19:59 and refuses 20:00 Paris time, in summer (UTC+2)", () => {
    expect(quietReason(at("2026-06-10T17:59:00Z"), rules)).toBeUndefined();
    expect(quietReason(at("2026-06-10T18:00:00Z"), rules)).toBe("night");
  });

  it("allows 19:59 and refuses 20:00 Paris time, in winter (UTC+1)", () => {
    expect(quietReason(at("2026-01-14T18:59:00Z"), rules)).toBeUndefined();
    expect(quietReason(at("2026-01-14T19:00:00Z"), rules)).toBe("night");
  });

  it("defers an evening send to 09:00 Paris the next morning", () => {
    expect(nextAllowed(at("2026-06-10T18:30:00Z"), rules).toISOString()).toBe("2026-06-11T07:00:00.000Z");
  });

  it("defers across the DST change at the right UTC hour", () => {
    // Saturday 28 March 2026 21:00 CET → Sunday is quiet → Monday 30 March 09:00 CEST = 07:00 UTC.
    expect(nextAllowed(at("2026-03-28T20:00:00Z"), rules).toISOString()).toBe("2026-03-30T07:00:00.000Z");
  });

  it("refuses Sundays and defers them to Monday 09:00", () => {
    expect(quietReason(at("2026-06-14T10:00:00Z"), rules)).toBe("sunday");
    expect(nextAllowed(at("2026-06-14T10:00:00Z"), rules).toISOString()).toBe("2026-06-15T07:00:00.000Z");
  });

  it("refuses 14 July and defers to the 15th", () => {
    expect(quietReason(at("2026-07-14T10:00:00Z"), rules)).toBe("holiday");
    expect(nextAllowed(at("2026-07-14T10:00:00Z"), rules).toISOString()).toBe("2026-07-15T07:00:00.000Z");
  });

  it("computes Easter Monday 2027 (29 March) and skips the whole long weekend", () => {
    expect(easter(2027)).toBe("2027-03-28");
    expect(frenchHolidays(2027)).toContain("2027-03-29");
    // Saturday 27 March 2027 20:30 → Sunday → Easter Monday → Tuesday 30 March 09:00 CEST.
    expect(nextAllowed(at("2027-03-27T19:30:00Z"), rules).toISOString()).toBe("2027-03-30T07:00:00.000Z");
  });

  it("knows the movable feasts of 2026", () => {
    const days = frenchHolidays(2026);
    expect(days).toContain("2026-04-06"); // lundi de Pâques
    expect(days).toContain("2026-05-14"); // Ascension
    expect(days).toContain("2026-05-25"); // lundi de Pentecôte
    expect(days.size).toBe(11);
  });

  it("lets a company without quiet rules send at any time", () => {
    const open = { ...rules, start: "00:00", end: "00:00", sundays: false, holidays: false };
    expect(nextAllowed(at("2026-07-14T22:00:00Z"), open).toISOString()).toBe("2026-07-14T22:00:00.000Z");
  });
});
