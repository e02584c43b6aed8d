import { createDecipheriv, createECDH, createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { config } from "../../core/config";
import {
  addUser,
  type Browser,
  browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

let counter = 0;
const mobile = () =>
  `+33616${String(Date.now() % 1e4).padStart(4, "0")}${String(counter++).padStart(2, "0")}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function newPartner(lastName: string, categoryIds = ["salarie-structure"]) {
  const created = await admin.post("/api/partners", { lastName, mobile: mobile(), categoryIds });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.partner as { partnerId: string };
}

/** The partner's phone: a personal link opens a session in the space. */
async function signedIn(partnerId: string) {
  const link = await admin.post(`/api/partners/${partnerId}/links`, {});
  expect(link.status).toBe(201);
  const phone = browser();
  const token = (link.body.url as string).split("/l/")[1]!;
  expect((await phone.get(`/l/${token}`)).status).toBe(302);
  return phone;
}

describe("Coordonnées", () => {
  it("Admins set them, employees read them, other partners and plain users cannot", async () => {
    const saved = await admin.request("PUT", "/api/staff/settings", {
      phone: "04 72 11 22 33",
      email: "rh@example.fr",
      hours: "N'hésitez pas à nous contacter\nde 9h00 à 12h00",
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ quietStart: "20:00", quietEnd: "09:00" });
    const user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
    expect((await user.request("PUT", "/api/staff/settings", { phone: "1" })).status).toBe(403);
    const manager = await loggedIn(company, (await addUser(company, "manager", [company.agencies[0]])).email);
    expect((await manager.request("PUT", "/api/staff/settings", { phone: "1" })).status).toBe(403);

    const employee = await signedIn((await newPartner("Employé")).partnerId);
    expect((await employee.get("/api/espace")).body).toMatchObject({ employee: true });
    expect((await employee.get("/api/espace/contact")).body).toEqual({
      phone: "04 72 11 22 33",
      email: "rh@example.fr",
      hours: "N'hésitez pas à nous contacter\nde 9h00 à 12h00",
    });
    const temp = await signedIn((await newPartner("Intérimaire", ["interimaire"])).partnerId);
    expect((await temp.get("/api/espace")).body).toMatchObject({ employee: false });
    expect((await temp.get("/api/espace/contact")).status).toBe(404);
    expect((await temp.get("/api/espace/announcements")).status).toBe(404);
  });
});

describe("groups and announcements", () => {
  it("an employee outside the targeted groups gets 404 for the announcement by id", async () => {
    const inside = await newPartner("Dedans");
    const outside = await newPartner("Dehors");
    const group = await admin.post("/api/staff/groups", { name: "Entrepôt" });
    expect(group.status).toBe(201);
    const groupId = (group.body.group as { groupId: string }).groupId;
    const added = await admin.post(`/api/staff/groups/${groupId}/members`, {
      partnerIds: [inside.partnerId],
    });
    expect(added.body.group).toMatchObject({ memberCount: 1 });
    const search = await admin.get(`/api/staff/groups/${groupId}/members?q=dedans`);
    expect(search.body.items).toMatchObject([{ partnerId: inside.partnerId, name: "Dedans" }]);
    const groups = await admin.get("/api/staff/groups");
    expect((groups.body.items as Array<{ groupId: string; builtIn: boolean }>)[0]).toMatchObject({
      groupId: "tous",
      builtIn: true,
    });

    const published = await admin.post("/api/staff/announcements", {
      type: "deal",
      titleFr: "Pizza -30 % 🍕",
      titleEn: "Pizza -30% 🍕",
      link: "www.pizza.fr",
      groupIds: [groupId],
      endsAt: inDays(1),
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const announcementId = (published.body.announcement as { announcementId: string }).announcementId;
    expect(published.body.announcement).toMatchObject({ link: "https://www.pizza.fr/", targeted: 1 });

    const insider = await signedIn(inside.partnerId);
    const list = await insider.get("/api/espace/announcements");
    expect(list.body.items).toMatchObject([{ announcementId, title: "Pizza -30 % 🍕", read: false }]);
    const opened = await insider.post(`/api/espace/announcements/${announcementId}/open`);
    expect(opened.body.announcement).toMatchObject({ read: true, type: "deal" });

    const outsider = await signedIn(outside.partnerId);
    expect((await outsider.get("/api/espace/announcements")).body.items).toEqual([]);
    expect((await outsider.post(`/api/espace/announcements/${announcementId}/open`)).status).toBe(404);

    const detail = await admin.get(`/api/staff/announcements/${announcementId}`);
    expect(detail.body.announcement).toMatchObject({ opened: 1, targeted: 1 });

    // Removed from the group: the announcement is gone from their phone.
    await admin.delete(`/api/staff/groups/${groupId}/members/${inside.partnerId}`);
    expect((await insider.post(`/api/espace/announcements/${announcementId}/open`)).status).toBe(404);
  });

  it("refuses a title of 41 characters and an end before the start", async () => {
    const long = await admin.post("/api/staff/announcements", {
      type: "message",
      titleFr: "x".repeat(41),
      titleEn: "ok",
      groupIds: ["tous"],
      endsAt: inDays(1),
    });
    expect(long.status).toBe(400);
    const backwards = await admin.post("/api/staff/announcements", {
      type: "message",
      titleFr: "ok",
      titleEn: "ok",
      groupIds: ["tous"],
      startsAt: inDays(2),
      endsAt: inDays(1),
    });
    expect(backwards.status).toBe(400);
  });

  it("plain users cannot manage groups or announcements", async () => {
    const user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
    expect((await user.get("/api/staff/groups")).status).toBe(403);
    expect((await user.get("/api/staff/announcements")).status).toBe(403);
    expect((await user.post("/api/staff/groups", { name: "x" })).status).toBe(403);
    const upload = await user.post("/api/staff/groups/x/import/uploads", { fileName: "g.xlsx", size: 10 });
    expect(upload.status).toBe(403);
  });
});

describe("surveys", () => {
  it("two employees answer a multiple-choice survey from their space; the report and exports follow", async () => {
    const [ana, bob, outside] = [await newPartner("Ana"), await newPartner("Bob"), await newPartner("Hors")];
    const group = await admin.post("/api/staff/groups", { name: "Sondage équipe" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    await admin.post(`/api/staff/groups/${groupId}/members`, { partnerIds: [ana.partnerId, bob.partnerId] });
    const created = await admin.post("/api/staff/surveys", {
      question: "Quel jour pour le repas ?",
      type: "choice",
      choices: ["Jeudi", "Vendredi"],
      multiple: true,
      groupIds: [groupId],
      endsAt: inDays(1),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const surveyId = (created.body.survey as { surveyId: string }).surveyId;

    const phoneA = await signedIn(ana.partnerId);
    const phoneB = await signedIn(bob.partnerId);
    expect((await phoneA.get("/api/espace/surveys")).body.items).toMatchObject([
      { surveyId, answered: false },
    ]);
    const answered = await phoneA.request("PUT", `/api/espace/surveys/${surveyId}/answer`, {
      choiceIds: ["c1", "c2"],
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.survey).toMatchObject({ answered: true, answer: { choiceIds: ["c1", "c2"] } });
    await phoneB.request("PUT", `/api/espace/surveys/${surveyId}/answer`, { choiceIds: ["c2"] });

    const report = await admin.get(`/api/staff/surveys/${surveyId}/report`);
    expect(report.body).toMatchObject({
      targeted: 2,
      answered: 2,
      participation: 1,
      counts: [
        { label: "Jeudi", count: 1 },
        { label: "Vendredi", count: 2 },
      ],
    });
    const csv = await admin.get(`/api/staff/surveys/${surveyId}/answers.csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(new TextDecoder().decode(csv.raw)).toContain("Ana;Jeudi, Vendredi");
    const xlsx = await admin.get(`/api/staff/surveys/${surveyId}/answers.xlsx`);
    expect(xlsx.status).toBe(200);

    const stranger = await signedIn(outside.partnerId);
    expect((await stranger.get(`/api/espace/surveys/${surveyId}`)).status).toBe(404);
    expect(
      (await stranger.request("PUT", `/api/espace/surveys/${surveyId}/answer`, { choiceIds: ["c1"] })).status,
    ).toBe(404);
  });
});

