import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { CompanyEntity } from "../../core/company/company.entity";
import { Delivery } from "../../core/delivery";
import * as Pricing from "../../core/delivery/pricing";
import { type Browser, loggedIn, newCompany, noQuietHours, type TestCompany, until } from "../api/testing";

/** SMS pumping: destinations are an allowlist per company, priced per country, and capped per month. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const freshMobile = () => `+33616${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const outbound = async (to: string) =>
  (
    (await (
      await fetch(
        `${process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
      )
    ).json()) as { messages: unknown[] }
  ).messages;

const preview = (entries: string[]) =>
  admin.post("/api/campaigns/preview", { kind: "info", smsBody: "Info du jour", recipients: { entries } });

/** A campaign due within the minute, launched by hand once the test has changed what it needs. */
async function dueCampaign(entries: string[]) {
  const created = await admin.post("/api/campaigns", {
    kind: "info",
    smsBody: "Info du jour",
    recipients: { entries },
    title: `Info ${ulid()}`,
    agencyId: company.agencies[0],
    sendAt: new Date(Date.now() + 45_000).toISOString(),
  });
  expect(created.status).toBe(201);
  return (created.body.campaign as { campaignId: string }).campaignId;
}
const launch = (campaignId: string) =>
  withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
    Delivery.launch({ kind: "campaign.launch", companyId: company.companyId, campaignId }),
  );
const finalMessage = (campaignId: string) =>
  until(async () => {
    const { data } = await MessageEntity.query.byCampaign({ companyId: company.companyId, campaignId }).go();
    return data[0] && data[0].status !== "scheduled" ? data[0] : undefined;
  });

describe("SMS destinations", () => {
  it("refuses numbers outside France and overseas by default, saying why", async () => {
    const foreign = ["+2348031234567", "+79161234567", "+5351234567", "+12684641234", "+870773111111"];
    const answer = await preview([...foreign, "0612345678", "+590690123456"]);
    expect(answer.status).toBe(200);
    const rows = answer.body.recipients as Array<{
      mobile?: string;
      channel: string | null;
      excludedReason?: string;
    }>;
    const refused = rows.filter((row) => row.excludedReason === "country_not_allowed");
    expect(refused).toHaveLength(rows.length - 2);
    expect(rows.filter((row) => row.channel === "sms").map((row) => row.mobile)).toEqual([
      "+33612345678",
      "+590690123456",
    ]);
  });

  it("prices each recipient at their country's price", async () => {
    const answer = await preview(["+590690123456"]);
    const totals = answer.body.totals as { smsUnits: number; costMillicents: number };
    expect(totals.costMillicents).toBe(totals.smsUnits * Pricing.prices.GP!.millicents);
  });

  it("lets an Admin allow priced countries only", async () => {
    expect((await admin.patch("/api/company/delivery", { smsCountries: ["FR", "NG"] })).status).toBe(400);
    const allowed = await admin.patch("/api/company/delivery", { smsCountries: ["FR", "BE"] });
    expect(allowed.status).toBe(200);
    expect(allowed.body.smsCountries).toEqual(["FR", "BE"]);
    const answer = await preview(["+32470123456", "+590690123456"]);
    const rows = answer.body.recipients as Array<{ channel: string | null; excludedReason?: string }>;
    expect(rows.map((row) => row.channel ?? row.excludedReason)).toEqual(["sms", "country_not_allowed"]);
    await admin.patch("/api/company/delivery", { smsCountries: Pricing.defaultCountries });
  });

  it("checks the country again at send time", async () => {
    const campaignId = await dueCampaign(["+590690123457"]);
    await admin.patch("/api/company/delivery", { smsCountries: ["FR"] });
    try {
      await launch(campaignId);
      const message = await finalMessage(campaignId);
      expect(message).toMatchObject({ status: "undeliverable", statusReason: "Country not allowed (GP)" });
      expect(await outbound("+590690123457")).toHaveLength(0);
    } finally {
      await admin.patch("/api/company/delivery", { smsCountries: Pricing.defaultCountries });
    }
  });

  it("asks End User Messaging never to charge more than the country's ceiling", () => {
    expect(Pricing.maxPrice("+33612345678", 2)).toBe((2 * Pricing.prices.FR!.maxUsd).toFixed(2));
    expect(Pricing.maxPrice("+2348031234567", 1)).toBeUndefined();
  });
});

describe("monthly SMS cap", () => {
  it("stops a company's sends once its monthly cap is spent, with a clear reason", async () => {
    const own = await newCompany();
    const ownAdmin = await loggedIn(own, own.admin.email);
    await noQuietHours(ownAdmin);
    const mobile = freshMobile();
    const created = await ownAdmin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Info du jour",
      recipients: { entries: [mobile] },
      title: `Info ${ulid()}`,
      agencyId: own.agencies[0],
      sendAt: new Date(Date.now() + 45_000).toISOString(),
    });
    const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
    // The cap is the operators' (core/operator): set in the table as their terms would.
    await CompanyEntity.patch({ companyId: own.companyId }).set({ smsMonthlyCapMillicents: 0 }).go();
    await withActor({ type: "system", companyId: own.companyId, reason: "test" }, () =>
      Delivery.launch({ kind: "campaign.launch", companyId: own.companyId, campaignId }),
    );
    const message = await until(async () => {
      const { data } = await MessageEntity.query.byCampaign({ companyId: own.companyId, campaignId }).go();
      return data[0] && data[0].status !== "scheduled" ? data[0] : undefined;
    });
    expect(message.status).toBe("failed");
    expect(message.statusReason).toMatch(/^MONTHLY_CAP_REACHED/);
    expect(await outbound(mobile)).toHaveLength(0);
  });

  it("refuses a campaign for this month at creation once the cap is spent, and one for next month not", async () => {
    const own = await newCompany();
    const ownAdmin = await loggedIn(own, own.admin.email);
    // The cap is the operators' (core/operator): set in the table as their terms would.
    await CompanyEntity.patch({ companyId: own.companyId }).set({ smsMonthlyCapMillicents: 0 }).go();
    const draft = {
      kind: "info",
      smsBody: "Info du jour",
      recipients: { entries: [freshMobile()] },
      title: `Info ${ulid()}`,
      agencyId: own.agencies[0],
    };
    const now = await ownAdmin.post("/api/campaigns", draft);
    expect(now.status).toBe(409);
    expect(now.body.error?.code).toBe("campaign.cap_reached");
    const nextMonth = new Date();
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 15);
    const later = await ownAdmin.post("/api/campaigns", { ...draft, sendAt: nextMonth.toISOString() });
    expect(later.status).toBe(201);
  });

  it("counts what each send reserved against the month", async () => {
    const own = await newCompany();
    const ownAdmin = await loggedIn(own, own.admin.email);
    await noQuietHours(ownAdmin);
    const mobile = freshMobile();
    await ownAdmin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Info du jour",
      recipients: { entries: [mobile] },
      title: `Info ${ulid()}`,
      agencyId: own.agencies[0],
    });
    await until(async () => ((await outbound(mobile)).length > 0 ? true : undefined));
    const settings = await ownAdmin.get("/api/company/delivery");
    // One SMS to France at the company's own price (operators' terms; 4,500 millicents by default).
    expect(settings.body.spentThisMonthEuros).toBe(4_500 / 100_000);
    expect(settings.body.monthlyCapEuros).toBe(500);
  });
});
