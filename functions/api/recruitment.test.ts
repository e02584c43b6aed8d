import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { ContactEntity } from "../../core/contact/contact.entity";
import * as Event from "../../core/event";
import { DossierEmailEntity, DossierEntity } from "../../core/recruitment/recruitment.entity";
import { subscribers } from "../../core/subscribers";
import { startSesEvents } from "../../scripts/local/ses-events";
import { recorded } from "../subscribers/testing";
import { addUser, type Browser, browser, loggedIn, newCompany, type TestCompany } from "./testing";

/**
 * Recruitment campaigns: the public form (drafts, uploads, idempotent submit, abuse), dossiers, status
 * changes and the rule emails they fire exactly once.
 */
let company: TestCompany;
let admin: Browser;
const emails = subscribers.find((candidate) => candidate.name === "recruitment-emails")!;

const fields = [
  { fieldId: "poste", kind: "text", label: { fr: "Poste souhaité" }, required: true },
  {
    fieldId: "permis",
    kind: "choice",
    label: { fr: "Permis" },
    required: false,
    options: [
      { value: "b", label: { fr: "B" } },
      { value: "c", label: { fr: "C" } },
    ],
  },
  { fieldId: "dispo", kind: "date", label: { fr: "Disponible le" }, required: false },
  { fieldId: "cv", kind: "file", label: { fr: "CV" }, required: false },
];