describe("surveys by SMS", () => {
  const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
  const outbound = async (to: string) => {
    const answer = await fetch(`${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`);
    return ((await answer.json()) as { messages: Array<{ body: string }> }).messages;
  };
  const reply = (from: string, body: string) =>
    fetch(new URL("/_emulator/reply", sms()), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from, body }),
    });

  it("asks a Oui/Non survey by SMS; OUI and NON replies are answers, anything else is not", async () => {
    await noQuietHours(admin);
    const people = [];
    for (const name of ["Oui", "Non", "Autre"]) {
      const created = await admin.post("/api/partners", {
        lastName: `Sms ${name}`,
        mobile: mobile(),
        categoryIds: ["salarie-structure"],
      });
      people.push(created.body.partner as { partnerId: string; mobile: string });
    }
    const [yes, no, other] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const group = await admin.post("/api/staff/groups", { name: "Sondés par SMS" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    await admin.post(`/api/staff/groups/${groupId}/members`, {
      partnerIds: people.map((person) => person.partnerId),
    });
    const created = await admin.post("/api/staff/surveys", {
      question: "Navette samedi ?",
      type: "yesno",
      bySms: true,
      groupIds: [groupId],
      endsAt: inDays(1),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const survey = created.body.survey as { surveyId: string; bySms: boolean; smsCampaignId?: string };
    expect(survey.bySms).toBe(true);
    for (const person of people) {
      const [question] = await until(async () => {
        const found = await outbound(person.mobile);
        return found.length > 0 ? found : undefined;
      });
      expect(question!.body).toContain("Navette samedi ? Répondez OUI ou NON.");
    }
    await reply(yes.mobile, "Oui");
    await reply(no.mobile, "non merci");
    await reply(other.mobile, "c'est à quelle heure");
    const report = await until(async () => {
      const answer = await admin.get(`/api/staff/surveys/${survey.surveyId}/report`);
      return answer.body.answered === 2 ? answer.body : undefined;
    });
    expect(report).toMatchObject({
      targeted: 3,
      bySms: 2,
      counts: [
        { key: "yes", count: 1 },
        { key: "no", count: 1 },
      ],
    });
    // The answer is theirs in the space, and changing it there moves the report.
    const phone = await signedIn(yes.partnerId);
    expect((await phone.get(`/api/espace/surveys/${survey.surveyId}`)).body.survey).toMatchObject({
      answered: true,
      answer: { yes: true },
    });
    await phone.request("PUT", `/api/espace/surveys/${survey.surveyId}/answer`, { yes: false });
    expect((await admin.get(`/api/staff/surveys/${survey.surveyId}/report`)).body).toMatchObject({
      answered: 2,
      bySms: 1,
      counts: [
        { key: "yes", count: 0 },
        { key: "no", count: 2 },
      ],
    });
    // The questions are an Envois campaign of their own, its replies sorted as usual.
    const asked = (await admin.get(`/api/staff/surveys/${survey.surveyId}`)).body.survey as typeof survey;
    expect(asked).toMatchObject({ smsAsked: 3, smsCampaignId: `${survey.surveyId}-sondage` });
    const campaign = await admin.get(`/api/campaigns/${asked.smsCampaignId}`);
    expect(campaign.status).toBe(200);
    expect(campaign.body.campaign).toMatchObject({
      kind: "yesno",
      outcomes: { total: 3, yes: 1, no: 1, other: 1 },
    });
  });

  it("refuses SMS answers for an anonymous survey or one that is not Oui/Non", async () => {
    const base = { question: "Télétravail ?", groupIds: ["tous"], endsAt: inDays(1), bySms: true };
    const anonymous = await admin.post("/api/staff/surveys", { ...base, type: "yesno", anonymous: true });
    expect(anonymous.status).toBe(400);
    expect(JSON.stringify(anonymous.body)).toContain("anonymous survey cannot be answered by SMS");
    const text = await admin.post("/api/staff/surveys", { ...base, type: "text" });
    expect(text.status).toBe(400);
  });
});

describe("notifications", () => {
  const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
  async function outbound(to: string) {
    const answer = await fetch(`${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`);
    return ((await answer.json()) as { messages: Array<{ body: string }> }).messages;
  }

  it("sends an SMS with a link to the space when published outside the quiet window", async () => {
    await noQuietHours(admin);
    await admin.request("PUT", "/api/staff/settings", { quietStart: "00:00", quietEnd: "00:00" });
    const created = await admin.post("/api/partners", {
      lastName: "Notifié",
      mobile: mobile(),
      categoryIds: ["salarie-structure"],
    });
    const partner = created.body.partner as { partnerId: string; mobile: string };
    const group = await admin.post("/api/staff/groups", { name: "Notifiés" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    await admin.post(`/api/staff/groups/${groupId}/members`, { partnerIds: [partner.partnerId] });
    const published = await admin.post("/api/staff/announcements", {
      type: "advantage",
      titleFr: "Mutuelle offerte",
      titleEn: "Free health cover",
      groupIds: [groupId],
      endsAt: inDays(1),
    });
    const announcementId = (published.body.announcement as { announcementId: string }).announcementId;
    const message = await until(async () => (await outbound(partner.mobile))[0]);
    expect(message.body).toContain("« Mutuelle offerte »");
    expect(message.body).toContain("/espace");
    const detail = await until(async () => {
      const answer = await admin.get(`/api/staff/announcements/${announcementId}`);
      const info = answer.body.announcement as { notified: { sms: number } };
      return info.notified.sms === 1 ? info : undefined;
    });
    expect(detail.notified).toEqual({ push: 0, sms: 1, email: 0 });
  });

  it("defers notifications to the end of the quiet window, not the publication", async () => {
    const hour = Number(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Paris",
        hour: "2-digit",
        hourCycle: "h23",
      }).format(new Date()),
    );
    const hh = (value: number) => `${String((value + 24) % 24).padStart(2, "0")}:00`;
    await admin.request("PUT", "/api/staff/settings", { quietStart: hh(hour - 1), quietEnd: hh(hour + 2) });
    const employee = await newPartner("Nuit");
    const published = await admin.post("/api/staff/announcements", {
      type: "message",
      titleFr: "La nuit",
      titleEn: "At night",
      groupIds: ["tous"],
      endsAt: inDays(1),
    });
    const info = published.body.announcement as { announcementId: string; status: string; notifyAt: string };
    expect(info.status).toBe("live");
    expect(Date.parse(info.notifyAt)).toBeGreaterThan(Date.now() + 60 * 60_000);
    const name = `announcement-${info.announcementId}-notify`;
    const schedule = await fetch(
      `${process.env.AWS_ENDPOINT_URL_SCHEDULER}/_emulator/schedules/${config("SCHEDULE_GROUP")}/${name}`,
    );
    expect(schedule.status).toBe(200);
    // Shown at once all the same.
    const phone = await signedIn(employee.partnerId);
    expect((await phone.get("/api/espace/announcements")).body.items).toContainEqual(
      expect.objectContaining({ announcementId: info.announcementId }),
    );
  });
});

/**
 * A push service of our own: it keeps what it receives, and the test decrypts it as a browser would
 * (RFC 8291: ECDH P-256 with the subscription's key, the auth secret, HKDF, AES-128-GCM).
 */
describe("web push", () => {
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(201).end();
    });
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

  function decrypt(body: Buffer, browserKeys: ReturnType<typeof createECDH>, authSecret: Buffer) {
    const salt = body.subarray(0, 16);
    const idLength = body[20]!;
    const serverPublic = body.subarray(21, 21 + idLength);
    const ciphertext = body.subarray(21 + idLength);
    const shared = browserKeys.computeSecret(serverPublic);
    const info = Buffer.concat([Buffer.from("WebPush: info\0"), browserKeys.getPublicKey(), serverPublic]);
    const ikm = hmac(hmac(authSecret, shared), Buffer.concat([info, Buffer.from([1])]));
    const prk = hmac(salt, ikm);
    const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01", "binary")).subarray(0, 16);
    const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01", "binary")).subarray(0, 12);
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    const padded = Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
      decipher.final(),
    ]);
    // The last record ends with the delimiter 0x02, then zero padding.
    let end = padded.length - 1;
    while (end > 0 && padded[end] === 0) end--;
    expect(padded[end]).toBe(2);
    return JSON.parse(padded.subarray(0, end).toString("utf8")) as Record<string, string>;
  }

  it("pushes the publication to a subscribed employee instead of an SMS, readable with the subscription's keys", async () => {
    await noQuietHours(admin);
    await admin.request("PUT", "/api/staff/settings", { quietStart: "00:00", quietEnd: "00:00" });
    const created = await admin.post("/api/partners", {
      lastName: "Abonnée",
      mobile: mobile(),
      categoryIds: ["salarie-structure"],
    });
    const partner = created.body.partner as { partnerId: string; mobile: string };
    const group = await admin.post("/api/staff/groups", { name: "Push" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    await admin.post(`/api/staff/groups/${groupId}/members`, { partnerIds: [partner.partnerId] });

    const phone = await signedIn(partner.partnerId);
    expect((await phone.get("/api/espace/push/key")).body.publicKey).toBeTruthy();
    const browserKeys = createECDH("prime256v1");
    browserKeys.generateKeys();
    const authSecret = randomBytes(16);
    const port = (server.address() as AddressInfo).port;
    const subscribed = await phone.request("PUT", "/api/espace/push/subscription", {
      endpoint: `http://127.0.0.1:${port}/push/${partner.partnerId}`,
      keys: {
        p256dh: browserKeys.getPublicKey().toString("base64url"),
        auth: authSecret.toString("base64url"),
      },
    });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(200);

    const published = await admin.post("/api/staff/announcements", {
      type: "deal",
      titleFr: "Vente privée ⚡",
      titleEn: "Private sale ⚡",
      groupIds: [groupId],
      endsAt: inDays(1),
    });
    const announcementId = (published.body.announcement as { announcementId: string }).announcementId;
    const push = await until(async () => received.find((request) => request.body.length > 0));
    expect(push.headers["content-encoding"]).toBe("aes128gcm");
    expect(String(push.headers.authorization)).toMatch(/^vapid t=/);
    expect(decrypt(push.body, browserKeys, authSecret)).toEqual({
      title: expect.any(String),
      body: "Vente privée ⚡",
      url: `/espace?annonce=${announcementId}`,
      // The phone shows one notification per announcement, and the push service keeps one per topic.
      tag: announcementId,
    });
    expect(push.headers.topic).toBe(announcementId);
    const detail = await until(async () => {
      const answer = await admin.get(`/api/staff/announcements/${announcementId}`);
      const info = answer.body.announcement as { notified: { push: number; sms: number } };
      return info.notified.push === 1 ? info : undefined;
    });
    expect(detail.notified).toEqual({ push: 1, sms: 0, email: 0 });

    // A retried job (crash before its end) after the browser unsubscribed keeps the channel chosen first:
    // no SMS on top of the push.
    const { PushSubscriptionEntity } = await import("../../core/employee/employee.entity");
    const { AnnouncementEntity } = await import("../../core/announcement/announcement.entity");
    const { notify } = await import("../../core/announcement/notify");
    const subscriptions = await PushSubscriptionEntity.query
      .byPartner({ companyId: company.companyId, partnerId: partner.partnerId })
      .go();
    await PushSubscriptionEntity.delete(subscriptions.data).go();
    await AnnouncementEntity.patch({ companyId: company.companyId, announcementId })
      .remove(["notifiedAt"])
      .go();
    const retried = await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      notify(announcementId),
    );
    expect(retried).toMatchObject({ outcome: "notified", push: 1, sms: 0, email: 0 });
  });

  it("refuses an endpoint that is not a push service outside the local stage, and non-employees", async () => {
    const temp = await signedIn((await newPartner("Pas salarié", ["interimaire"])).partnerId);
    const refused = await temp.request("PUT", "/api/espace/push/subscription", {
      endpoint: "https://fcm.googleapis.com/fcm/send/abc",
      keys: { p256dh: "x", auth: "y" },
    });
    expect(refused.status).toBe(404);
    expect(config("STAGE")).toBe("local");
  });
});

