import { describe, expect, it } from "vitest";
import { Suppression } from ".";
import { normaliseSync } from "./normalise-sync";

const cases: Array<[Suppression.Channel, string, string | undefined]> = [
  ["sms", "+33612345678", "+33612345678"],
  ["sms", " +33612345678 ", "+33612345678"],
  ["sms", "06 12 34 56 78", "+33612345678"],
  ["sms", "0033 6 12 34 56 78", "+33612345678"],
  ["sms", "6 12 34 56 78", "+33612345678"],
  ["sms", "0690 12 34 56", "+590690123456"],
  ["sms", "+44 7911 123456", "+447911123456"],
  ["sms", "+1234", undefined],
  ["sms", "not a number", undefined],
  ["sms", "   ", undefined],
  ["email", " Jane.Doe@Example.FR ", "jane.doe@example.fr"],
  ["email", "", undefined],
];

describe("Suppression.normalise", () => {
  it.each(cases)(
    "%s %j → %s, loading the phone parser only when needed, as normaliseSync",
    async (channel, address, expected) => {
      expect(await Suppression.normalise(channel, address)).toBe(expected);
      expect(normaliseSync(channel, address)).toBe(expected);
    },
  );
});