async function newCampaign(client = admin, extra: Record<string, unknown> = {}) {
  const created = await client.post("/api/recruitment/campaigns", {
    title: `Caristes Vénissieux ${ulid().slice(-4)}`,
    agencyId: company.agencies[0],
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    description: { fr: "Postes de cariste", en: "Forklift drivers" },
    fields,
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.campaign as { campaignId: string; slug: string; publicUrl: string };
}

const candidate = () => ({
  firstName: "Camille",
  lastName: "Martin",
  email: `camille-${ulid().toLowerCase()}@example.com`,
  mobile: `+33613${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
});

async function submit(slug: string, who = candidate(), client = browser()) {
  const answer = await client.post(
    `/api/public/apply/${slug}/submit`,
    { candidate: who, answers: { poste: "Cariste" } },
    { "idempotency-key": ulid() },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { dossierId: string; submittedAt: string };
}

async function messagesOfDossier(dossierId: string) {
  const { data } = await DossierEmailEntity.query
    .byDossier({ companyId: company.companyId, dossierId })
    .go({ pages: "all" });
  const messages = [];
  for (const ref of data) {
    const { data: message } = await MessageEntity.get({
      companyId: company.companyId,
      campaignId: ref.sendingId,
      messageId: ref.messageId,
    }).go();
    if (message) messages.push(message);
  }
  return messages;
}

beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

describe("recruitment campaigns", () => {
  it("creates a campaign with an unguessable slug, default statuses and the acknowledgment rule", async () => {
    const campaign = await newCampaign();
    expect(campaign.slug).toMatch(/^caristes-venissieux-[a-z0-9]{4}-[a-z0-9]{6}$/);
    expect(campaign.publicUrl).toContain(`/candidater/${campaign.slug}`);
    const rules = await admin.get(`/api/recruitment/campaigns/${campaign.campaignId}/rules`);
    expect(rules.body.items).toEqual([
      expect.objectContaining({ section: "candidate", statusId: "soumis", enabled: true, builtIn: true }),
    ]);
    const form = await browser().get(`/api/public/apply/${campaign.slug}`);
    expect(form.status).toBe(200);
    expect((form.body.campaign as { fields: unknown[] }).fields).toHaveLength(4);
  });

  it("refuses a plain User creating a campaign, and says a closed campaign is closed", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const client = await loggedIn(company, user.email);
    const refused = await client.post("/api/recruitment/campaigns", {
      title: "Non",
      agencyId: company.agencies[0],
      opensAt: new Date().toISOString(),
      closesAt: new Date(Date.now() + 1000).toISOString(),
      description: { fr: "" },
      fields: [],
    });
    expect(refused.status).toBe(403);
    const closed = await newCampaign(admin, {
      opensAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      closesAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const form = await browser().get(`/api/public/apply/${closed.slug}`);
    expect(form.status).toBe(410);
    expect(form.body.error?.code).toBe("apply.closed");
  });
});

describe("public form", () => {
  it("submits once for a retried Idempotency-Key: one dossier, one event, one acknowledgment", async () => {
    const campaign = await newCampaign();
    const who = candidate();
    const client = browser();
    const key = ulid();
    const body = { candidate: who, answers: { poste: "Cariste" } };
    const first = await client.post(`/api/public/apply/${campaign.slug}/submit`, body, {
      "idempotency-key": key,
    });
    const second = await client.post(`/api/public/apply/${campaign.slug}/submit`, body, {
      "idempotency-key": key,
    });
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const dossierId = first.body.dossierId as string;
    const { data } = await DossierEntity.query
      .byCampaign({ companyId: company.companyId, campaignId: campaign.campaignId })
      .go({ pages: "all" });
    expect(data.map((row) => row.dossierId)).toEqual([dossierId]);
    const events = await recorded(company.companyId, "dossier.submitted", (p) => p.dossierId === dossierId);
    expect(events).toHaveLength(1);
    await Event.deliver(emails, events[0]! as Event.Envelope);
    const messages = await messagesOfDossier(dossierId);
    expect(messages.map((message) => message.to)).toEqual([who.email]);
    expect(messages[0]!.subject).toContain("Votre candidature");
  });

  it("shows the acknowledgment on the dossier, delivered once SES reports it (the whole local pipeline)", async () => {
    const campaign = await newCampaign();
    const who = candidate();
    const { dossierId } = await submit(campaign.slug, who);
    const path = `/api/recruitment/campaigns/${campaign.campaignId}/dossiers/${dossierId}`;
    const statusOnDossier = async () =>
      ((await admin.get(path)).body.dossier as { emails: Array<{ to: string; status: string }> }).emails;
    await expect
      .poll(statusOnDossier, { timeout: 20_000, interval: 250 })
      .toEqual([expect.objectContaining({ to: who.email, status: "sent" })]);
    // The mailbox emulator publishes no events: the local emitter does what SES's configuration set does.
    const events = startSesEvents({
      mailboxUrl: process.env.AWS_ENDPOINT_URL_SESV2!,
      topicArn: process.env.EMAIL_EVENTS_TOPIC_ARN!,
      recipients: [who.email],
    });
    try {
      await expect
        .poll(statusOnDossier, { timeout: 20_000, interval: 250 })
        .toEqual([expect.objectContaining({ to: who.email, status: "delivered" })]);
    } finally {
      await events.stop();
    }
  });

  it("links the dossier to the contact holding the same email, in the campaign's agency", async () => {
    const campaign = await newCampaign();
    const who = candidate();
    const made = await admin.post("/api/contacts", {
      firstName: "Camille",
      lastName: "Martin",
      email: who.email,
      agencyIds: [company.agencies[1]],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const contactId = (made.body.contact as { contactId: string }).contactId;
    const { dossierId } = await submit(campaign.slug, {
      ...who,
      firstName: "Quelqu'un",
      lastName: "D'autre",
      mobile: "",
    });
    const dossier = await admin.get(
      `/api/recruitment/campaigns/${campaign.campaignId}/dossiers/${dossierId}`,
    );
    expect((dossier.body.dossier as { contactId: string }).contactId).toBe(contactId);
    const { data: contact } = await ContactEntity.get({ companyId: company.companyId, contactId }).go();
    expect([...(contact?.agencyIds ?? [])].sort()).toEqual([...company.agencies].sort());
    // Anyone can type someone's email on a public form: the contact keeps the names the agency gave it.
    expect(contact).toMatchObject({ firstName: "Camille", lastName: "Martin" });
  });

  it("answers a filled honeypot as usual and stores nothing", async () => {
    const campaign = await newCampaign();
    const answer = await browser().post(
      `/api/public/apply/${campaign.slug}/submit`,
      { candidate: candidate(), answers: { poste: "x" }, website: "http://spam.example" },
      { "idempotency-key": ulid() },
    );
    expect(answer.status).toBe(201);
    const { data } = await DossierEntity.query
      .byCampaign({ companyId: company.companyId, campaignId: campaign.campaignId })
      .go({ pages: "all" });
    expect(data).toEqual([]);
  });

  it("names each bad field, and refuses an oversized body", async () => {
    const campaign = await newCampaign();
    const answer = await browser().post(
      `/api/public/apply/${campaign.slug}/submit`,
      { candidate: candidate(), answers: { permis: "z", dispo: "2026-02-30", inconnu: "x" } },
      { "idempotency-key": ulid() },
    );
    expect(answer.status).toBe(400);
    const paths = (answer.body.error as unknown as { fields: Array<{ path: string }> }).fields.map(
      (f) => f.path,
    );
    expect(paths.sort()).toEqual(["answers.dispo", "answers.inconnu", "answers.permis", "answers.poste"]);
    const big = await browser().post(`/api/public/apply/${campaign.slug}/submit`, {
      candidate: candidate(),
      answers: { poste: "x".repeat(300_000) },
    });
    expect(big.status).toBe(413);
  });

  it("limits submissions per IP", async () => {
    const campaign = await newCampaign();
    const client = browser();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await client.post(
        `/api/public/apply/${campaign.slug}/submit`,
        { candidate: candidate(), answers: { poste: "Cariste" } },
        { "idempotency-key": ulid() },
      );
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 201)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("saves a draft, reloads it by its token, refuses a file whose bytes are not its type, submits with the draft", async () => {
    const campaign = await newCampaign();
    const client = browser();
    const who = candidate();
    const saved = await client.post(`/api/public/apply/${campaign.slug}/draft`, {
      candidate: { email: who.email, firstName: who.firstName },
      answers: { poste: "Cariste" },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const resumeToken = saved.body.resumeToken as string;
    const loaded = await client.post(`/api/public/apply/${campaign.slug}/draft/load`, { resumeToken });
    expect((loaded.body.draft as { answers: Record<string, string> }).answers).toEqual({ poste: "Cariste" });
    const wrong = await client.post(`/api/public/apply/${campaign.slug}/draft/load`, {
      resumeToken: `${saved.body.dossierId}.not-the-secret`,
    });
    expect(wrong.status).toBe(404);

    const bytes = new TextEncoder().encode("MZ this is a program, not a PDF");
    const target = await client.post(`/api/public/apply/${campaign.slug}/uploads`, {
      resumeToken,
      fieldId: "cv",
      fileName: "cv.pdf",
      contentType: "application/pdf",
      size: bytes.length,
    });
    expect(target.status, JSON.stringify(target.body)).toBe(201);
    const form = new FormData();
    for (const [name, value] of Object.entries(target.body.fields as Record<string, string>))
      form.append(name, value);
    form.append("file", new Blob([bytes]), "cv.pdf");
    expect((await fetch(target.body.url as string, { method: "POST", body: form })).status).toBeLessThan(300);
    const refused = await client.post(`/api/public/apply/${campaign.slug}/submit`, {
      resumeToken,
      candidate: who,
      answers: { poste: "Cariste", cv: target.body.fileId },
    });
    expect(refused.status).toBe(400);
    expect((refused.body.error as unknown as { fields: Array<{ path: string }> }).fields[0]!.path).toBe(
      "answers.cv",
    );

    const ok = await client.post(`/api/public/apply/${campaign.slug}/submit`, {
      resumeToken,
      candidate: who,
      answers: { poste: "Cariste" },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.dossierId).toBe(saved.body.dossierId);
    const again = await client.post(`/api/public/apply/${campaign.slug}/submit`, {
      resumeToken,
      candidate: who,
      answers: { poste: "Cariste" },
    });
    expect(again.body).toEqual(ok.body);
  });
});

describe("status changes and their emails", () => {
  async function campaignWithRule() {
    const campaign = await newCampaign();
    const rule = await admin.post(`/api/recruitment/campaigns/${campaign.campaignId}/rules`, {
      section: "manager",
      name: "Retenu",
      statusId: "retenu",
      recipients: { candidate: true, evaluators: false, addresses: ["rh@example.fr"] },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    return campaign;
  }

  it("previews as many emails as the change sends, once each even when the event is redelivered", async () => {
    const campaign = await campaignWithRule();
    const dossiers = [await submit(campaign.slug), await submit(campaign.slug), await submit(campaign.slug)];
    const change = { dossierIds: dossiers.map((d) => d.dossierId), statusId: "retenu" };
    const path = `/api/recruitment/campaigns/${campaign.campaignId}/dossiers/status`;
    const preview = await admin.post(`${path}/preview`, change);
    expect(preview.status).toBe(200);
    expect(preview.body.emails).toBe(6);
    expect((preview.body.preview as { subject: string }).subject).toContain("Caristes");
    const changed = await admin.post(path, change);
    expect(changed.body).toEqual({ changed: 3, unchanged: 0, emails: 6 });

    let sent = 0;
    for (const { dossierId } of dossiers) {
      const [event] = await recorded(
        company.companyId,
        "dossier.status_changed",
        (p) => p.dossierId === dossierId,
      );
      expect(event?.payload).toEqual(
        expect.objectContaining({
          dossierId,
          campaignId: campaign.campaignId,
          status: "retenu",
          previousStatus: "soumis",
        }),
      );
      // Redelivered: the subscriber runs twice on the same envelope (its marker removed in between, as
      // after a crash between the effect and the marker).
      await Event.deliver(emails, event as Event.Envelope);
      await Event.HandledEntity.delete({
        companyId: company.companyId,
        subscriber: emails.name,
        eventId: event!.id,
      }).go();
      await Event.deliver(emails, event as Event.Envelope);
      const messages = (await messagesOfDossier(dossierId)).filter((m) => m.campaignId.startsWith(event!.id));
      sent += messages.length;
    }
    expect(sent).toBe(preview.body.emails);
    const detail = await admin.get(
      `/api/recruitment/campaigns/${campaign.campaignId}/dossiers/${dossiers[0]!.dossierId}`,
    );
    const dossier = detail.body.dossier as {
      history: Array<{ to: string; byName?: string }>;
      emails: unknown[];
    };
    expect(dossier.history.map((h) => h.to)).toEqual(["soumis", "retenu"]);
    expect(dossier.history[1]!.byName).toBe("Alice Admin");
    expect(dossier.emails.length).toBeGreaterThanOrEqual(2);
  });

  it("sends the emails of a change whose subscriber had not run yet (a crash after the commit)", async () => {
    const campaign = await campaignWithRule();
    const { dossierId } = await submit(campaign.slug);
    await admin.post(`/api/recruitment/campaigns/${campaign.campaignId}/dossiers/status`, {
      dossierIds: [dossierId],
      statusId: "retenu",
    });
    const [event] = await recorded(
      company.companyId,
      "dossier.status_changed",
      (p) => p.dossierId === dossierId,
    );
    expect(event).toBeDefined();
    await Event.deliver(emails, event as Event.Envelope);
    await Event.deliver(emails, event as Event.Envelope);
    const messages = (await messagesOfDossier(dossierId)).filter((m) => m.campaignId.startsWith(event!.id));
    expect(messages.map((m) => m.to).sort()).toHaveLength(2);
  });

  it("lets an evaluator move only the dossiers assigned to them, never to Soumis", async () => {
    const evaluator = await addUser(company, "user", [company.agencies[1]]);
    const campaign = await newCampaign(admin, { evaluatorIds: [evaluator.userId] });
    const mine = await submit(campaign.slug);
    const other = await submit(campaign.slug);
    const base = `/api/recruitment/campaigns/${campaign.campaignId}/dossiers`;
    expect(
      (await admin.request("PUT", `${base}/${mine.dossierId}/evaluator`, { evaluatorId: evaluator.userId }))
        .status,
    ).toBe(200);
    const client = await loggedIn(company, evaluator.email);
    expect((await client.get(`/api/recruitment/campaigns`)).body.items).toHaveLength(1);
    // An evaluator may not list users: the campaign names its people for them.
    const read = await client.get(`/api/recruitment/campaigns/${campaign.campaignId}`);
    const people = (read.body.campaign as { people: Array<{ userId: string; name: string }> }).people;
    expect(people.find((person) => person.userId === evaluator.userId)?.name).toBeTruthy();
    expect(
      (await client.post(`${base}/status`, { dossierIds: [other.dossierId], statusId: "retenu" })).status,
    ).toBe(403);
    expect(
      (await client.post(`${base}/status`, { dossierIds: [mine.dossierId], statusId: "soumis" })).status,
    ).toBe(403);
    const moved = await client.post(`${base}/status`, {
      dossierIds: [mine.dossierId],
      statusId: "en-evaluation",
    });
    expect(moved.body).toEqual(expect.objectContaining({ changed: 1 }));
    expect(
      (await client.patch(`/api/recruitment/campaigns/${campaign.campaignId}`, { title: "x" })).status,
    ).toBe(403);
  });

  it("lists dossiers by status and words", async () => {
    const campaign = await newCampaign();
    const who = { ...candidate(), lastName: "Dupré" };
    await submit(campaign.slug, who);
    await submit(campaign.slug);
    const base = `/api/recruitment/campaigns/${campaign.campaignId}/dossiers`;
    const all = await admin.get(`${base}?status=soumis`);
    expect(all.body.items).toHaveLength(2);
    const found = await admin.get(`${base}?q=dupre`);
    expect((found.body.items as Array<{ lastName: string }>).map((d) => d.lastName)).toEqual(["Dupré"]);
  });

  it("erases the dossiers of an erased contact (GDPR)", async () => {
    const campaign = await newCampaign();
    const who = candidate();
    const { dossierId } = await submit(campaign.slug, who);
    const events = await recorded(company.companyId, "dossier.submitted", (p) => p.dossierId === dossierId);
    await Event.deliver(emails, events[0]! as Event.Envelope);
    const base = `/api/recruitment/campaigns/${campaign.campaignId}/dossiers/${dossierId}`;
    const contactId = ((await admin.get(base)).body.dossier as { contactId: string }).contactId;
    expect(contactId).toBeTruthy();
    expect((await admin.delete(`/api/contacts/${contactId}`)).status).toBeLessThan(300);
    const { data } = await DossierEntity.get({
      companyId: company.companyId,
      campaignId: campaign.campaignId,
      dossierId,
    }).go();
    expect(data?.erasedAt).toBeTruthy();
    expect(JSON.stringify(data)).not.toContain(who.email);
    expect(JSON.stringify(data)).not.toContain("Camille");
    const left = await DossierEmailEntity.query.byDossier({ companyId: company.companyId, dossierId }).go();
    expect(left.data).toEqual([]);
    expect((await admin.get(base)).status).toBe(404);
  });
});
