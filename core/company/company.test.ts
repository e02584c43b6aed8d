import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { Company } from ".";

const freshCode = () => `T-${ulid().slice(-12)}`;

describe("Company", () => {
  it("finds a company by its code, whatever the case typed", async () => {
    const code = freshCode();
    const companyId = await Company.create({ code, name: "Intérim Test" });
    const found = await Company.fromCode(code.toLowerCase());
    expect(found?.companyId).toBe(companyId);
    expect(found?.timezone).toBe("Europe/Paris");
  });

  it("refuses a code another company already holds", async () => {
    const code = freshCode();
    await Company.create({ code, name: "Premier" });
    await expect(Company.create({ code, name: "Second" })).rejects.toMatchObject({
      code: "company.code_taken",
      status: 409,
    });
  });

  it("answers nothing for an unknown code", async () => {
    expect(await Company.fromCode(freshCode())).toBeUndefined();
  });
});