describe("attachments", () => {
  it("attaches a checked file, served to the group's employees only; a program is refused", async () => {
    const inside = await newPartner("Doc dedans");
    const outside = await newPartner("Doc dehors");
    const group = await admin.post("/api/staff/groups", { name: "Documents" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    await admin.post(`/api/staff/groups/${groupId}/members`, { partnerIds: [inside.partnerId] });
    const published = await admin.post("/api/staff/announcements", {
      type: "document",
      titleFr: "Règlement intérieur",
      titleEn: "House rules",
      groupIds: [groupId],
      endsAt: inDays(1),
    });
    const announcementId = (published.body.announcement as { announcementId: string }).announcementId;
    const file = { fileName: "reglement.pdf", contentType: "application/pdf" };
    const target = await admin.post(`/api/staff/announcements/${announcementId}/attachment`, file);
    expect(target.status).toBe(200);
    const upload = async (bytes: Uint8Array) => {
      const { url, fields } = target.body as unknown as { url: string; fields: Record<string, string> };
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append("file", new Blob([new Uint8Array(bytes)], { type: file.contentType }));
      expect((await fetch(url, { method: "POST", body: form })).ok).toBe(true);
    };
    await upload(new TextEncoder().encode("MZ\x90\x00 a program"));
    const refused = await admin.post(`/api/staff/announcements/${announcementId}/attachment/confirm`, file);
    expect(refused.status).toBe(400);
    await upload(new TextEncoder().encode("%PDF-1.4\n% règlement\n%%EOF\n"));
    const confirmed = await admin.post(`/api/staff/announcements/${announcementId}/attachment/confirm`, file);
    expect(confirmed.body).toMatchObject({ attachmentName: "reglement.pdf" });

    const insider = await signedIn(inside.partnerId);
    const list = await insider.get("/api/espace/announcements");
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ announcementId, attachmentName: "reglement.pdf" }),
    );
    const download = await insider.get(`/api/espace/announcements/${announcementId}/attachment`);
    expect(download.status).toBe(302);
    const bytes = await (await fetch(download.headers.get("location")!)).text();
    expect(bytes).toContain("%PDF-1.4");
    const outsider = await signedIn(outside.partnerId);
    expect((await outsider.get(`/api/espace/announcements/${announcementId}/attachment`)).status).toBe(404);
  });
});

