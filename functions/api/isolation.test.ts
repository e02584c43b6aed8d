import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { Company } from "../../core/company";
import { DeadLetter } from "../../core/dead-letter";
import { Invitation } from "../../core/invitation";
import { app } from "./index";
import { addUser, browser, loggedIn, newCompany, type TestCompany } from "./testing";

/**
 * Tenant isolation harness. Every route of the OpenAPI document must have a case below; each case is
 * played by an Admin of company B using company A's real ids (path, query and body). The answer must
 * be a refusal (403/404), or, for routes that only ever read the caller's own company, contain no A data.
 * A new route without a case makes this test fail.
 */
type Seed = {
  a: TestCompany;
  marker: string;
  userId: string;
  invitationId: string;
  contactId: string;
  templateId: string;
  campaignId: string;
  messageId: string;
  listId: string;
  importId: string;
  deadLetterId: string;
};

type Case =
  /** Refused: A's ids in path, query or body are not found or forbidden for B. */
  | { kind: "refused"; method: string; path: string; body?: unknown }
  /** Answers about B's own company only: must not contain any A data. */
  | { kind: "own"; method: string; path: string; body?: unknown }
  /** Public by design (login, reset, token-guarded links); must not leak A data either. */
  | { kind: "public"; method: string; path: string; body?: unknown; status: number[] };

