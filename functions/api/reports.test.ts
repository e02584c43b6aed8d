import { formatInTimeZone } from "date-fns-tz";
import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { Delivery } from "../../core/delivery";
import {
  addUser,
  type Browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/** « Rapports » and « Accueil »: the campaigns' own numbers, per month, agency and user, as each role sees them. */
let company: TestCompany;
let admin: Browser;
let user: Browser;
let other: Browser;
const month = () => formatInTimeZone(new Date(), "Europe/Paris", "yyyy-MM");
const mobile = () => `+33616${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

type Outcomes = { sent: number; delivered: number; replied: number; unsubscribed: number };
type Totals = {
  campaigns: number;
  sent: number;
  delivered: number;
  answered: number;
  optedOut: number;
  deliveryRate: number | null;
  answerRate: number | null;
};
type Report = {
  total: Totals;
  months: Array<Totals & { month: string }>;
  agencies: Array<Totals & { agencyId: string; name: string }>;
  users: Array<Totals & { userId: string; name: string }>;
};

/** A Yes/No sent now to two numbers, both delivered, one answered « oui ». */
async function answeredCampaign(client: Browser, companyId: string, agencyId: string) {
  const numbers = [mobile(), mobile()];
  const created = await client.post("/api/campaigns", {
    kind: "yesno",
    title: `Mission ${ulid()}`,
    smsBody: "Mission demain, dispo ?",
    recipients: { entries: numbers },
    agencyId,
  });
  expect(created.status).toBe(201);
  const { campaignId } = created.body.campaign as { campaignId: string };
  const key = { companyId, campaignId };
  const sent = await until(async () => {
    const { data } = await MessageEntity.query.byCampaign(key).go({ consistent: true });
    // the SMS emulator may report the delivery before we look: sent or delivered, it left
    const left = data.every((message) => message.status === "sent" || message.status === "delivered");
    return data.length === 2 && left ? data : undefined;
  });
  const first = sent.find((message) => message.to === numbers[0])!;
  for (const message of sent)
    await Delivery.smsEvent({
      eventType: "TEXT_DELIVERED",
      messageId: message.providerMessageId!,
      context: { ...key, messageId: message.messageId },
    });
  await Delivery.inboundSms({
    originationNumber: numbers[0]!,
    destinationNumber: first.from ?? "+33700000000",
    messageBody: "oui",
    inboundMessageId: ulid(),
    previousPublishedMessageId: first.providerMessageId,
  });
  return until(async () => {
    const answer = await client.get(`/api/campaigns/${campaignId}`);
    const campaign = answer.body.campaign as { campaignId: string; title: string; outcomes: Outcomes };
    return campaign.outcomes.replied === 1 && campaign.outcomes.delivered === 2 ? campaign : undefined;
  });
}

let adminCampaign: { campaignId: string; title: string; outcomes: Outcomes };
let userCampaign: { campaignId: string; title: string; outcomes: Outcomes };
let userId: string;

beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
  const plain = await addUser(company, "user", [company.agencies[1]!]);
  user = await loggedIn(company, plain.email);
  userId = ((await user.get("/api/auth/session")).body.user as { userId: string }).userId;
  adminCampaign = await answeredCampaign(admin, company.companyId, company.agencies[0]!);
  userCampaign = await answeredCampaign(user, company.companyId, company.agencies[1]!);
  // Another company sending the same month: never counted in the first one's report.
  const elsewhere = await newCompany();
  other = await loggedIn(elsewhere, elsewhere.admin.email);
  await noQuietHours(other);
  await answeredCampaign(other, elsewhere.companyId, elsewhere.agencies[0]!);
});

const reportOf = async (client: Browser, query = `from=${month()}&to=${month()}`) => {
  const answer = await client.get(`/api/reports?${query}`);
  expect(answer.status).toBe(200);
  return answer.body as unknown as Report;
};

describe("Rapports", () => {
  it("counts each agency as its campaigns' own summaries do", async () => {
    const report = await reportOf(admin);
    const lyon = report.agencies.find((row) => row.agencyId === company.agencies[0])!;
    const { outcomes } = (await admin.get(`/api/campaigns/${adminCampaign.campaignId}`)).body
      .campaign as typeof adminCampaign;
    expect(lyon).toMatchObject({
      campaigns: 1,
      sent: outcomes.sent,
      delivered: outcomes.delivered,
      answered: outcomes.replied,
      optedOut: outcomes.unsubscribed,
    });
    expect(lyon.deliveryRate).toBe(outcomes.delivered / outcomes.sent);
    expect(lyon.answerRate).toBe(outcomes.replied / outcomes.delivered);
    const [current] = report.months;
    expect(current).toMatchObject({ month: month(), campaigns: 2, sent: 4, delivered: 4, answered: 2 });
    expect(report.total.campaigns).toBe(2);
    expect(report.users.find((row) => row.userId === userId)).toMatchObject({ campaigns: 1, answered: 1 });
  });

  it("never counts another company's campaigns", async () => {
    const mine = await reportOf(other);
    expect(mine.total.campaigns).toBe(1);
    expect(mine.agencies.map((row) => row.agencyId)).not.toContain(company.agencies[0]);
  });

  it("shows a plain user their agencies only", async () => {
    const report = await reportOf(user);
    expect(report.agencies.map((row) => row.agencyId)).toEqual([company.agencies[1]]);
    expect(report.total).toMatchObject({ campaigns: 1, sent: userCampaign.outcomes.sent });
    expect(report.users.map((row) => row.userId)).toEqual([userId]);
  });

  it("lists every month of the period, empty ones at zero", async () => {
    const report = await reportOf(admin, "from=2020-01&to=2020-03");
    expect(report.months.map((row) => row.month)).toEqual(["2020-01", "2020-02", "2020-03"]);
    expect(report.months[0]).toMatchObject({ campaigns: 0, deliveryRate: null, answerRate: null });
  });

  it.each([
    ["a month that is not one", "from=2026-13&to=2026-12", "from"],
    ["a start after the end", "from=2026-06&to=2026-05", "from"],
    ["more than 24 months", "from=2024-01&to=2026-01", "to"],
  ])("refuses %s with a 422 naming the field", async (_, query, field) => {
    for (const path of ["/api/reports", "/api/reports/export"]) {
      const answer = await admin.get(`${path}?${query}`);
      expect(answer.status).toBe(422);
      const error = answer.body.error as unknown as { code: string; fields: Array<{ path: string }> };
      expect(error.code).toBe("report.bad_period");
      expect(error.fields[0]!.path).toBe(field);
    }
  });

  it("exports the report to Excel with names that cannot run as formulas", async () => {
    const renamed = await admin.patch(`/api/agencies/${company.agencies[0]}`, { name: '=HYPERLINK("x")' });
    expect(renamed.status).toBe(200);
    const answer = await admin.get(`/api/reports/export?from=${month()}&to=${month()}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(answer.raw as ArrayBuffer);
    const months = book.getWorksheet("Par mois")!;
    expect(months.getRow(2).getCell(1).value).toBe(month());
    expect(months.getRow(2).getCell(3).value).toBe(4);
    const agencies = book.getWorksheet("Par agence")!;
    const names = [2, 3].map((row) => agencies.getRow(row).getCell(1));
    const formula = names.find((cell) => String(cell.value).startsWith("="))!;
    expect(formula.value).toBe('=HYPERLINK("x")');
    expect(formula.type).toBe(ExcelJS.ValueType.String);
  });
});

