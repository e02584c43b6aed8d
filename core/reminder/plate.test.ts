import { describe, expect, it } from "vitest";
import { type PlateResult, parsePlate } from "./plate";

const messageOf = (result: PlateResult) => (result.ok ? "" : result.message);

describe("parsePlate", () => {
  it.each(["AB-123-CD", "ab123cd", "AB 123 CD", "ab-123 cd", " Ab\u00A0123\u00A0cD "])(
    "reads the SIV plate %j as AB-123-CD",
    (input) => {
      expect(parsePlate(input)).toEqual({ ok: true, plate: "AB-123-CD", format: "SIV" });
    },
  );

  it.each(["AI-123-CD", "AB-123-CO", "UB-123-CD"])("refuses %s: I, O and U are never used", (input) => {
    const result = parsePlate(input);
    expect(result).toMatchObject({ ok: false, code: "plate.invalid" });
    expect(messageOf(result)).toContain("I, O et U");
  });

  it("refuses the number 000", () => {
    const result = parsePlate("AB-000-CD");
    expect(messageOf(result)).toContain("000");
  });

  it.each(["SS-123-AB", "AB-123-SS"])("refuses SS at either end: %s", (input) => {
    const result = parsePlate(input);
    expect(messageOf(result)).toContain("SS");
  });

  it("refuses a temporary WW plate, saying why", () => {
    const result = parsePlate("WW-123-AB");
    expect(messageOf(result)).toContain("provisoire");
  });

  it.each([
    ["123 ABC 75", "123 ABC 75"],
    ["123abc75", "123 ABC 75"],
    ["1-A-01", "1 A 01"],
    ["9999 ZZ 95", "9999 ZZ 95"],
    ["456 AB 2A", "456 AB 2A"],
    ["456ab2b", "456 AB 2B"],
    ["78 XYZ 971", "78 XYZ 971"],
    ["78 XY 976", "78 XY 976"],
  ])("reads the FNI plate %j as %s", (input, plate) => {
    expect(parsePlate(input)).toEqual({ ok: true, plate, format: "FNI" });
  });

  it("refuses the département 20, which is written 2A or 2B", () => {
    const result = parsePlate("123 ABC 20");
    expect(result).toMatchObject({ ok: false, code: "plate.invalid" });
    expect(messageOf(result)).toContain("2A ou 2B");
  });

  it.each(["123 ABC 99", "123 ABC 00", "123 ABC 970", "123 ABC 977"])(
    "refuses the unknown département in %s",
    (input) => {
      const result = parsePlate(input);
      expect(messageOf(result)).toContain("inconnu");
    },
  );

  it.each(["", "AB-12-CD", "ABC-123-DE", "12345 AB 75", "123 ABCD 75", "AB-123-C?"])(
    "refuses %j and shows the expected format",
    (input) => {
      const result = parsePlate(input);
      expect(result).toMatchObject({ ok: false, code: "plate.invalid" });
      expect(messageOf(result)).toContain("AB-123-CD");
    },
  );
});
