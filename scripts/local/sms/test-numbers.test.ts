import { describe, expect, it } from "vitest";
import { Phone } from "../../../core/phone";
import { testNumbers } from "./test-numbers";

describe("reserved test numbers", () => {
  it("are French mobiles the app accepts, typed the way people type them", () => {
    for (const { number } of testNumbers) {
      const national = `0${number.slice(3)}`;
      expect(Phone.parse(number), number).toMatchObject({ e164: number, mobile: true, country: "FR" });
      expect(Phone.mobile(national), national).toBe(number);
    }
  });
});
