import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { CompanyEntity } from "../../core/company/company.entity";
import { OperatorEntity } from "../../core/operator/operator.entity";
import * as OperatorSession from "../../core/operator/session";
import { Usage } from "../../core/usage";
import { monthOf, previousMonth } from "../../core/usage/month";
import { OPERATOR_COOKIE } from "./operator-session";
import { addUser, type Browser, browser, loggedIn, newCompany, type TestCompany } from "./testing";

let a: TestCompany;
let b: TestCompany;
let asA: Browser;
const month = monthOf(new Date());
const lastMonth = previousMonth(month);

/** A browser holding an operator's session (its TOTP step done), as op1's sign-in leaves it. */
async function operator() {
  const operatorId = ulid();
  await OperatorEntity.create({
    operatorId,
    email: `op-${operatorId.toLowerCase()}@relais.test`,
    name: "Opérateur Test",
    passwordHash: "unused",
    totpSecret: "unused",
  }).go();
  const opened = await OperatorSession.open(operatorId, false);
  const client = browser();
  client.cookies.set(OPERATOR_COOKIE, opened.token);
  return client;
}

beforeAll(async () => {
  [a, b] = await Promise.all([newCompany("Société Alpha"), newCompany("Société Bravo")]);
  // A formula in a customer's name must reach the invoicing sheet as text.
  await CompanyEntity.patch({ companyId: b.companyId })
    .set({ name: '=HYPERLINK("http://evil.example","Bravo")', smsMonthlyCapMillicents: 1_000_000 })
    .go();
  await Usage.add(a.companyId, month, { millicents: 75_000, smsUnits: 10, smsSent: 9, smsDelivered: 8 });
  await Usage.add(a.companyId, month, { emailsSent: 4, emailsDelivered: 3, emailsFailed: 1, imports: 12 });
  await Usage.add(a.companyId, lastMonth, { millicents: 15_000, smsUnits: 2, smsSent: 2 });
  await Usage.add(b.companyId, month, { millicents: 900_000, smsUnits: 120, smsSent: 120 });
  asA = await loggedIn(a, a.admin.email);
});

describe("« Consommation » (company side)", () => {
  it("shows an Admin this month against the cap and twelve months, of their company only", async () => {
    const answer = await asA.get("/api/usage");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ month, spentMillicents: 75_000, capMillicents: 50_000_000 });
    expect(answer.body.share).toBeCloseTo(75_000 / 50_000_000);
    const months = answer.body.months as Usage.MonthUsage[];
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toMatchObject({
      month,
      smsUnits: 10,
      smsSent: 9,
      smsDelivered: 8,
      emailsSent: 4,
      emailsFailed: 1,
      costMillicents: 75_000,
      imports: 12,
    });
    expect(months.at(-2)).toMatchObject({ month: lastMonth, smsUnits: 2, costMillicents: 15_000 });
    expect(JSON.stringify(answer.body)).not.toContain(b.companyId);
  });

  it("is for Admins only", async () => {
    const manager = await addUser(a, "manager", [a.agencies[0]]);
    const asManager = await loggedIn(a, manager.email);
    expect((await asManager.get("/api/usage")).status).toBe(403);
  });

  it("shows a company's cap share past 100 % when a send job overshot it", async () => {
    const asB = await loggedIn(b, b.admin.email);
    const answer = await asB.get("/api/usage");
    expect(answer.body).toMatchObject({ spentMillicents: 900_000, capMillicents: 1_000_000 });
    expect(answer.body.share).toBeCloseTo(0.9);
  });
});

describe("operator usage", () => {
  it("is refused to a company session, even an Admin's", async () => {
    for (const path of [
      "/api/operator/usage",
      `/api/operator/usage/${a.companyId}`,
      "/api/operator/usage/export",
    ])
      expect((await asA.get(path)).status).toBe(401);
  });

  it("lists every company of a month with units, emails, cost and imports", async () => {
    const answer = await (await operator()).get(`/api/operator/usage?month=${month}`);
    expect(answer.status).toBe(200);
    const items = answer.body.items as Usage.CompanyMonth[];
    expect(items.find((item) => item.companyId === a.companyId)).toMatchObject({
      code: a.code,
      name: "Société Alpha",
      smsUnits: 10,
      emailsSent: 4,
      costMillicents: 75_000,
      imports: 12,
    });
    expect(items.find((item) => item.companyId === b.companyId)).toMatchObject({ smsUnits: 120 });
    const last = await (await operator()).get(`/api/operator/usage?month=${lastMonth}`);
    const lastItems = last.body.items as Usage.CompanyMonth[];
    expect(lastItems.find((item) => item.companyId === a.companyId)).toMatchObject({ smsUnits: 2 });
    expect(lastItems.find((item) => item.companyId === b.companyId)).toBeUndefined();
  });

  it("refuses a month that is not YYYY-MM", async () => {
    expect((await (await operator()).get("/api/operator/usage?month=2026-13")).status).toBe(400);
  });

  it("shows one company's twelve months, and 404 for an unknown one", async () => {
    const client = await operator();
    const answer = await client.get(`/api/operator/usage/${a.companyId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ companyId: a.companyId, code: a.code, spentMillicents: 75_000 });
    expect(answer.body.months).toHaveLength(12);
    expect((await client.get(`/api/operator/usage/${ulid()}`)).status).toBe(404);
  });

  it("exports the month for invoicing, a row a company, names as text", async () => {
    const answer = await (await operator()).get(`/api/operator/usage/export?month=${month}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-disposition")).toContain(`consommation-${month}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.raw);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      "Code entreprise",
      "Entreprise",
      "Unités SMS",
      "SMS envoyés",
      "SMS délivrés",
      "SMS en échec",
      "Emails envoyés",
      "Emails délivrés",
      "Emails en échec",
      "Coût SMS (€)",
      "Coût emails (€)",
      "Total (€)",
      "Plafond (€)",
      "Lignes importées",
      "Stockage (Mo)",
    ]);
    const rows = new Map<string, unknown[]>();
    sheet.eachRow((row, index) => {
      if (index > 1) rows.set(String(row.getCell(1).value), (row.values as unknown[]).slice(1));
    });
    expect(rows.get(a.code)).toEqual([
      a.code,
      "Société Alpha",
      10,
      9,
      8,
      0,
      4,
      3,
      1,
      0.75,
      0,
      0.75,
      500,
      12,
      0,
    ]);
    const bravo = rows.get(b.code)!;
    expect(bravo[1]).toBe('=HYPERLINK("http://evil.example","Bravo")');
    expect(bravo.slice(9, 13)).toEqual([9, 0, 9, 10]);
    let formulas = 0;
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
      }),
    );
    expect(formulas).toBe(0);
  });
});