describe("Accueil", () => {
  it("has nothing to show a brand-new company", async () => {
    const fresh = await newCompany();
    const home = await (await loggedIn(fresh, fresh.admin.email)).get("/api/home");
    expect(home.status).toBe(200);
    expect(home.body).toEqual({ recent: [], replies: [], scheduled: [] });
  });

  it("shows my latest campaigns and their replies, within my agencies", async () => {
    const home = (await user.get("/api/home")).body as unknown as {
      recent: Array<{ campaignId: string }>;
      replies: Array<{ campaignId: string; excerpt: string; classification: string }>;
      scheduled: unknown[];
    };
    expect(home.recent.map((row) => row.campaignId)).toEqual([userCampaign.campaignId]);
    expect(home.replies).toEqual([
      expect.objectContaining({ campaignId: userCampaign.campaignId, excerpt: "oui", classification: "yes" }),
    ]);
    const seen = (await admin.get("/api/home")).body as unknown as { recent: Array<{ campaignId: string }> };
    expect(seen.recent.map((row) => row.campaignId)).toContain(adminCampaign.campaignId);
  });

  it("shows two replies to the same message (« oui » then « merci »)", async () => {
    const fresh = await newCompany();
    const client = await loggedIn(fresh, fresh.admin.email);
    await noQuietHours(client);
    const { campaignId } = await answeredCampaign(client, fresh.companyId, fresh.agencies[0]!);
    const [message] = (
      await MessageEntity.query
        .byCampaign({ companyId: fresh.companyId, campaignId })
        .go({ consistent: true })
    ).data.filter((each) => each.replyBody);
    await Delivery.inboundSms({
      originationNumber: message!.to,
      destinationNumber: message!.from ?? "+33700000000",
      messageBody: "merci",
      inboundMessageId: ulid(),
      previousPublishedMessageId: message!.providerMessageId,
    });
    const home = await until(async () => {
      const answer = await client.get("/api/home");
      expect(answer.status).toBe(200);
      const replies = (answer.body as unknown as { replies: unknown[] }).replies;
      return replies.length === 2 ? replies : undefined;
    });
    expect(home).toHaveLength(2);
  });

  it("lists what is scheduled, soonest first", async () => {
    const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const schedule = async (days: number) => {
      const created = await user.post("/api/campaigns", {
        kind: "info",
        title: `Planning ${days}`,
        smsBody: "Info agence",
        recipients: { entries: [mobile()] },
        agencyId: company.agencies[1],
        sendAt: at(days),
      });
      return (created.body.campaign as { campaignId: string }).campaignId;
    };
    const later = await schedule(9);
    const sooner = await schedule(3);
    const home = (await user.get("/api/home")).body as unknown as {
      scheduled: Array<{ campaignId: string }>;
    };
    expect(home.scheduled.map((row) => row.campaignId)).toEqual([sooner, later]);
  });
});
