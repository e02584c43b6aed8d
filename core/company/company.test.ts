import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { Company } from ".";
import { CompanyEntity } from "./company.entity";
import * as Parking from "./parking";

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

describe("Parking", () => {
  it("keeps one copy of a job sent again while the company is suspended, and none while it is active", async () => {
    const companyId = await Company.create({ code: freshCode(), name: "Suspendue" });
    const job = { kind: "campaign.launch", companyId, campaignId: ulid() };
    expect(await Parking.parkedWhileClosed(job)).toBe(false);
    await CompanyEntity.patch({ companyId }).set({ state: "suspended" }).go();
    // The sweeper drives a stalled campaign again every five minutes, fields in any order, `at` changing.
    expect(await Parking.parkedWhileClosed(job)).toBe(true);
    expect(await Parking.parkedWhileClosed({ campaignId: job.campaignId, companyId, kind: job.kind })).toBe(
      true,
    );
    expect(await Parking.parkedWhileClosed({ ...job, at: new Date().toISOString() })).toBe(true);
    expect(await Parking.parkedCount(companyId)).toBe(1);
    expect(await Parking.parkedWhileClosed({ ...job, campaignId: ulid() })).toBe(true);
    expect(await Parking.parkedCount(companyId)).toBe(2);
  });
});
