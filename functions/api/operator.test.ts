import { DescribePhoneNumbersCommand } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { GetScheduleCommand } from "@aws-sdk/client-scheduler";
import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { CampaignEntity } from "../../core/campaign/campaign.entity";
import { config } from "../../core/config";
import * as Job from "../../core/job";
import { scheduler } from "../../core/platform/clients/scheduler";
import { smsVoice } from "../../core/platform/clients/sms-voice";
import { Space } from "../../core/vault";
import { browser, loggedIn, newCompany, noQuietHours, operatorSignedIn, PASSWORD, until } from "./testing";

const mailbox = async (to: string) => {
  const store = (await (await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`)).json()) as {
    emails: Array<{ subject: string; destination: { to: string[] }; body: { text: string } }>;
  };
  return store.emails.filter((email) => email.destination.to.includes(to));
};
const outbound = async (to: string) =>
  (
    (await (
      await fetch(
        `${process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
      )
    ).json()) as { messages: unknown[] }
  ).messages;
const freshMobile = () => `+33617${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const context = { deadline: Date.now() + 60_000, timeLeft: () => 60_000, redelivered: false };

describe("operator console: sign-in and separation", () => {
  it("opens nothing but the TOTP step after the password alone", async () => {
    const operator = await operatorSignedIn();
    const half = browser();
    expect(
      (
        await half.post("/api/operator/auth/login", {
          email: operator.operator.email,
          password: "Operateur-solide-42",
        })
      ).status,
    ).toBe(200);
    const companies = await half.get("/api/operator/companies");
    expect(companies.status).toBe(401);
    expect(companies.body.error?.code).toBe("operator.totp_required");
    expect((await half.post("/api/operator/auth/totp", { code: "000000" })).status).toBe(401);
  });

  it("refuses a company session on every operator route, and an operator session on company routes", async () => {
    const company = await newCompany();
    const admin = await loggedIn(company, company.admin.email);
    for (const path of ["/api/operator/companies", "/api/operator/audit", "/api/operator/auth/session"])
      expect((await admin.get(path)).status, path).toBe(401);
    const created = await admin.post("/api/operator/companies", {
      code: `X${ulid().slice(-8)}`,
      name: "Évasion",
      admin: { email: "evasion@example.fr" },
    });
    expect(created.status).toBe(401);
    expect((await admin.post(`/api/operator/companies/${company.companyId}/suspend`, {})).status).toBe(401);

    const operator = await operatorSignedIn();
    for (const path of [
      "/api/users",
      "/api/agencies",
      "/api/auth/session",
      "/api/company/delivery",
      "/api/audit",
    ])
      expect((await operator.get(path)).status, path).toBe(401);
    expect((await operator.get("/api/operator/companies")).status).toBe(200);
  });

  it("needs the operator's CSRF token on mutations", async () => {
    const operator = await operatorSignedIn();
    const forged = await operator.request(
      "POST",
      "/api/operator/companies",
      {},
      { "x-csrf-token": "forged" },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error?.code).toBe("auth.csrf");
  });
});

describe("operator console: companies", () => {
  it("creates a company whose first Admin accepts the emailed invitation; both logs name the operator", async () => {
    const operator = await operatorSignedIn();
    const code = `N${ulid().slice(-8)}`;
    const email = `premier-admin-${ulid().toLowerCase()}@example.fr`;
    const created = await operator.post("/api/operator/companies", {
      code,
      name: "Intérim Nouveau",
      plan: "pro",
      admin: { email, firstName: "Paula" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const companyId = created.body.companyId as string;

    const [mail] = await until(async () => {
      const found = await mailbox(email);
      return found.length > 0 ? found : undefined;
    });
    expect(mail?.body.text).toContain(`code entreprise ${code}`);
    const token = /invitation\?token=([\w-]+)/.exec(mail?.body.text ?? "")?.[1];
    const admin = browser();
    const accepted = await admin.post(`/api/public/invitations/${token}/accept`, {
      firstName: "Paula",
      lastName: "Première",
      password: "Inscription-2026!",
      acceptTerms: true,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({
      user: { role: "admin", company: { code, name: "Intérim Nouveau" } },
    });

    const listed = (await operator.get("/api/operator/companies")).body.items as Array<
      Record<string, unknown>
    >;
    expect(listed.find((item) => item.companyId === companyId)).toMatchObject({
      code,
      plan: "pro",
      state: "active",
    });
    const log = (await admin.get("/api/audit?type=company.created")).body.items as Array<{
      actor?: { name: string };
    }>;
    expect(log[0]?.actor?.name).toBe("Opérateur Olga Opé");
    const own = (await operator.get("/api/operator/audit")).body.items as Array<{
      type: string;
      company?: { companyId: string };
    }>;
    expect(
      own.some((entry) => entry.type === "company.created" && entry.company?.companyId === companyId),
    ).toBe(true);
  });

  it("sets prices, the monthly cap, rate limits and identities; Admins see them but cannot change them", async () => {
    const company = await newCompany();
    const admin = await loggedIn(company, company.admin.email);
    const operator = await operatorSignedIn();
    const numbers = await smsVoice().send(new DescribePhoneNumbersCommand({}));
    const twoWay = numbers.PhoneNumbers!.find((number) => number.TwoWayEnabled)!.PhoneNumber!;
    const saved = await operator.patch(`/api/operator/companies/${company.companyId}/terms`, {
      smsUnitPriceMillicents: 5200,
      emailPriceMillicents: 90,
      monthlyCapMillicents: 120 * 100_000,
      perSecond: { sms: 4 },
      senderId: "RELAIS",
      replyNumber: twoWay,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.company).toMatchObject({
      terms: {
        smsUnitPriceMillicents: 5200,
        emailPriceMillicents: 90,
        monthlyCapMillicents: 12_000_000,
        perSecond: { sms: 4, email: 14 },
      },
      identities: {
        senderId: { value: "RELAIS", found: true },
        replyNumber: { value: twoWay, found: true, twoWay: true },
      },
    });
    const unknown = await operator.patch(`/api/operator/companies/${company.companyId}/terms`, {
      senderId: "INCONNU",
    });
    expect(unknown.body.error?.code).toBe("delivery.sender_id_unknown");

    const settings = await admin.get("/api/company/delivery");
    expect(settings.body).toMatchObject({
      monthlyCapEuros: 120,
      perSecond: { sms: 4 },
      perSecondMax: { sms: 4 },
      senderId: "RELAIS",
    });
    // The operator's rate is the ceiling: Admins may go lower, not higher.
    expect((await admin.patch("/api/company/delivery", { perSecond: { sms: 3 } })).status).toBe(200);
    expect((await admin.patch("/api/company/delivery", { perSecond: { sms: 5 } })).status).toBe(400);
    expect((await admin.patch("/api/company/delivery", { monthlyCapEuros: 100_000 })).status).toBe(400);
    expect((await admin.get("/api/company/delivery")).body.monthlyCapEuros).toBe(120);
    // Nor the price the cap and the bill read, nor the identities registered for the company.
    const priced = await admin.patch("/api/company", { smsUnitPriceMillicents: 0 });
    expect(priced.status).toBe(403);
    expect(priced.body.error?.code).toBe("company.price_by_operator");
    expect((await admin.get("/api/company")).body.smsUnitPriceMillicents).toBe(5200);
    const renamed = await admin.patch("/api/company/delivery", { senderId: "AUTRE" });
    expect(renamed.body.error?.code).toBe("delivery.identities_by_operator");
    const log = (await admin.get("/api/audit?type=company.terms_updated")).body.items as Array<{
      actor?: { name: string };
    }>;
    expect(log[0]?.actor?.name).toBe("Opérateur Olga Opé");
  });

  it("refuses unknown companies and impossible moves", async () => {
    const operator = await operatorSignedIn();
    expect((await operator.get(`/api/operator/companies/${ulid()}`)).status).toBe(404);
    const company = await newCompany();
    const reactivated = await operator.post(`/api/operator/companies/${company.companyId}/reactivate`, {});
    expect(reactivated.status).toBe(409);
    expect(reactivated.body.error?.code).toBe("company.state_invalid");
  });
});

describe("suspension", () => {
  it("blocks sign-in, sessions, API keys and the partner space, then lets them back in", async () => {
    const company = await newCompany();
    const admin = await loggedIn(company, company.admin.email);
    const key = (await admin.post("/api/api-keys", { name: "ERP", scopes: ["read"] })).body.key as string;
    const operator = await operatorSignedIn();
    const suspended = await operator.post(`/api/operator/companies/${company.companyId}/suspend`, {
      reason: "Factures impayées",
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.company).toMatchObject({ state: "suspended" });

    const session = await admin.get("/api/agencies");
    expect(session.status).toBe(403);
    expect(session.body.error?.code).toBe("company.suspended");
    const login = await browser().post("/api/auth/login", {
      companyCode: company.code,
      email: company.admin.email,
      password: PASSWORD,
    });
    expect(login.status).toBe(403);
    expect(login.body.error?.code).toBe("company.suspended");
    const withKey = await browser().request("GET", "/api/contacts", undefined, {
      authorization: `Bearer ${key}`,
    });
    expect(withKey.status).toBe(403);
    await expect(Space.open(company.companyId, ulid(), "code")).rejects.toMatchObject({
      code: "company.suspended",
    });

    const log = (await admin.get("/api/audit")).status;
    expect(log).toBe(403);
    expect((await operator.post(`/api/operator/companies/${company.companyId}/reactivate`, {})).status).toBe(
      200,
    );
    expect((await admin.get("/api/agencies")).status).toBe(200);
    expect(
      (await browser().request("GET", "/api/contacts", undefined, { authorization: `Bearer ${key}` })).status,
    ).toBe(200);
    const entries = (await admin.get("/api/audit")).body.items as Array<{ type: string; details?: object }>;
    expect(entries.find((entry) => entry.type === "company.suspended")?.details).toMatchObject({
      reason: "Factures impayées",
    });
    expect(entries.some((entry) => entry.type === "company.reactivated")).toBe(true);
  });

  it("parks a campaign whose time comes during the suspension, and sends it after reactivation", async () => {
    const company = await newCompany();
    const admin = await loggedIn(company, company.admin.email);
    await noQuietHours(admin);
    const mobile = freshMobile();
    const created = await admin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Info du jour",
      recipients: { entries: [mobile] },
      title: `Info ${ulid()}`,
      agencyId: company.agencies[0],
      sendAt: new Date(Date.now() + 40_000).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
    const operator = await operatorSignedIn();
    expect((await operator.post(`/api/operator/companies/${company.companyId}/suspend`, {})).status).toBe(
      200,
    );

    // The Scheduler fires while the company is suspended: the launch waits, nothing fails.
    const fired = await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Job.run(
        { kind: "campaign.launch", companyId: company.companyId, campaignId } as Job.Envelope,
        "dispatch",
        context,
      ),
    );
    expect(fired).toEqual({ outcome: "parked" });
    const { data } = await CampaignEntity.get({ companyId: company.companyId, campaignId }).go();
    expect(data?.status).toBe("scheduled");
    const detail = await operator.get(`/api/operator/companies/${company.companyId}`);
    expect((detail.body.company as { parkedJobs: number }).parkedJobs).toBeGreaterThanOrEqual(1);
    expect(await outbound(mobile)).toHaveLength(0);

    expect((await operator.post(`/api/operator/companies/${company.companyId}/reactivate`, {})).status).toBe(
      200,
    );
    await until(async () => ((await outbound(mobile)).length > 0 ? true : undefined), 60_000);
    expect(await outbound(mobile)).toHaveLength(1);
    const after = await operator.get(`/api/operator/companies/${company.companyId}`);
    expect((after.body.company as { parkedJobs: number }).parkedJobs).toBe(0);
  }, 90_000);

  it("closes a company: sign-in refused, erasure date set, the customer's export made, audited", async () => {
    const company = await newCompany();
    const admin = await loggedIn(company, company.admin.email);
    const marker = `Export${ulid()}`;
    expect(
      (
        await admin.post("/api/contacts", {
          firstName: "Zoé",
          lastName: marker,
          mobile: freshMobile(),
          agencyIds: [company.agencies[0]],
        })
      ).status,
    ).toBe(201);
    const operator = await operatorSignedIn();
    const closed = await operator.post(`/api/operator/companies/${company.companyId}/close`, {});
    expect(closed.status).toBe(200);
    const detail = closed.body.company as { state: string; erasureAt: string };
    expect(detail.state).toBe("closing");
    expect(Date.parse(detail.erasureAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // The erasure is an EventBridge schedule at that date, on the erasure queue (core/operator/erasure.ts).
    const erasure = await scheduler().send(
      new GetScheduleCommand({
        Name: `company-erase-${company.companyId}`,
        GroupName: config("SCHEDULE_GROUP"),
      }),
    );
    expect(erasure.ScheduleExpression).toBe(`at(${detail.erasureAt.slice(0, 19)})`);
    expect(erasure.Target?.Arn).toBe(config("ERASURE_QUEUE_ARN"));
    expect(JSON.parse(erasure.Target?.Input ?? "{}")).toMatchObject({ kind: "company.erase" });
    const login = await browser().post("/api/auth/login", {
      companyCode: company.code,
      email: company.admin.email,
      password: PASSWORD,
    });
    expect(login.body.error?.code).toBe("company.closed");
    expect((await operator.post(`/api/operator/companies/${company.companyId}/reactivate`, {})).status).toBe(
      409,
    );

    const exportUrl = await until(async () => {
      const detail = await operator.get(`/api/operator/companies/${company.companyId}`);
      return (detail.body.company as { exportUrl?: string }).exportUrl;
    }, 30_000);
    const workbook = Buffer.from(await (await fetch(exportUrl)).arrayBuffer());
    expect(workbook.subarray(0, 2).toString()).toBe("PK");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
    const cells = (name: string, line: number) =>
      (book.getWorksheet(name)!.getRow(line).values as unknown[]).slice(1);
    const headers = (name: string) => cells(name, 1);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(["Contacts", "Envois", "Messages"]);
    expect(headers("Contacts")).toEqual([
      "Prénom",
      "Nom",
      "Mobile",
      "Email",
      "Type",
      "Archivé",
      "Désabonné SMS le",
    ]);
    expect(headers("Envois")).toEqual(["Id", "Titre", "Type", "Statut", "Date d'envoi"]);
    expect(headers("Messages")).toEqual(["Envoi", "Canal", "À", "Texte", "Statut", "Envoyé le", "Réponse"]);
    const zoe = cells("Contacts", 2);
    expect(zoe.slice(0, 2)).toEqual(["Zoé", marker]);
    expect(zoe[5]).toBe("non");
    const log = (await operator.get("/api/operator/audit")).body.items as Array<{
      type: string;
      company?: { companyId: string };
    }>;
    expect(
      log.some((entry) => entry.type === "company.closed" && entry.company?.companyId === company.companyId),
    ).toBe(true);
  });
});