const cases: Record<string, (seed: Seed) => Case> = {
  "GET /api/health": () => ({ kind: "public", method: "GET", path: "/api/health", status: [200] }),
  "GET /api/health/details": () => ({ kind: "own", method: "GET", path: "/api/health/details" }),
  "GET /api/openapi.json": () => ({
    kind: "public",
    method: "GET",
    path: "/api/openapi.json",
    status: [200],
  }),
  "GET /api/docs": () => ({ kind: "public", method: "GET", path: "/api/docs", status: [200] }),
  "POST /api/auth/login": ({ a }) => ({
    kind: "public",
    method: "POST",
    path: "/api/auth/login",
    body: { companyCode: a.code, email: a.admin.email, password: "not-their-password" },
    status: [401],
  }),
  "POST /api/auth/logout": () => ({ kind: "own", method: "POST", path: "/api/auth/logout" }),
  "GET /api/auth/session": () => ({ kind: "own", method: "GET", path: "/api/auth/session" }),
  "PATCH /api/auth/preferences": () => ({
    kind: "own",
    method: "PATCH",
    path: "/api/auth/preferences",
    body: { forwardReplies: true },
  }),
  "POST /api/auth/password/change": () => ({
    kind: "own",
    method: "POST",
    path: "/api/auth/password/change",
    body: { currentPassword: "wrong", newPassword: "Whatever-2026-x" },
  }),
  "POST /api/auth/password/forgot": ({ a }) => ({
    kind: "public",
    method: "POST",
    path: "/api/auth/password/forgot",
    body: { companyCode: a.code, email: a.admin.email },
    status: [202],
  }),
  "POST /api/auth/password/reset": () => ({
    kind: "public",
    method: "POST",
    path: "/api/auth/password/reset",
    body: { token: "a-guessed-token-value", password: "Whatever-2026-x" },
    status: [400],
  }),
  "GET /api/public/invitations/{token}": () => ({
    kind: "public",
    method: "GET",
    path: "/api/public/invitations/a-guessed-token-value",
    status: [404],
  }),
  "POST /api/public/invitations/{token}/accept": () => ({
    kind: "public",
    method: "POST",
    path: "/api/public/invitations/a-guessed-token-value/accept",
    body: { firstName: "X", lastName: "Y", password: "Whatever-2026-x", acceptTerms: true },
    status: [404],
  }),
  "GET /api/users": ({ a }) => ({ kind: "own", method: "GET", path: `/api/users?agencyId=${a.agencies[0]}` }),
  "POST /api/users": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/users",
    body: {
      email: `x-${ulid()}@example.fr`,
      firstName: "X",
      lastName: "Y",
      role: "user",
      agencyIds: [a.agencies[0]],
    },
  }),
  "GET /api/users/import/template": () => ({
    kind: "own",
    method: "GET",
    path: "/api/users/import/template",
  }),
  "POST /api/users/import/uploads": () => ({
    kind: "own",
    method: "POST",
    path: "/api/users/import/uploads",
    body: { fileName: "users.csv", size: 100 },
  }),
  "POST /api/users/import/{uploadId}/check": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/users/import/${a.companyId}/check`,
  }),
  "POST /api/users/import/{uploadId}/commit": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/users/import/${a.companyId}/commit`,
    body: { onlyValid: true, invite: "none" },
  }),
  "GET /api/users/{userId}": ({ userId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/users/${userId}`,
  }),
  "PATCH /api/users/{userId}": ({ userId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/users/${userId}`,
    body: { firstName: "Pirate" },
  }),
  "POST /api/users/{userId}/deactivate": ({ userId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/users/${userId}/deactivate`,
  }),
  "POST /api/users/{userId}/reactivate": ({ userId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/users/${userId}/reactivate`,
  }),
  "GET /api/invitations": () => ({ kind: "own", method: "GET", path: "/api/invitations" }),
  "POST /api/invitations": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/invitations",
    body: { channel: "email", email: `x-${ulid()}@example.fr`, role: "user", agencyIds: [a.agencies[0]] },
  }),
  "POST /api/invitations/{invitationId}/resend": ({ invitationId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/invitations/${invitationId}/resend`,
  }),
  "DELETE /api/invitations/{invitationId}": ({ invitationId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/invitations/${invitationId}`,
  }),
  "GET /api/agencies": () => ({ kind: "own", method: "GET", path: "/api/agencies?includeArchived=true" }),
  "POST /api/agencies": () => ({
    kind: "own",
    method: "POST",
    path: "/api/agencies",
    body: { name: "Agence B bis" },
  }),
  "PATCH /api/agencies/{agencyId}": ({ a }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/agencies/${a.agencies[0]}`,
    body: { archived: true },
  }),
  "GET /api/company": () => ({ kind: "own", method: "GET", path: "/api/company" }),
  "PATCH /api/company": ({ a }) => ({
    kind: "refused",
    method: "PATCH",
    path: "/api/company",
    body: { logoKey: `companies/${a.companyId}/logo/stolen` },
  }),
  "POST /api/company/logo": () => ({
    kind: "own",
    method: "POST",
    path: "/api/company/logo",
    body: { contentType: "image/png", size: 1000 },
  }),
  "GET /api/audit": () => ({ kind: "own", method: "GET", path: "/api/audit" }),
  "GET /api/templates": () => ({ kind: "own", method: "GET", path: "/api/templates" }),
  "POST /api/templates": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/templates",
    body: { name: "X", kind: "info", smsBody: "x", scope: "agency", agencyId: a.agencies[0] },
  }),
  "GET /api/templates/{templateId}": ({ templateId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/templates/${templateId}`,
  }),
  "PATCH /api/templates/{templateId}": ({ templateId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/templates/${templateId}`,
    body: { name: "Pirate" },
  }),
  "DELETE /api/templates/{templateId}": ({ templateId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/templates/${templateId}`,
  }),
  "POST /api/templates/{templateId}/duplicate": ({ templateId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/templates/${templateId}/duplicate`,
  }),
  "PUT /api/templates/{templateId}/favourite": ({ templateId }) => ({
    kind: "refused",
    method: "PUT",
    path: `/api/templates/${templateId}/favourite`,
    body: { favourite: true },
  }),
  "POST /api/campaigns/recipients": () => ({
    kind: "own",
    method: "POST",
    path: "/api/campaigns/recipients",
    body: { text: "0699887766" },
  }),
  "POST /api/campaigns/preview": ({ contactId, listId }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/campaigns/preview",
    body: { kind: "info", smsBody: "x", recipients: { contactIds: [contactId], listIds: [listId] } },
  }),
  "POST /api/campaigns": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/campaigns",
    body: {
      kind: "info",
      smsBody: "x",
      recipients: { entries: ["0699887766"] },
      title: "X",
      agencyId: a.agencies[0],
    },
  }),
  "GET /api/campaigns": () => ({ kind: "own", method: "GET", path: "/api/campaigns" }),
  "GET /api/campaigns/export": () => ({ kind: "own", method: "GET", path: "/api/campaigns/export" }),
  "POST /api/campaigns/{campaignId}/resend": ({ campaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/campaigns/${campaignId}/resend`,
    body: { audience: "not_delivered" },
  }),
  "GET /api/dead-letters": () => ({ kind: "own", method: "GET", path: "/api/dead-letters" }),
  "POST /api/dead-letters/{deadLetterId}/retry": ({ deadLetterId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/dead-letters/${deadLetterId}/retry`,
  }),
  "POST /api/dead-letters/{deadLetterId}/dismiss": ({ deadLetterId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/dead-letters/${deadLetterId}/dismiss`,
  }),
  "GET /api/company/delivery": () => ({ kind: "own", method: "GET", path: "/api/company/delivery" }),
  "PATCH /api/company/delivery": () => ({
    kind: "own",
    method: "PATCH",
    path: "/api/company/delivery",
    body: { perSecond: { sms: 10 } },
  }),
  "POST /api/campaigns/attachments": () => ({
    kind: "own",
    method: "POST",
    path: "/api/campaigns/attachments",
    body: { fileName: "planning.pdf", contentType: "application/pdf", size: 1000 },
  }),
  "GET /api/public/files/{code}": () => ({
    kind: "public",
    method: "GET",
    path: "/api/public/files/aGuessedCode",
    status: [404],
  }),
  "GET /api/campaigns/{campaignId}": ({ campaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/campaigns/${campaignId}`,
  }),
  "GET /api/campaigns/{campaignId}/messages": ({ campaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/campaigns/${campaignId}/messages`,
  }),
  "GET /api/campaigns/{campaignId}/counts": ({ campaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/campaigns/${campaignId}/counts`,
  }),
  "GET /api/campaigns/{campaignId}/recipients": ({ campaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/campaigns/${campaignId}/recipients?answer=yes`,
  }),
  "PATCH /api/campaigns/{campaignId}/messages/{messageId}/classification": ({ campaignId, messageId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/campaigns/${campaignId}/messages/${messageId}/classification`,
    body: { classification: "no" },
  }),
  "POST /api/campaigns/{campaignId}/cancel": ({ campaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/campaigns/${campaignId}/cancel`,
  }),
  "POST /api/campaigns/{campaignId}/reschedule": ({ campaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/campaigns/${campaignId}/reschedule`,
    body: { sendAt: new Date(Date.now() + 2 * 86_400_000).toISOString() },
  }),
  "GET /api/campaigns/{campaignId}/timeline": ({ campaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/campaigns/${campaignId}/timeline`,
  }),
  "GET /api/campaigns/{campaignId}/report": ({ campaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/campaigns/${campaignId}/report`,
  }),
  "POST /api/conversations/{contactId}/messages": ({ contactId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/conversations/${contactId}/messages`,
    body: { body: "Bonjour" },
  }),
  "GET /api/conversations/{contactId}": ({ contactId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/conversations/${contactId}`,
  }),
  "GET /api/contacts": ({ a }) => ({
    kind: "own",
    method: "GET",
    path: `/api/contacts?agencyId=${a.agencies[0]}`,
  }),
  "POST /api/contacts": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/contacts",
    body: { lastName: "Pirate", mobile: "0699887766", agencyIds: [a.agencies[0]] },
  }),
  "GET /api/contacts/{contactId}": ({ contactId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/contacts/${contactId}`,
  }),
  "PATCH /api/contacts/{contactId}": ({ contactId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/contacts/${contactId}`,
    body: { archived: true },
  }),
  "POST /api/contacts/{contactId}/opt-out": ({ contactId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/contacts/${contactId}/opt-out`,
    body: { channel: "sms", optedOut: true },
  }),
  "GET /api/contacts/{contactId}/export": ({ contactId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/contacts/${contactId}/export`,
  }),
  "DELETE /api/contacts/{contactId}": ({ contactId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/contacts/${contactId}`,
  }),
  "GET /api/lists": ({ a }) => ({ kind: "own", method: "GET", path: `/api/lists?agencyId=${a.agencies[0]}` }),
  "POST /api/lists": ({ a, contactId }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/lists",
    body: { name: "Pirate", agencyId: a.agencies[0], contactIds: [contactId] },
  }),
  "GET /api/lists/{listId}": ({ listId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/lists/${listId}`,
  }),
  "PATCH /api/lists/{listId}": ({ listId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/lists/${listId}`,
    body: { name: "Pirate", fields: [] },
  }),
  "DELETE /api/lists/{listId}": ({ listId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/lists/${listId}`,
    body: { confirm: true },
  }),
  "POST /api/lists/{listId}/duplicate": ({ listId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/lists/${listId}/duplicate`,
    body: {},
  }),
  "POST /api/lists/{listId}/paste": ({ listId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/lists/${listId}/paste`,
    body: { text: "0699887766; pirate@example.fr" },
  }),
  "GET /api/lists/{listId}/members": ({ listId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/lists/${listId}/members`,
  }),
  "POST /api/lists/{listId}/members": ({ listId, contactId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/lists/${listId}/members`,
    body: { contactIds: [contactId] },
  }),
  "POST /api/lists/{listId}/members/remove": ({ listId, contactId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/lists/${listId}/members/remove`,
    body: { contactIds: [contactId] },
  }),
  "PATCH /api/lists/{listId}/members/{contactId}": ({ listId, contactId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/lists/${listId}/members/${contactId}`,
    body: { fields: { date_rdv: "pirate" } },
  }),
  "DELETE /api/lists/{listId}/members/{contactId}": ({ listId, contactId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/lists/${listId}/members/${contactId}`,
  }),
  "GET /api/lists/{listId}/clean": ({ listId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/lists/${listId}/clean`,
  }),
  "POST /api/lists/{listId}/clean": ({ listId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/lists/${listId}/clean`,
    body: { token: "a-guessed-token" },
  }),
  "GET /api/lists/{listId}/export": ({ listId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/lists/${listId}/export`,
  }),
  "GET /api/lists/{listId}/health": ({ listId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/lists/${listId}/health`,
  }),
  "GET /api/contact-imports": () => ({ kind: "own", method: "GET", path: "/api/contact-imports" }),
  "POST /api/contact-imports": () => ({
    kind: "own",
    method: "POST",
    path: "/api/contact-imports",
    body: { fileName: "contacts-b.csv", size: 1000 },
  }),
  "GET /api/contact-imports/{importId}": ({ importId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/contact-imports/${importId}`,
  }),
  "POST /api/contact-imports/{importId}/check": ({ importId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/contact-imports/${importId}/check`,
    body: {},
  }),
  "POST /api/contact-imports/{importId}/start": ({ a, importId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/contact-imports/${importId}/start`,
    body: { agencyIds: [a.agencies[0]], onlyValid: true },
  }),
  "GET /api/contact-imports/{importId}/report": ({ importId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/contact-imports/${importId}/report`,
  }),
};

