import { addDays, addMonths } from "date-fns";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { AuditEntity, monthOf as auditMonthOf } from "../../core/audit/audit.entity";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { jobSize } from "../../core/campaign/jobs";
import { CompanyEntity } from "../../core/company/company.entity";
import { Delivery } from "../../core/delivery";
import { Suppression } from "../../core/suppression";
import { lambdaContext, snsEnvelope, sqsEvent, sqsRecord } from "../../core/test-helpers";
import { Usage } from "../../core/usage";
import { afterSpend } from "../../core/usage/cap-alerts";
import { monthOf } from "../../core/usage/month";
import { UsageEntity } from "../../core/usage/usage.entity";
import { type Browser, loggedIn, newCompany, noQuietHours, type TestCompany, until } from "../api/testing";
import { handler as emailEvents } from "../events/email-events";
import { handledBy, recorded } from "../subscribers/testing";

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const mailbox = () => process.env.AWS_ENDPOINT_URL_SESV2!;
const freshMobile = () => `+33617${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const month = () => monthOf(new Date());
const usageOf = async (companyId: string) =>
  (await UsageEntity.get({ companyId, month: month() }).go({ consistent: true })).data;

async function outbound(to: string) {
  const answer = await fetch(`${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`);
  return ((await answer.json()) as { messages: unknown[] }).messages;
}

async function ready() {
  const company = await newCompany();
  const admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
  return { company, admin };
}

async function campaign(
  admin: Browser,
  company: TestCompany,
  entries: string[],
  extra: object = {},
): Promise<string> {
  const created = await admin.post("/api/campaigns", {
    kind: "info",
    smsBody: "Info du jour",
    emailSubject: "Info du jour",
    emailHtml: "<p>Info du jour</p>",
    recipients: { entries },
    title: `Info ${ulid()}`,
    agencyId: company.agencies[0],
    ...extra,
  });
  expect(created.status).toBe(201);
  return (created.body.campaign as { campaignId: string }).campaignId;
}

const messagesOf = async (companyId: string, campaignId: string) =>
  (await MessageEntity.query.byCampaign({ companyId, campaignId }).go({ pages: "all" })).data;

describe("usage counters", () => {
  it("count a message's statuses once, however often and in whatever order its events come", async () => {
    const { company, admin } = await ready();
    const email = `usage-${ulid().toLowerCase()}@example.fr`;
    const campaignId = await campaign(admin, company, [freshMobile(), email], {
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const [first, second] = await messagesOf(company.companyId, campaignId);
    const smsRow = first!.channel === "sms" ? first! : second!;
    const emailRow = first!.channel === "sms" ? second! : first!;
    const key = { companyId: company.companyId, campaignId, messageId: smsRow.messageId };
    const smsEvent = (eventType: string) => ({ eventType, messageId: `p-${smsRow.messageId}`, context: key });
    for (const eventType of ["TEXT_DELIVERED", "TEXT_SUCCESSFUL", "TEXT_DELIVERED", "TEXT_UNREACHABLE"])
      await Delivery.smsEvent(smsEvent(eventType));
    const sesEvent = (eventType: string, extra: object) =>
      sqsEvent(
        sqsRecord(
          snsEnvelope({
            eventType,
            mail: {
              timestamp: new Date().toISOString(),
              source: "no-reply@relais.localhost",
              messageId: `ses-${emailRow.messageId}`,
              destination: [email],
              tags: {
                companyId: [company.companyId],
                campaignId: [campaignId],
                messageId: [emailRow.messageId],
              },
            },
            ...extra,
          }),
        ),
      );
    const bounce = { bounce: { bounceType: "Permanent", bounceSubType: "NoEmail" } };
    for (let times = 0; times < 3; times++) await emailEvents(sesEvent("Bounce", bounce), lambdaContext());

    const [usage] = (await Usage.months(company.companyId, 1)).slice(-1);
    expect(usage).toMatchObject({
      smsSent: 1,
      smsDelivered: 1,
      smsFailed: 0,
      emailsSent: 0,
      emailsFailed: 1,
    });
  });

  it("count what a campaign sent: SMS units and emails at the company's prices", async () => {
    const { company, admin } = await ready();
    await CompanyEntity.patch({ companyId: company.companyId })
      .set({ emailPriceMillicents: 300, smsUnitPriceMillicents: 6_100 })
      .go();
    const mobiles = [freshMobile(), freshMobile(), `usage-${ulid().toLowerCase()}@example.fr`];
    // Over 160 GSM characters: two SMS units each.
    const body = `Bonjour, ${"la mission de demain commence à 8 h à l'agence. ".repeat(4)}`;
    const campaignId = await campaign(admin, company, mobiles, { smsBody: body });
    const messages = await until(async () => {
      const rows = await messagesOf(company.companyId, campaignId);
      return rows.every((row) => row.status === "sent" || row.status === "delivered") ? rows : undefined;
    });
    const units = messages
      .filter((row) => row.channel === "sms")
      .reduce((sum, row) => sum + (row.units ?? 1), 0);
    expect(units).toBe(4);
    expect(await usageOf(company.companyId)).toMatchObject({
      smsUnits: units,
      // The operator's price for France, as the preview showed it, not the table's.
      millicents: units * 6_100,
      smsSent: 2,
      emailsSent: 1,
      emailMillicents: 300,
    });
  });

  it("give back what a send job reserved and did not send", async () => {
    const { company, admin } = await ready();
    const mobile = freshMobile();
    const campaignId = await campaign(admin, company, [mobile, freshMobile()], {
      sendAt: new Date(Date.now() + 45_000).toISOString(),
    });
    // One number is suppressed after the campaign was written: reserved with the job, never sent.
    await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Suppression.add({ companyId: company.companyId, channel: "sms", address: mobile, source: "STOP" }),
    );
    await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Delivery.launch({ kind: "campaign.launch", companyId: company.companyId, campaignId }),
    );
    await until(async () => {
      const all = await messagesOf(company.companyId, campaignId);
      return all.every((row) => row.status !== "scheduled") ? all : undefined;
    });
    const all = await messagesOf(company.companyId, campaignId);
    const sent = all.filter((row) => row.status === "sent" || row.status === "delivered");
    expect(sent).toHaveLength(1);
    expect(all.find((row) => row.to === mobile)?.status).toBe("unsubscribed");
    const usage = await usageOf(company.companyId);
    expect(usage?.millicents).toBe(4_500);
    expect(usage?.smsUnits).toBe(1);
  });
});

describe("the monthly cap", () => {
  it("holds under concurrent campaigns: no overshoot beyond one send job, one alert", async () => {
    const { company, admin } = await ready();
    const cap = 100_000;
    const price = 4_500;
    await CompanyEntity.patch({ companyId: company.companyId })
      .set({ smsMonthlyCapMillicents: cap, smsUnitPriceMillicents: price })
      .go();
    // 90 % spent already.
    await Usage.add(company.companyId, month(), { millicents: 90_000 });
    const campaignIds: string[] = [];
    for (let index = 0; index < 4; index++)
      campaignIds.push(
        await campaign(
          admin,
          company,
          Array.from({ length: 30 }, () => freshMobile()),
          {
            sendAt: new Date(Date.now() + 45_000).toISOString(),
            emailSubject: undefined,
            emailHtml: undefined,
          },
        ),
      );
    await Promise.all(
      campaignIds.map((campaignId) =>
        withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
          Delivery.launch({ kind: "campaign.launch", companyId: company.companyId, campaignId }),
        ),
      ),
    );
    const all = await until(async () => {
      const rows = (await Promise.all(campaignIds.map((id) => messagesOf(company.companyId, id)))).flat();
      return rows.length === 120 && rows.every((row) => row.status !== "scheduled") ? rows : undefined;
    }, 60_000);
    const sent = all.filter((row) => row.status === "sent" || row.status === "delivered");
    const refused = all.filter((row) => row.statusReason?.startsWith("MONTHLY_CAP_REACHED"));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(jobSize);
    expect(refused.length).toBe(120 - sent.length);
    // What the provider received, not only what was recorded.
    const received = await Promise.all(all.map(async (row) => (await outbound(row.to)).length));
    expect(received.reduce((sum, count) => sum + count, 0)).toBe(sent.length);
    const usage = await usageOf(company.companyId);
    // The cap and the usage are one number: what was spent before, plus what left.
    expect(usage?.millicents).toBe(90_000 + sent.length * price);
    expect(usage!.millicents!).toBeLessThanOrEqual(cap + jobSize * price);
    expect(usage?.alerted100At).toBeDefined();
    const alerts = await recorded(company.companyId, "usage.cap_threshold_reached");
    expect(alerts.map((alert) => alert.payload)).toEqual([
      { month: month(), threshold: 100, spentMillicents: usage!.millicents, capMillicents: cap },
    ]);
    // The composer refuses the next campaign of the month, saying why.
    const next = await admin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Info du jour",
      recipients: { entries: [freshMobile()] },
      title: `Info ${ulid()}`,
      agencyId: company.agencies[0],
    });
    expect(next.status).toBe(409);
    expect(next.body.error?.code).toBe("campaign.cap_reached");
  });

  it("alerts the Admins once at 80 % and once at 100 %, however many jobs cross it together", async () => {
    const { company } = await ready();
    const cap = 1_000_000;
    const race = async (millicents: number) => {
      const { data } = await UsageEntity.get({ companyId: company.companyId, month: month() }).go({
        consistent: true,
      });
      return Promise.all(
        Array.from({ length: 8 }, () => afterSpend(company.companyId, month(), { ...data, millicents }, cap)),
      );
    };
    expect(await race(700_000)).toEqual(Array(8).fill(undefined));
    expect((await race(850_000)).filter(Boolean)).toEqual([80]);
    expect((await race(900_000)).filter(Boolean)).toEqual([]);
    expect((await race(1_000_000)).filter(Boolean)).toEqual([100]);
    expect((await race(1_200_000)).filter(Boolean)).toEqual([]);

    const { data: entries } = await AuditEntity.query
      .byMonth({ companyId: company.companyId, month: auditMonthOf(new Date()) })
      .go({ pages: "all" });
    const alerts = entries.filter((entry) => entry.type === "usage.cap_alert");
    expect(alerts.map((entry) => (entry.details as { threshold: number }).threshold).sort()).toEqual([
      100, 80,
    ]);

    const events = await recorded(company.companyId, "usage.cap_threshold_reached");
    expect(events).toHaveLength(2);
    for (const event of events) await handledBy("cap-alert", event);
    const store = (await (await fetch(`${mailbox()}/store`)).json()) as {
      emails: Array<{ subject: string; to?: unknown }>;
    };
    const mine = store.emails.filter((email) =>
      JSON.stringify(email.to ?? email).includes(company.admin.email),
    );
    const subjects = mine.map((email) => email.subject).sort();
    expect(subjects).toHaveLength(2);
    expect(subjects[0]).toBe("80 % du plafond mensuel SMS consommé / 80 % of the monthly SMS cap used");
    expect(subjects[1]).toMatch(/^Plafond mensuel SMS atteint \(10,00\s€\) \/ Monthly SMS cap reached$/);
  });
});

async function postForm(
  target: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  type = "",
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], type ? { type } : {}));
  const posted = await fetch(target.url, { method: "POST", body: form });
  expect(posted.status).toBeLessThan(300);
}

const thisMonthOf = async (companyId: string) => (await Usage.months(companyId, 1)).at(-1)!;

describe("imports and storage", () => {
  it("count the rows an import landed, once", async () => {
    const { company, admin } = await ready();
    const tag = ulid().toLowerCase();
    // Mainland mobiles only (06 39 is Mayotte's).
    const base = 610_000_000 + Math.floor(Math.random() * 27_000_000);
    const lines = ["Prénom;Nom;Mobile;Email"];
    for (let index = 0; index < 3; index++)
      lines.push(`Camille;Martin ${index};0${base + index};c${index}.${tag}@example.fr`);
    const bytes = Buffer.from(`${lines.join("\n")}\n`, "utf8");
    const created = await admin.post("/api/contact-imports", {
      fileName: "contacts.csv",
      size: bytes.byteLength,
    });
    expect(created.status).toBe(201);
    const { import: info, upload } = created.body as unknown as {
      import: { importId: string };
      upload: { url: string; fields: Record<string, string> };
    };
    await postForm(upload, bytes);
    expect((await admin.post(`/api/contact-imports/${info.importId}/check`, {})).status).toBe(200);
    await admin.post(`/api/contact-imports/${info.importId}/start`, {
      agencyIds: [company.agencies[0]],
      onlyValid: true,
    });
    await until(async () => {
      const answer = await admin.get(`/api/contact-imports/${info.importId}`);
      return (answer.body.import as { status: string }).status === "done" ? true : undefined;
    });
    expect((await thisMonthOf(company.companyId)).imports).toBe(3);
  });

  it("count a published document's bytes, and free them once when retention deletes it", async () => {
    const { company, admin } = await ready();
    const partner = await admin.post("/api/partners", {
      kind: "person",
      firstName: "Jean",
      lastName: "Stockage",
      matricule: `S${ulid().slice(-6)}`,
      mobile: freshMobile(),
      categoryIds: ["interimaire"],
    });
    expect(partner.status).toBe(201);
    const partnerId = (partner.body.partner as { partnerId: string }).partnerId;
    const bytes = new TextEncoder().encode(`%PDF-1.4\n% ${ulid()}\n%%EOF\n`);
    const created = await admin.post("/api/vault/batches", {
      typeId: "bulletin-de-paie",
      agencyId: company.agencies[0],
      files: [{ fileName: "bulletin.pdf", size: bytes.length, partnerId }],
    });
    expect(created.status).toBe(201);
    const [upload] = created.body.uploads as Array<{ url: string; fields: Record<string, string> }>;
    await postForm(upload!, bytes, "application/pdf");
    const batchId = created.body.batchId as string;
    expect((await admin.post(`/api/vault/batches/${batchId}/publish`)).status).toBe(202);
    await until(async () => {
      const batch = await admin.get(`/api/vault/batches/${batchId}`);
      return (batch.body.batch as { status: string }).status === "published" ? true : undefined;
    });
    expect((await thisMonthOf(company.companyId)).storageBytes).toBe(bytes.length);
    expect((await usageOf(company.companyId))?.storageBytes).toBe(bytes.length);

    const { applyRetention } = await import("../../core/vault/retention");
    // Bulletin de paie: kept 60 months; the job looks a week back.
    const later = addDays(addMonths(new Date(), 60), 2);
    await applyRetention(later);
    await applyRetention(later);
    expect((await thisMonthOf(company.companyId)).storageBytes).toBe(0);
  });
});