describe("group import from an Excel file", () => {
  /** Uploads like the console: presigned POST straight to S3, then the import. */
  async function importFile(as: Browser, groupId: string, bytes: Uint8Array, fileName = "groupe.xlsx") {
    const created = await as.post(`/api/staff/groups/${groupId}/import/uploads`, {
      fileName,
      size: bytes.length,
    });
    if (created.status !== 200) return created;
    const { uploadId, url, fields } = created.body as unknown as {
      uploadId: string;
      url: string;
      fields: Record<string, string>;
    };
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", new Blob([new Uint8Array(bytes)]), fileName);
    expect((await fetch(url, { method: "POST", body: form })).status).toBeLessThan(300);
    lastUploadId = uploadId;
    return as.post(`/api/staff/groups/${groupId}/import/${uploadId}`);
  }
  let lastUploadId = "";

  async function workbook(rows: Array<Array<string | number>>) {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Salariés");
    for (const row of rows) sheet.addRow(row);
    return new Uint8Array(await book.xlsx.writeBuffer());
  }

  it("adds the employees of an .xlsx and names the rest by line; a bad file adds nobody", async () => {
    const group = await admin.post("/api/staff/groups", { name: "Import API" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    const employee = await newPartner("Importée");
    const { partner: client } = (
      await admin.post("/api/partners", { lastName: "Client", mobile: mobile(), categoryIds: ["client"] })
    ).body as { partner: { partnerId: string; mobile: string } };
    const employeeMobile = (await admin.get(`/api/partners/${employee.partnerId}`)).body.partner as {
      mobile: string;
    };
    const file = await workbook([
      ["Nom", "Mobile"],
      ["Importée", `0${employeeMobile.mobile.slice(3)}`],
      ["Client", client.mobile],
      ["Inconnu", "06 00 00 00 01"],
    ]);
    const done = await importFile(admin, groupId, file);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      added: 1,
      unknown: [{ line: 4, value: "06 00 00 00 01" }],
      notEmployees: [{ line: 3, value: client.mobile }],
      group: { memberCount: 1 },
    });

    const other = await admin.post("/api/staff/groups", { name: "Import raté" });
    const otherId = (other.body.group as { groupId: string }).groupId;
    const refused = await importFile(admin, otherId, new TextEncoder().encode("<html><body>x</body></html>"));
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe("spreadsheet.unsupported_format");
    expect((await admin.get(`/api/staff/groups/${otherId}`)).body.group).toMatchObject({ memberCount: 0 });
    // The upload served once, readable or not.
    const again = await admin.post(`/api/staff/groups/${otherId}/import/${lastUploadId}`);
    expect(again.status).toBe(404);
    expect(again.body.error?.code).toBe("import.not_found");
    const macro = await admin.post(`/api/staff/groups/${otherId}/import/uploads`, {
      fileName: "groupe.xlsm",
      size: 100,
    });
    expect(macro.status).toBe(400);
  });

  it("answers 404 for another company's group", async () => {
    const group = await admin.post("/api/staff/groups", { name: "Import privé" });
    const groupId = (group.body.group as { groupId: string }).groupId;
    const stranger = await newCompany();
    const intruder = await loggedIn(stranger, stranger.admin.email);
    const answer = await importFile(intruder, groupId, await workbook([["Mobile"], ["06 00 00 00 02"]]));
    expect(answer.status).toBe(404);
  });
});