let seed: Seed;
let b: TestCompany;

beforeAll(async () => {
  const marker = `Alpha${ulid()}`;
  const a = await newCompany(`Société ${marker}`);
  const user = await addUser(a, "user", [a.agencies[0]]);
  const invitation = await withActor(
    {
      type: "user",
      companyId: a.companyId,
      userId: a.admin.userId,
      role: "admin",
      agencyIds: [a.agencies[0]],
      name: "Alice",
    },
    () =>
      Invitation.create({
        channel: "email",
        email: `invitee-${marker.toLowerCase()}@example.fr`,
        role: "user",
        agencyIds: [a.agencies[0]],
      }),
  );
  // A's activity fills its audit log, which B must never see.
  const asA = await loggedIn(a, a.admin.email);
  const contact = await asA.post("/api/contacts", {
    lastName: marker,
    mobile: "0699887766",
    agencyIds: [a.agencies[0]],
  });
  const contactId = (contact.body.contact as { contactId: string }).contactId;
  const list = await asA.post("/api/lists", {
    name: marker,
    agencyId: a.agencies[0],
    fields: ["date_rdv"],
    contactIds: [contactId],
  });
  const listId = (list.body.list as { listId: string }).listId;
  const contactImport = await asA.post("/api/contact-imports", { fileName: `${marker}.csv`, size: 1000 });
  const importId = (contactImport.body.import as { importId: string }).importId;
  const template = await asA.post("/api/templates", {
    name: marker,
    kind: "info",
    smsBody: `Bonjour ${marker}`,
    scope: "company",
  });
  const templateId = (template.body.template as { templateId: string }).templateId;
  const campaign = await asA.post("/api/campaigns", {
    kind: "info",
    smsBody: `Info ${marker}`,
    recipients: { contactIds: [contactId] },
    title: marker,
    agencyId: a.agencies[0],
    sendAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  const campaignId = (campaign.body.campaign as { campaignId: string }).campaignId;
  const messages = await asA.get(`/api/campaigns/${campaignId}/messages`);
  const messageId = (messages.body.items as Array<{ messageId: string }>)[0]!.messageId;
  // A's dead letter: a send job that failed every attempt.
  const deadLetterId = ulid();
  await DeadLetter.record({
    messageId: deadLetterId,
    body: JSON.stringify({ kind: "send", companyId: a.companyId, campaignId, messageIds: [messageId] }),
    attempts: 5,
  });
  seed = {
    deadLetterId,
    templateId,
    campaignId,
    messageId,
    a,
    marker,
    userId: user.userId,
    invitationId: invitation.invitationId,
    contactId,
    listId,
    importId,
  };
  b = await newCompany("Société Bravo");
});

async function routesOfTheDocument() {
  const document = (await (await app.request("/api/openapi.json")).json()) as {
    paths: Record<string, object>;
  };
  const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
  // The reference page is served beside the document rather than described in it.
  return [...routes, "GET /api/openapi.json", "GET /api/docs"];
}

describe("tenant isolation", () => {
  it("has a case for every route of the API", async () => {
    const missing = (await routesOfTheDocument()).filter((route) => !(route in cases));
    expect(missing).toEqual([]);
  });

  it("has no case for a route that no longer exists", async () => {
    const routes = new Set(await routesOfTheDocument());
    expect(Object.keys(cases).filter((route) => !routes.has(route))).toEqual([]);
  });

  for (const [route, build] of Object.entries(cases)) {
    it(`${route}: company B gets nothing of company A`, async () => {
      const play = build(seed);
      const client = play.kind === "public" ? browser() : await loggedIn(b, b.admin.email);
      const response = await client.request(play.method, play.path, play.body);
      const text = JSON.stringify(response.body ?? "");
      if (play.kind === "refused") expect([403, 404]).toContain(response.status);
      if (play.kind === "own") expect(response.status).toBeLessThan(500);
      if (play.kind === "public") expect(play.status).toContain(response.status);
      expect(text).not.toContain(seed.marker);
      expect(text).not.toContain(seed.a.admin.email);
      expect(text).not.toContain(seed.a.companyId);
    });
  }

  it("left company A untouched", async () => {
    const company = await withActor({ type: "system", companyId: seed.a.companyId, reason: "test" }, () =>
      Company.current(),
    );
    expect(company.name).toBe(`Société ${seed.marker}`);
    const asA = await loggedIn(seed.a, seed.a.admin.email);
    const user = await asA.get(`/api/users/${seed.userId}`);
    expect(user.body).toMatchObject({ user: { firstName: "Test", status: "active" } });
    const contact = await asA.get(`/api/contacts/${seed.contactId}`);
    expect(contact.body).toMatchObject({ contact: { lastName: seed.marker, archived: false, optOut: {} } });
    const list = await asA.get(`/api/lists/${seed.listId}`);
    expect(list.body).toMatchObject({
      list: { name: seed.marker, memberCount: 1, fields: [{ name: "date_rdv" }] },
    });
    const members = await asA.get(`/api/lists/${seed.listId}/members`);
    expect(members.body.items).toMatchObject([{ contactId: seed.contactId, fields: {} }]);
    const contactImport = await asA.get(`/api/contact-imports/${seed.importId}`);
    expect(contactImport.body).toMatchObject({
      import: { status: "uploading", agencyIds: [seed.a.agencies[0]] },
    });
    const agencies = await asA.get("/api/agencies");
    expect((agencies.body.items as Array<{ archived: boolean }>).every((agency) => !agency.archived)).toBe(
      true,
    );
  });
});
