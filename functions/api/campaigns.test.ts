import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
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

/** Envois: filters, the Excel export, and « Relancer » to those who did not answer. */
let company: TestCompany;
let admin: Browser;
let manager: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
  manager = await loggedIn(company, (await addUser(company, "manager", [company.agencies[1]!])).email);
});

const mobile = () => `+33616${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const later = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

async function create(client: Browser, body: Record<string, unknown>) {
  const created = await client.post("/api/campaigns", {
    kind: "info",
    smsBody: "Info agence",
    recipients: { entries: [mobile()] },
    agencyId: company.agencies[0],
    sendAt: later(),
    ...body,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.campaign as { campaignId: string; title: string };
}

type Listed = { items: Array<{ title: string; outcomes: { yes: number } }> };
const titles = async (client: Browser, query: string) =>
  ((await client.get(`/api/campaigns?${query}`)).body as unknown as Listed).items
    .map((item) => item.title)
    .sort();

describe("Envois", () => {
  it("filters by words (accents and case folded), kind, agency, sender and dates", async () => {
    const tag = ulid().slice(-6).toLowerCase();
    await create(admin, { title: `Réunion d'équipe ${tag}`, reference: "RH-12" });
    await create(admin, { title: `Mission Lyon ${tag}`, kind: "yesno", smsBody: "Dispo ?" });
    await create(manager, { title: `Planning ${tag}`, agencyId: company.agencies[1] });
    expect(await titles(admin, `q=reunion%20${tag}`)).toEqual([`Réunion d'équipe ${tag}`]);
    expect(await titles(admin, `q=rh-12`)).toEqual([`Réunion d'équipe ${tag}`]);
    expect(await titles(admin, `q=${tag}&kind=yesno`)).toEqual([`Mission Lyon ${tag}`]);
    expect(await titles(admin, `q=${tag}&agencyId=${company.agencies[1]}`)).toEqual([`Planning ${tag}`]);
    const managerId = (await manager.get("/api/auth/session")).body.user as { userId: string };
    expect(await titles(admin, `q=${tag}&createdBy=${managerId.userId}`)).toEqual([`Planning ${tag}`]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await titles(admin, `q=${tag}&from=${today}`)).toHaveLength(3);
    expect(await titles(admin, `q=${tag}&to=2020-01-01`)).toEqual([]);
    // a Manager only sees the agencies they belong to, whatever the filters say
    expect(await titles(manager, `q=${tag}`)).toEqual([`Planning ${tag}`]);
    expect(await titles(manager, `q=${tag}&agencyId=${company.agencies[0]}`)).toEqual([]);
  });

  it("exports the filtered campaigns to Excel with values that cannot run as formulas", async () => {
    const tag = ulid().slice(-6).toLowerCase();
    await create(admin, { title: `=HYPERLINK("http://evil") ${tag}` });
    await create(admin, { title: `Export ${tag}` });
    const response = await admin.get(`/api/campaigns/export?q=${tag}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.raw as ArrayBuffer);
    const sheet = book.getWorksheet("Envois")!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Titre");
    const cells = [2, 3].map((row) => sheet.getRow(row).getCell(1));
    // written as text cells: shown as typed, never run
    expect(cells.map((cell) => cell.type)).toEqual([ExcelJS.ValueType.String, ExcelJS.ValueType.String]);
    expect(cells.map((cell) => String(cell.value)).sort()).toEqual(
      [`Export ${tag}`, `=HYPERLINK("http://evil") ${tag}`].sort(),
    );
  });

  it("re-sends a question to those who did not answer, once it went out", async () => {
    const numbers = [mobile(), mobile(), mobile()];
    const source = await create(admin, {
      title: `Mission ${ulid()}`,
      kind: "yesno",
      smsBody: "Mission demain, dispo ?",
      recipients: { entries: numbers },
      sendAt: undefined,
    });
    const early = await admin.post(`/api/campaigns/${source.campaignId}/resend`, {});
    // before anything went out: not sent yet (409), or nobody to follow up yet (400)
    expect([400, 409]).toContain(early.status);
    const sent = await until(async () => {
      const { data } = await MessageEntity.query
        .byCampaign({ companyId: company.companyId, campaignId: source.campaignId })
        .go();
      return data.every((message) => message.status === "sent") ? data : undefined;
    });
    const answered = sent.find((message) => message.to === numbers[0])!;
    await Delivery.inboundSms({
      originationNumber: numbers[0]!,
      destinationNumber: answered.from ?? "+33700000000",
      messageBody: "oui",
      inboundMessageId: ulid(),
      previousPublishedMessageId: answered.providerMessageId,
    });
    const resent = await admin.post(`/api/campaigns/${source.campaignId}/resend`, { audience: "no_answer" });
    expect(resent.status).toBe(201);
    const follow = resent.body.campaign as { campaignId: string; title: string; resentFrom: string };
    expect(follow.title).toBe(`${source.title} (relance)`);
    expect(follow.resentFrom).toBe(source.campaignId);
    const { data } = await MessageEntity.query
      .byCampaign({ companyId: company.companyId, campaignId: follow.campaignId })
      .go();
    expect(data.map((message) => message.to).sort()).toEqual([numbers[1], numbers[2]].sort());
    expect(data.every((message) => message.body === "Mission demain, dispo ?")).toBe(true);
    const none = await admin.post(`/api/campaigns/${source.campaignId}/resend`, {
      audience: "not_delivered",
    });
    expect(none.status).toBe(400);
  });
});

describe("reclassifying a reply", () => {
  const reclassify = (campaignId: string, messageId: string) =>
    admin.patch(`/api/campaigns/${campaignId}/messages/${messageId}/classification`, {
      classification: "no",
    });
  const messageOf = async (companyId: string, campaignId: string) => {
    const { data } = await MessageEntity.query.byCampaign({ companyId, campaignId }).go();
    return data[0]!.messageId;
  };

  it("shows the text as written and who was left out and why, names only while the contact exists", async () => {
    const contact = async (body: Record<string, unknown>) => {
      const created = await admin.post("/api/contacts", { agencyIds: [company.agencies[0]], ...body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return (created.body.contact as { contactId: string }).contactId;
    };
    const stopped = await contact({ firstName: "Inès", lastName: "Stop", mobile: mobile() });
    expect(
      (await admin.post(`/api/contacts/${stopped}/opt-out`, { channel: "sms", optedOut: true })).status,
    ).toBe(200);
    const emailOnly = await contact({
      firstName: "Paul",
      lastName: "Courriel",
      email: `p-${ulid()}@exemple.fr`,
    });
    const { campaignId } = await create(admin, {
      title: "Exclus",
      smsBody: "Bonjour %Prénom%, info agence",
      recipients: { contactIds: [stopped, emailOnly], entries: [mobile(), "+2348031234567"] },
    });
    const page = await admin.get(`/api/campaigns/${campaignId}`);
    expect(page.body.message).toEqual({ smsBody: "Bonjour %Prénom%, info agence", emailSubject: "" });
    const excluded = page.body.excluded as { total: number; items: Array<Record<string, string>> };
    expect(excluded.total).toBe(3);
    expect(excluded.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "Inès Stop", reason: "opted_out" }),
        expect.objectContaining({ name: "Paul Courriel", address: "p•••@exemple.fr", reason: "unreachable" }),
        { address: "+234•••67", reason: "country_not_allowed" },
      ]),
    );
    // Stored masked and nameless: after erasure nothing of Paul is left on the campaign.
    expect((await admin.delete(`/api/contacts/${emailOnly}`)).status).toBeLessThan(300);
    const stored = await CampaignEntity.get({ companyId: company.companyId, campaignId }).go();
    expect(JSON.stringify(stored.data)).not.toContain("Courriel");
    const after = (await admin.get(`/api/campaigns/${campaignId}`)).body.excluded as typeof excluded;
    expect(after.items.find((item) => item.reason === "unreachable")).toEqual({
      address: "p•••@exemple.fr",
      reason: "unreachable",
    });
  });

  it("answers 404 for a message id that is not in the campaign", async () => {
    const campaign = await create(admin, { title: `Reclassement ${ulid()}` });

    const answer = await reclassify(campaign.campaignId, ulid());

    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe("message.not_found");
  });

  it("answers 404 for another company's message id, in my campaign", async () => {
    const mine = await create(admin, { title: `Reclassement ${ulid()}` });
    const other = await newCompany();
    const otherAdmin = await loggedIn(other, other.admin.email);
    const created = await otherAdmin.post("/api/campaigns", {
      kind: "info",
      title: "Ailleurs",
      smsBody: "Info",
      recipients: { entries: [mobile()] },
      agencyId: other.agencies[0],
      sendAt: later(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const theirs = created.body.campaign as { campaignId: string };
    const foreign = await messageOf(other.companyId, theirs.campaignId);

    const answer = await reclassify(mine.campaignId, foreign);

    expect(answer.status).toBe(404);
  });

  it("still answers 409 for a message of mine that has no reply", async () => {
    const campaign = await create(admin, { title: `Reclassement ${ulid()}` });
    const messageId = await messageOf(company.companyId, campaign.campaignId);

    const answer = await reclassify(campaign.campaignId, messageId);

    expect(answer.status).toBe(409);
    expect(answer.body.error?.code).toBe("message.not_replied");
  });
});

/** Reads a workbook's sheet into rows of header → value. */
async function sheetRows(raw: ArrayBuffer, name: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(raw);
  const sheet = book.getWorksheet(name)!;
  // row values are sparse, from 1: holes filled so that every column lines up
  const headers = Array.from(sheet.getRow(1).values as unknown[], (value) => String(value ?? ""));
  const rows: Array<Record<string, unknown>> = [];
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const values = row.values as unknown[];
    rows.push(Object.fromEntries(headers.map((header, at) => [header, values[at]])));
  });
  return rows;
}

describe("counts that agree everywhere", () => {
  it("gives the page, Envois, the report and the export the same numbers, answers kept after a STOP", async () => {
    const numbers = [mobile(), mobile(), mobile()];
    const tag = ulid().slice(-8).toLowerCase();
    const source = await create(admin, {
      title: `Comptes ${tag}`,
      kind: "yesno",
      smsBody: "Mission demain, dispo ?",
      recipients: { entries: numbers },
      sendAt: undefined,
    });
    const key = { companyId: company.companyId, campaignId: source.campaignId };
    const sent = await until(async () => {
      const { data } = await MessageEntity.query.byCampaign(key).go({ consistent: true });
      return data.length === 3 && data.every((message) => message.providerMessageId) ? data : undefined;
    });
    const of = (number: string) => sent.find((message) => message.to === number)!;
    for (const message of sent)
      await Delivery.smsEvent({
        eventType: "TEXT_DELIVERED",
        messageId: message.providerMessageId!,
        context: { ...key, messageId: message.messageId },
      });
    const reply = (number: string, text: string) =>
      Delivery.inboundSms({
        originationNumber: number,
        destinationNumber: of(number).from ?? "+33700000000",
        messageBody: text,
        inboundMessageId: ulid(),
        previousPublishedMessageId: of(number).providerMessageId,
      });
    await reply(numbers[0]!, "oui");
    await reply(numbers[1]!, "non");
    await reply(numbers[2]!, "non merci");
    await reply(numbers[2]!, "STOP");

    const expected = { sent: 3, delivered: 3, replied: 3, yes: 1, no: 2, other: 0, unsubscribed: 1 };
    const page = (await admin.get(`/api/campaigns/${source.campaignId}/counts`)).body.counts as Record<
      string,
      number
    >;
    expect(page).toMatchObject({ ...expected, waiting: 0, cancelled: 0, total: 3 });
    const listed = (
      (await admin.get(`/api/campaigns?q=${tag}`)).body as unknown as {
        items: Array<{ outcomes: Record<string, number> }>;
      }
    ).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]!.outcomes).toMatchObject(expected);
    const report = await admin.get(`/api/campaigns/${source.campaignId}/report`);
    const synthesis = Object.fromEntries(
      (await sheetRows(report.raw as ArrayBuffer, "Synthèse")).map((row) => [row.Indicateur, row.Nombre]),
    );
    const exported = await admin.get(`/api/campaigns/export?q=${tag}`);
    const [row] = await sheetRows(exported.raw as ArrayBuffer, "Envois");
    const titled = {
      Envoyés: 3,
      Délivrés: 3,
      Réponses: 3,
      Oui: 1,
      Non: 2,
      Autre: 0,
      Désabonnés: 1,
      "En attente": 0,
      "Non délivrés": 0,
      Échecs: 0,
    };
    expect(synthesis).toMatchObject(titled);
    expect(row).toMatchObject(titled);

    // the « non » stays beside the opt-out: its text, its time, its colour
    const recipients = (await admin.get(`/api/campaigns/${source.campaignId}/recipients`)).body
      .items as Array<{ to: string; status: string; classification?: string; reply?: string }>;
    expect(recipients.find((one) => one.to === numbers[2])).toMatchObject({
      status: "unsubscribed",
      classification: "no",
      reply: "non merci",
    });
    const timeline = (await admin.get(`/api/campaigns/${source.campaignId}/timeline`)).body as unknown as {
      points: Array<{ delivered: number; replied: number }>;
    };
    expect(timeline.points.reduce((sum, point) => sum + point.replied, 0)).toBe(3);
  });

  it("shows a cancelled campaign's recipients Annulé, with no departure and nothing waiting", async () => {
    const tag = ulid().slice(-8).toLowerCase();
    const source = await create(admin, {
      title: `Annulé ${tag}`,
      recipients: { entries: [mobile(), mobile()] },
    });
    expect((await admin.post(`/api/campaigns/${source.campaignId}/cancel`)).status).toBe(200);
    const counts = (await admin.get(`/api/campaigns/${source.campaignId}/counts`)).body.counts as Record<
      string,
      unknown
    >;
    expect(counts).toMatchObject({ waiting: 0, cancelled: 2 });
    expect(counts.departure).toBeUndefined();
    const recipients = (await admin.get(`/api/campaigns/${source.campaignId}/recipients`)).body
      .items as Array<{ status: string }>;
    expect(recipients.map((one) => one.status)).toEqual(["cancelled", "cancelled"]);
    const exported = await admin.get(`/api/campaigns/export?q=${tag}`);
    const [row] = await sheetRows(exported.raw as ArrayBuffer, "Envois");
    expect(row).toMatchObject({ Statut: "Annulé", Annulés: 2, "En attente": 0 });
    expect(row!["Date d'envoi"] ?? "").toBe("");
    const report = await admin.get(`/api/campaigns/${source.campaignId}/report`);
    const lines = await sheetRows(report.raw as ArrayBuffer, "Destinataires");
    expect(lines.map((line) => line.Statut)).toEqual(["Annulé", "Annulé"]);
  });

  it("shows when a message left even if its receipt came before the record of the send", async () => {
    const source = await create(admin, { title: `Reçu tôt ${ulid()}` });
    const key = { companyId: company.companyId, campaignId: source.campaignId };
    const [message] = (await MessageEntity.query.byCampaign(key).go()).data;
    await Delivery.smsEvent({
      eventType: "TEXT_DELIVERED",
      messageId: `p-${message!.messageId}`,
      context: { ...key, messageId: message!.messageId },
    });
    const [recipient] = (await admin.get(`/api/campaigns/${source.campaignId}/recipients`)).body
      .items as Array<{
      status: string;
      sentAt?: string;
      deliveredAt?: string;
    }>;
    expect(recipient).toMatchObject({ status: "delivered" });
    expect(recipient!.sentAt).toBeDefined();
    expect(recipient!.sentAt! <= recipient!.deliveredAt!).toBe(true);
  });

  it("reads a campaign counted before facts accumulated, and counts it again from its messages on its next move", async () => {
    const source = await create(admin, {
      title: `Ancien ${ulid()}`,
      recipients: { entries: [mobile(), mobile()] },
    });
    const key = { companyId: company.companyId, campaignId: source.campaignId };
    const [first] = (await MessageEntity.query.byCampaign(key).go()).data;
    expect((await CampaignEntity.get(key).go()).data?.countsVersion).toBe(2);
    // as written before: a histogram of statuses (one replied), no version
    await CampaignEntity.patch(key).set({ replied: 1, repliedYes: 1 }).remove(["countsVersion"]).go();
    const before = (await admin.get(`/api/campaigns/${source.campaignId}/counts`)).body.counts;
    expect(before).toMatchObject({ sent: 1, delivered: 1, replied: 1, yes: 1, waiting: 1 });
    await Delivery.smsEvent({
      eventType: "TEXT_DELIVERED",
      messageId: `p-${first!.messageId}`,
      context: { ...key, messageId: first!.messageId },
    });
    const after = (await CampaignEntity.get(key).go({ consistent: true })).data!;
    expect(after).toMatchObject({
      countsVersion: 2,
      sent: 1,
      delivered: 1,
      replied: 0,
      repliedYes: 0,
      done: 1,
    });
  });
});
