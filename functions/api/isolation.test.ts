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
  partnerId: string;
  partnerMobile: string;
  batchId: string;
  documentId: string;
  linkId: string;
  partnerImportId: string;
  customerId: string;
  customerMobile: string;
  vehicleId: string;
  reminderId: string;
  scenarioId: string;
  customerImportId: string;
  keyId: string;
  endpointId: string;
  recruitmentId: string;
  slug: string;
  dossierId: string;
  ruleId: string;
  infoCampaignId: string;
  staffGroupId: string;
  employeeId: string;
  announcementId: string;
  surveyId: string;
};

type Case =
  /** Refused: A's ids in path, query or body are not found or forbidden for B. */
  | { kind: "refused"; method: string; path: string; body?: unknown }
  /** Answers about B's own company only: must not contain any A data. */
  | { kind: "own"; method: string; path: string; body?: unknown }
  /** Public by design (login, reset, token-guarded links); must not leak A data either. */
  | { kind: "public"; method: string; path: string; body?: unknown; status: number[] }
  /** The operators' console: a company session has no operator session, so 401 whatever the ids. */
  | { kind: "operator"; method: string; path: string; body?: unknown };

/** The twelve months up to this one: A's campaigns of the day are in them. */
const thisYear = () => {
  const now = new Date();
  const month = (at: Date) => at.toISOString().slice(0, 7);
  return `from=${month(new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1)))}&to=${month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)))}`;
};

const cases: Record<string, (seed: Seed) => Case> = {
  "POST /api/operator/auth/login": ({ a }) => ({
    kind: "public",
    method: "POST",
    path: "/api/operator/auth/login",
    body: { email: a.admin.email, password: "not-an-operator" },
    status: [401],
  }),
  "POST /api/operator/auth/totp": () => ({
    kind: "operator",
    method: "POST",
    path: "/api/operator/auth/totp",
    body: { code: "123456" },
  }),
  "GET /api/operator/auth/session": () => ({
    kind: "operator",
    method: "GET",
    path: "/api/operator/auth/session",
  }),
  "POST /api/operator/auth/logout": () => ({
    kind: "operator",
    method: "POST",
    path: "/api/operator/auth/logout",
  }),
  "GET /api/operator/companies": () => ({ kind: "operator", method: "GET", path: "/api/operator/companies" }),
  "POST /api/operator/companies": () => ({
    kind: "operator",
    method: "POST",
    path: "/api/operator/companies",
    body: { code: `I${ulid().slice(-8)}`, name: "Intrus", admin: { email: "intrus@example.fr" } },
  }),
  "GET /api/operator/companies/{companyId}": ({ a }) => ({
    kind: "operator",
    method: "GET",
    path: `/api/operator/companies/${a.companyId}`,
  }),
  "PATCH /api/operator/companies/{companyId}/terms": ({ a }) => ({
    kind: "operator",
    method: "PATCH",
    path: `/api/operator/companies/${a.companyId}/terms`,
    body: { monthlyCapMillicents: 0 },
  }),
  "POST /api/operator/companies/{companyId}/suspend": ({ a }) => ({
    kind: "operator",
    method: "POST",
    path: `/api/operator/companies/${a.companyId}/suspend`,
    body: {},
  }),
  "POST /api/operator/companies/{companyId}/reactivate": ({ a }) => ({
    kind: "operator",
    method: "POST",
    path: `/api/operator/companies/${a.companyId}/reactivate`,
  }),
  "POST /api/operator/companies/{companyId}/close": ({ a }) => ({
    kind: "operator",
    method: "POST",
    path: `/api/operator/companies/${a.companyId}/close`,
    body: {},
  }),
  "GET /api/operator/audit": () => ({ kind: "operator", method: "GET", path: "/api/operator/audit" }),
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
  "POST /api/extension/auth/login": ({ a }) => ({
    kind: "public",
    method: "POST",
    path: "/api/extension/auth/login",
    body: { companyCode: a.code, email: a.admin.email, password: "not-their-password" },
    status: [401],
  }),
  "POST /api/extension/auth/refresh": () => ({
    kind: "public",
    method: "POST",
    path: "/api/extension/auth/refresh",
    body: { refreshToken: `rxr_${"A".repeat(43)}` },
    status: [401],
  }),
  "POST /api/extension/auth/logout": () => ({
    kind: "public",
    method: "POST",
    path: "/api/extension/auth/logout",
    body: { refreshToken: `rxr_${"A".repeat(43)}` },
    status: [204],
  }),
  "GET /api/extension/replies": () => ({ kind: "own", method: "GET", path: "/api/extension/replies" }),

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
  "GET /api/campaigns/departure": () => ({
    kind: "own",
    method: "GET",
    path: "/api/campaigns/departure?at=2026-12-13T10:00:00%2B01:00",
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
  "POST /api/lists/paste-preview": () => ({
    kind: "own",
    method: "POST",
    path: "/api/lists/paste-preview",
    body: { text: "Mobile\tDate RDV\n0699887766\t12/03/2027", fields: ["Date_RDV"] },
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
  "GET /api/contact-imports/template": () => ({
    kind: "own",
    method: "GET",
    path: "/api/contact-imports/template",
  }),
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
  "GET /api/partners/categories": () => ({ kind: "own", method: "GET", path: "/api/partners/categories" }),
  "POST /api/partners/categories": () => ({
    kind: "own",
    method: "POST",
    path: "/api/partners/categories",
    body: { name: "Catégorie B" },
  }),
  "GET /api/partners": () => ({ kind: "own", method: "GET", path: "/api/partners?q=alpha" }),
  "POST /api/partners": ({ partnerMobile }) => ({
    kind: "own",
    method: "POST",
    path: "/api/partners",
    body: { lastName: "Bravo", mobile: partnerMobile, categoryIds: ["client"] },
  }),
  "POST /api/partners/from-contact": ({ contactId }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/partners/from-contact",
    body: { contactId, categoryIds: ["client"] },
  }),
  "GET /api/partners/imports/template": () => ({
    kind: "own",
    method: "GET",
    path: "/api/partners/imports/template",
  }),
  "POST /api/partners/imports": () => ({
    kind: "own",
    method: "POST",
    path: "/api/partners/imports",
    body: { fileName: "partenaires-b.csv", size: 100 },
  }),
  "POST /api/partners/imports/{importId}/check": ({ partnerImportId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/partners/imports/${partnerImportId}/check`,
  }),
  "POST /api/partners/imports/{importId}/start": ({ partnerImportId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/partners/imports/${partnerImportId}/start`,
    body: { onlyValid: true },
  }),
  "GET /api/partners/imports/{importId}": ({ partnerImportId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/partners/imports/${partnerImportId}`,
  }),
  "GET /api/partners/{partnerId}": ({ partnerId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/partners/${partnerId}`,
  }),
  "PUT /api/partners/{partnerId}": ({ partnerId }) => ({
    kind: "refused",
    method: "PUT",
    path: `/api/partners/${partnerId}`,
    body: { lastName: "Pirate", email: "pirate@example.fr", categoryIds: ["client"] },
  }),
  "GET /api/partners/{partnerId}/history": ({ partnerId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/partners/${partnerId}/history`,
  }),
  "GET /api/partners/{partnerId}/history.xlsx": ({ partnerId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/partners/${partnerId}/history.xlsx`,
  }),
  "POST /api/partners/{partnerId}/links": ({ partnerId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/partners/${partnerId}/links`,
    body: {},
  }),
  "DELETE /api/partners/{partnerId}/links/{linkId}": ({ partnerId, linkId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/partners/${partnerId}/links/${linkId}`,
  }),
  "GET /api/vault/types": () => ({ kind: "own", method: "GET", path: "/api/vault/types" }),
  "POST /api/vault/types": () => ({
    kind: "own",
    method: "POST",
    path: "/api/vault/types",
    body: { name: "Type B", typology: "autres", retentionMonths: 12 },
  }),
  "POST /api/vault/plan": ({ partnerId }) => ({
    kind: "own",
    method: "POST",
    path: "/api/vault/plan",
    body: { typeId: "attestation", files: [{ fileName: "a.pdf", size: 10, partnerId }] },
  }),
  "GET /api/vault/batches": () => ({ kind: "own", method: "GET", path: "/api/vault/batches" }),
  "POST /api/vault/batches": ({ a, partnerId }) => ({
    kind: "own",
    method: "POST",
    path: "/api/vault/batches",
    body: {
      typeId: "attestation",
      agencyId: a.agencies[0],
      files: [{ fileName: "a.pdf", size: 10, partnerId }],
    },
  }),
  "GET /api/vault/batches/{batchId}": ({ batchId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/vault/batches/${batchId}`,
  }),
  "POST /api/vault/batches/{batchId}/publish": ({ batchId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/vault/batches/${batchId}/publish`,
  }),
  "POST /api/espace/auth/code": ({ partnerMobile }) => ({
    kind: "public",
    method: "POST",
    path: "/api/espace/auth/code",
    body: { address: partnerMobile },
    status: [202],
  }),
  "POST /api/espace/auth/verify": ({ partnerMobile }) => ({
    kind: "public",
    method: "POST",
    path: "/api/espace/auth/verify",
    body: { address: partnerMobile, code: "000000" },
    status: [401],
  }),
  "POST /api/espace/auth/choose": () => ({
    kind: "public",
    method: "POST",
    path: "/api/espace/auth/choose",
    body: { ticket: "not-a-ticket", choice: 0 },
    status: [401],
  }),
  "POST /api/espace/auth/logout": () => ({
    kind: "public",
    method: "POST",
    path: "/api/espace/auth/logout",
    status: [204],
  }),
  "GET /api/espace": () => ({ kind: "public", method: "GET", path: "/api/espace", status: [401] }),
  "POST /api/espace/documents/{documentId}/open": ({ documentId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/espace/documents/${documentId}/open`,
    status: [401],
  }),
  "GET /api/espace/documents/{documentId}/file": ({ documentId }) => ({
    kind: "public",
    method: "GET",
    path: `/api/espace/documents/${documentId}/file`,
    status: [401],
  }),
  "GET /api/espace/campaigns/{campaignId}/logo": ({ infoCampaignId }) => ({
    kind: "public",
    method: "GET",
    path: `/api/espace/campaigns/${infoCampaignId}/logo`,
    status: [401],
  }),
  "GET /api/info-campaigns": () => ({ kind: "own", method: "GET", path: "/api/info-campaigns" }),
  "POST /api/info-campaigns": () => ({
    kind: "own",
    method: "POST",
    path: "/api/info-campaigns",
    body: { title: "Campagne B", startAt: new Date(Date.now() + 86_400_000).toISOString() },
  }),
  "GET /api/info-campaigns/{campaignId}": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/info-campaigns/${infoCampaignId}`,
  }),
  "PUT /api/info-campaigns/{campaignId}/steps": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "PUT",
    path: `/api/info-campaigns/${infoCampaignId}/steps`,
    body: { step: "trigger", trigger: { trigger: "recipient_type" } },
  }),
  "POST /api/info-campaigns/{campaignId}/files": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/info-campaigns/${infoCampaignId}/files`,
    body: { fileName: "fiche.pdf", size: 100 },
  }),
  "POST /api/info-campaigns/{campaignId}/logo": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/info-campaigns/${infoCampaignId}/logo`,
    body: { fileName: "logo.png", size: 100 },
  }),
  "GET /api/info-campaigns/{campaignId}/logo": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/info-campaigns/${infoCampaignId}/logo`,
  }),
  "POST /api/info-campaigns/{campaignId}/launch": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/info-campaigns/${infoCampaignId}/launch`,
  }),
  "POST /api/info-campaigns/{campaignId}/close": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/info-campaigns/${infoCampaignId}/close`,
  }),
  "DELETE /api/info-campaigns/{campaignId}": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/info-campaigns/${infoCampaignId}`,
  }),
  "GET /api/info-campaigns/{campaignId}/partners.xlsx": ({ infoCampaignId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/info-campaigns/${infoCampaignId}/partners.xlsx`,
  }),
  "POST /api/espace/documents/{documentId}/sign/code": ({ documentId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/espace/documents/${documentId}/sign/code`,
    status: [401],
  }),
  "POST /api/espace/documents/{documentId}/sign": ({ documentId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/espace/documents/${documentId}/sign`,
    body: { code: "123456", consent: true, typedName: "Intrus" },
    status: [401],
  }),
  "PATCH /api/vault/types/{typeId}": () => ({
    kind: "own",
    method: "PATCH",
    path: "/api/vault/types/attestation",
    body: { signDays: 10 },
  }),
  "GET /api/vault/documents/{documentId}/signed": ({ documentId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/vault/documents/${documentId}/signed`,
  }),
  "GET /api/vault/documents/{documentId}/evidence": ({ documentId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/vault/documents/${documentId}/evidence`,
  }),
  "GET /api/signature/certificate": () => ({
    kind: "own",
    method: "GET",
    path: "/api/signature/certificate",
  }),
  "PUT /api/signature/certificate": () => ({
    kind: "own",
    method: "PUT",
    path: "/api/signature/certificate",
    body: { file: "AAAA", password: "x" },
  }),
  "DELETE /api/signature/certificate": () => ({
    kind: "own",
    method: "DELETE",
    path: "/api/signature/certificate",
  }),
  "GET /api/staff/settings": () => ({ kind: "own", method: "GET", path: "/api/staff/settings" }),
  "PUT /api/staff/settings": () => ({
    kind: "own",
    method: "PUT",
    path: "/api/staff/settings",
    body: { phone: "04 00 00 00 00" },
  }),
  "GET /api/staff/groups": () => ({ kind: "own", method: "GET", path: "/api/staff/groups" }),
  "POST /api/staff/groups": () => ({
    kind: "own",
    method: "POST",
    path: "/api/staff/groups",
    body: { name: "Groupe B" },
  }),
  "GET /api/staff/groups/{groupId}": ({ staffGroupId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/groups/${staffGroupId}`,
  }),
  "PATCH /api/staff/groups/{groupId}": ({ staffGroupId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/staff/groups/${staffGroupId}`,
    body: { name: "Renamed" },
  }),
  "DELETE /api/staff/groups/{groupId}": ({ staffGroupId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/staff/groups/${staffGroupId}`,
  }),
  "GET /api/staff/groups/{groupId}/members": ({ staffGroupId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/groups/${staffGroupId}/members`,
  }),
  "POST /api/staff/groups/{groupId}/members": ({ staffGroupId, employeeId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/groups/${staffGroupId}/members`,
    body: { partnerIds: [employeeId] },
  }),
  "POST /api/staff/groups/{groupId}/paste": ({ staffGroupId, partnerMobile }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/groups/${staffGroupId}/paste`,
    body: { text: partnerMobile },
  }),
  "POST /api/staff/groups/{groupId}/import/uploads": ({ staffGroupId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/groups/${staffGroupId}/import/uploads`,
    body: { fileName: "groupe.xlsx", size: 100 },
  }),
  "POST /api/staff/groups/{groupId}/import/{uploadId}": ({ staffGroupId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/groups/${staffGroupId}/import/${ulid()}`,
  }),
  "DELETE /api/staff/groups/{groupId}/members/{partnerId}": ({ staffGroupId, employeeId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/staff/groups/${staffGroupId}/members/${employeeId}`,
  }),
  "GET /api/staff/announcements": () => ({ kind: "own", method: "GET", path: "/api/staff/announcements" }),
  "POST /api/staff/announcements": ({ staffGroupId }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/staff/announcements",
    body: {
      type: "message",
      titleFr: "Vol",
      titleEn: "Theft",
      groupIds: [staffGroupId],
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  }),
  "GET /api/staff/announcements/{announcementId}": ({ announcementId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/announcements/${announcementId}`,
  }),
  "DELETE /api/staff/announcements/{announcementId}": ({ announcementId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/staff/announcements/${announcementId}`,
  }),
  "POST /api/staff/announcements/{announcementId}/image": ({ announcementId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/announcements/${announcementId}/image`,
    body: { contentType: "image/png" },
  }),
  "POST /api/staff/announcements/{announcementId}/image/process": ({ announcementId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/announcements/${announcementId}/image/process`,
  }),
  "GET /api/espace/announcements/{announcementId}/image/{width}": ({ announcementId }) => ({
    kind: "public",
    method: "GET",
    path: `/api/espace/announcements/${announcementId}/image/640`,
    status: [401],
  }),
  "GET /api/espace/push/key": () => ({
    kind: "public",
    method: "GET",
    path: "/api/espace/push/key",
    status: [401],
  }),
  "PUT /api/espace/push/subscription": () => ({
    kind: "public",
    method: "PUT",
    path: "/api/espace/push/subscription",
    body: { endpoint: "https://fcm.googleapis.com/fcm/send/x", keys: { p256dh: "x", auth: "y" } },
    status: [401],
  }),
  "POST /api/espace/push/unsubscribe": () => ({
    kind: "public",
    method: "POST",
    path: "/api/espace/push/unsubscribe",
    body: { endpoint: "https://fcm.googleapis.com/fcm/send/x" },
    status: [401],
  }),
  "POST /api/staff/announcements/{announcementId}/attachment": ({ announcementId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/announcements/${announcementId}/attachment`,
    body: { fileName: "a.pdf", contentType: "application/pdf" },
  }),
  "POST /api/staff/announcements/{announcementId}/attachment/confirm": ({ announcementId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/staff/announcements/${announcementId}/attachment/confirm`,
    body: { fileName: "a.pdf", contentType: "application/pdf" },
  }),
  "GET /api/espace/announcements/{announcementId}/attachment": ({ announcementId }) => ({
    kind: "public",
    method: "GET",
    path: `/api/espace/announcements/${announcementId}/attachment`,
    status: [401],
  }),
  "GET /api/staff/surveys": () => ({ kind: "own", method: "GET", path: "/api/staff/surveys" }),
  "POST /api/staff/surveys": ({ staffGroupId }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/staff/surveys",
    body: {
      question: "Vol ?",
      type: "yesno",
      groupIds: [staffGroupId],
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  }),
  "GET /api/staff/surveys/{surveyId}": ({ surveyId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/surveys/${surveyId}`,
  }),
  "DELETE /api/staff/surveys/{surveyId}": ({ surveyId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/staff/surveys/${surveyId}`,
  }),
  "GET /api/staff/surveys/{surveyId}/report": ({ surveyId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/surveys/${surveyId}/report`,
  }),
  "GET /api/staff/surveys/{surveyId}/answers.csv": ({ surveyId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/surveys/${surveyId}/answers.csv`,
  }),
  "GET /api/staff/surveys/{surveyId}/answers.xlsx": ({ surveyId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/staff/surveys/${surveyId}/answers.xlsx`,
  }),
  "GET /api/espace/surveys": () => ({
    kind: "public",
    method: "GET",
    path: "/api/espace/surveys",
    status: [401],
  }),
  "GET /api/espace/surveys/{surveyId}": ({ surveyId }) => ({
    kind: "public",
    method: "GET",
    path: `/api/espace/surveys/${surveyId}`,
    status: [401],
  }),
  "PUT /api/espace/surveys/{surveyId}/answer": ({ surveyId }) => ({
    kind: "public",
    method: "PUT",
    path: `/api/espace/surveys/${surveyId}/answer`,
    body: { yes: true },
    status: [401],
  }),
  "GET /api/espace/contact": () => ({
    kind: "public",
    method: "GET",
    path: "/api/espace/contact",
    status: [401],
  }),
  "GET /api/espace/announcements": () => ({
    kind: "public",
    method: "GET",
    path: "/api/espace/announcements",
    status: [401],
  }),
  "POST /api/espace/announcements/{announcementId}/open": ({ announcementId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/espace/announcements/${announcementId}/open`,
    status: [401],
  }),
  "GET /api/reminders/scenarios": () => ({ kind: "own", method: "GET", path: "/api/reminders/scenarios" }),
  "POST /api/reminders/scenarios": () => ({
    kind: "own",
    method: "POST",
    path: "/api/reminders/scenarios",
    body: { name: "Contrôle B", template: "Bonjour {nom}", delayMonths: 6 },
  }),
  "PATCH /api/reminders/scenarios/{scenarioId}": ({ scenarioId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/reminders/scenarios/${scenarioId}`,
    body: { template: "Changed" },
  }),
  "GET /api/reminders/customers/lookup": ({ customerMobile }) => ({
    kind: "own",
    method: "GET",
    path: `/api/reminders/customers/lookup?mobile=${encodeURIComponent(customerMobile)}`,
  }),
  "POST /api/reminders/customers": ({ customerId, a, vehicleId }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/reminders/customers",
    body: {
      contactId: customerId,
      agencyId: a.agencies[0],
      mobile: "0611223344",
      lastName: "Intrus",
      vehicle: { vehicleId, plate: "AB-123-CD" },
    },
  }),
  "GET /api/reminders/customers/{contactId}": ({ customerId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/reminders/customers/${customerId}`,
  }),
  "POST /api/reminders/plan": () => ({
    kind: "own",
    method: "POST",
    path: "/api/reminders/plan",
    body: { vehicle: { deliveryDate: "01/01/2022", deliveryKm: "0" }, scenarioIds: ["revision"] },
  }),
  "GET /api/reminders": ({ customerId }) => ({
    kind: "own",
    method: "GET",
    path: `/api/reminders?contactId=${customerId}`,
  }),
  "POST /api/reminders": ({ customerId, vehicleId, a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/reminders",
    body: { contactId: customerId, vehicleId, agencyId: a.agencies[0], items: [{ scenarioId: "revision" }] },
  }),
  "GET /api/home": () => ({ kind: "own", method: "GET", path: "/api/home" }),
  "GET /api/reports": () => ({ kind: "own", method: "GET", path: `/api/reports?${thisYear()}` }),
  "GET /api/usage": () => ({ kind: "own", method: "GET", path: "/api/usage" }),
  "GET /api/operator/usage": () => ({ kind: "operator", method: "GET", path: "/api/operator/usage" }),
  "GET /api/operator/usage/export": () => ({
    kind: "operator",
    method: "GET",
    path: "/api/operator/usage/export",
  }),
  "GET /api/operator/usage/{companyId}": ({ a }) => ({
    kind: "operator",
    method: "GET",
    path: `/api/operator/usage/${a.companyId}`,
  }),
  "GET /api/reports/export": () => ({
    kind: "own",
    method: "GET",
    path: `/api/reports/export?${thisYear()}`,
  }),
  "GET /api/reminders/imports/template": () => ({
    kind: "own",
    method: "GET",
    path: "/api/reminders/imports/template",
  }),
  "POST /api/reminders/imports": () => ({
    kind: "own",
    method: "POST",
    path: "/api/reminders/imports",
    body: { fileName: "clients-b.csv", size: 100 },
  }),
  "POST /api/reminders/imports/{importId}/check": ({ customerImportId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/reminders/imports/${customerImportId}/check`,
  }),
  "POST /api/reminders/imports/{importId}/start": ({ customerImportId, a }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/reminders/imports/${customerImportId}/start`,
    body: { agencyId: a.agencies[0], onlyValid: true },
  }),
  "GET /api/reminders/imports/{importId}": ({ customerImportId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/reminders/imports/${customerImportId}`,
  }),
  "GET /api/reminders/{reminderId}": ({ reminderId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/reminders/${reminderId}`,
  }),
  "PATCH /api/reminders/{reminderId}": ({ reminderId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/reminders/${reminderId}`,
    body: { date: "01/01/2099" },
  }),
  "POST /api/reminders/{reminderId}/cancel": ({ reminderId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/reminders/${reminderId}/cancel`,
  }),
  "GET /api/api-keys": () => ({ kind: "own", method: "GET", path: "/api/api-keys" }),
  "POST /api/api-keys": () => ({
    kind: "own",
    method: "POST",
    path: "/api/api-keys",
    body: { name: "Clé B", scopes: ["read"] },
  }),
  "POST /api/api-keys/{keyId}/revoke": ({ keyId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/api-keys/${keyId}/revoke`,
  }),
  "GET /api/webhooks": () => ({ kind: "own", method: "GET", path: "/api/webhooks" }),
  "POST /api/webhooks": () => ({
    kind: "own",
    method: "POST",
    path: "/api/webhooks",
    body: { url: "https://8.8.8.8/b", events: ["message.replied"] },
  }),
  "PATCH /api/webhooks/{endpointId}": ({ endpointId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/webhooks/${endpointId}`,
    body: { active: false },
  }),
  "DELETE /api/webhooks/{endpointId}": ({ endpointId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/webhooks/${endpointId}`,
  }),
  "GET /api/webhooks/{endpointId}/deliveries": ({ endpointId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/webhooks/${endpointId}/deliveries`,
  }),
  "POST /api/webhooks/{endpointId}/deliveries/{eventId}/redeliver": ({ endpointId, keyId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/webhooks/${endpointId}/deliveries/${keyId}/redeliver`,
  }),
  "POST /api/webhooks/{endpointId}/ping": ({ endpointId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/webhooks/${endpointId}/ping`,
  }),
  "GET /api/recruitment/variables": () => ({
    kind: "own",
    method: "GET",
    path: "/api/recruitment/variables",
  }),
  "GET /api/recruitment/campaigns": () => ({
    kind: "own",
    method: "GET",
    path: "/api/recruitment/campaigns",
  }),
  "POST /api/recruitment/campaigns": ({ a }) => ({
    kind: "refused",
    method: "POST",
    path: "/api/recruitment/campaigns",
    body: {
      title: "Intrus",
      agencyId: a.agencies[0],
      opensAt: new Date().toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      description: { fr: "x" },
      fields: [],
    },
  }),
  "GET /api/recruitment/campaigns/{campaignId}": ({ recruitmentId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/recruitment/campaigns/${recruitmentId}`,
  }),
  "PATCH /api/recruitment/campaigns/{campaignId}": ({ recruitmentId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/recruitment/campaigns/${recruitmentId}`,
    body: { title: "Intrus" },
  }),
  "DELETE /api/recruitment/campaigns/{campaignId}": ({ recruitmentId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/recruitment/campaigns/${recruitmentId}`,
  }),
  "GET /api/recruitment/campaigns/{campaignId}/rules": ({ recruitmentId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/recruitment/campaigns/${recruitmentId}/rules`,
  }),
  "POST /api/recruitment/campaigns/{campaignId}/rules": ({ recruitmentId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/recruitment/campaigns/${recruitmentId}/rules`,
    body: {
      section: "manager",
      name: "Intrus",
      statusId: "retenu",
      recipients: { candidate: false, evaluators: false, addresses: ["intrus@example.fr"] },
    },
  }),
  "PATCH /api/recruitment/campaigns/{campaignId}/rules/{ruleId}": ({ recruitmentId, ruleId }) => ({
    kind: "refused",
    method: "PATCH",
    path: `/api/recruitment/campaigns/${recruitmentId}/rules/${ruleId}`,
    body: { enabled: false },
  }),
  "DELETE /api/recruitment/campaigns/{campaignId}/rules/{ruleId}": ({ recruitmentId, ruleId }) => ({
    kind: "refused",
    method: "DELETE",
    path: `/api/recruitment/campaigns/${recruitmentId}/rules/${ruleId}`,
  }),
  "POST /api/recruitment/campaigns/{campaignId}/rules/{ruleId}/test": ({ recruitmentId, ruleId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/recruitment/campaigns/${recruitmentId}/rules/${ruleId}/test`,
  }),
  "GET /api/recruitment/campaigns/{campaignId}/dossiers": ({ recruitmentId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/recruitment/campaigns/${recruitmentId}/dossiers`,
  }),
  "POST /api/recruitment/campaigns/{campaignId}/dossiers/status/preview": ({ recruitmentId, dossierId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/recruitment/campaigns/${recruitmentId}/dossiers/status/preview`,
    body: { dossierIds: [dossierId], statusId: "retenu" },
  }),
  "POST /api/recruitment/campaigns/{campaignId}/dossiers/status": ({ recruitmentId, dossierId }) => ({
    kind: "refused",
    method: "POST",
    path: `/api/recruitment/campaigns/${recruitmentId}/dossiers/status`,
    body: { dossierIds: [dossierId], statusId: "retenu" },
  }),
  "GET /api/recruitment/campaigns/{campaignId}/dossiers/{dossierId}": ({ recruitmentId, dossierId }) => ({
    kind: "refused",
    method: "GET",
    path: `/api/recruitment/campaigns/${recruitmentId}/dossiers/${dossierId}`,
  }),
  "PUT /api/recruitment/campaigns/{campaignId}/dossiers/{dossierId}/evaluator": ({
    recruitmentId,
    dossierId,
    userId,
  }) => ({
    kind: "refused",
    method: "PUT",
    path: `/api/recruitment/campaigns/${recruitmentId}/dossiers/${dossierId}/evaluator`,
    body: { evaluatorId: userId },
  }),
  // The public form: the slug is public by design; a draft needs its token's secret.
  "GET /api/public/apply/{slug}": ({ slug }) => ({
    kind: "public",
    method: "GET",
    path: `/api/public/apply/${slug}x`,
    status: [404],
  }),
  "POST /api/public/apply/{slug}/draft": ({ slug, dossierId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/public/apply/${slug}/draft`,
    body: { resumeToken: `${dossierId}.guessed`, answers: {} },
    status: [404],
  }),
  "POST /api/public/apply/{slug}/draft/load": ({ slug, dossierId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/public/apply/${slug}/draft/load`,
    body: { resumeToken: `${dossierId}.guessed` },
    status: [404],
  }),
  "POST /api/public/apply/{slug}/uploads": ({ slug, dossierId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/public/apply/${slug}/uploads`,
    body: {
      resumeToken: `${dossierId}.guessed`,
      fieldId: "cv",
      fileName: "cv.pdf",
      contentType: "application/pdf",
      size: 100,
    },
    status: [404],
  }),
  "POST /api/public/apply/{slug}/submit": ({ slug, dossierId }) => ({
    kind: "public",
    method: "POST",
    path: `/api/public/apply/${slug}/submit`,
    body: {
      resumeToken: `${dossierId}.guessed`,
      candidate: { firstName: "Intrus", lastName: "Intrus", email: "intrus@example.fr" },
      answers: {},
    },
    status: [404],
  }),
  "GET /l/{token}": ({ linkId }) => ({
    kind: "public",
    method: "GET",
    path: `/l/${linkId.slice(0, 22)}`,
    status: [404],
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
  // A's vault: a partner, an upload waiting for its file, a signed link.
  const partnerMobile = `+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const partner = await asA.post("/api/partners", {
    lastName: marker,
    mobile: partnerMobile,
    matricule: marker.slice(-8),
    categoryIds: ["interimaire"],
  });
  const partnerId = (partner.body.partner as { partnerId: string }).partnerId;
  const batch = await asA.post("/api/vault/batches", {
    typeId: "attestation",
    agencyId: a.agencies[0],
    files: [{ fileName: `${marker}.pdf`, size: 100, partnerId }],
  });
  const batchId = batch.body.batchId as string;
  const documentId = (batch.body.uploads as Array<{ documentId: string }>)[0]!.documentId;
  const link = await asA.post(`/api/partners/${partnerId}/links`, {});
  const linkId = link.body.linkId as string;
  // A's information campaign, a draft with a logo waiting for its bytes.
  const infoCampaign = await asA.post("/api/info-campaigns", {
    title: `Campagne ${marker}`,
    startAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const infoCampaignId = (infoCampaign.body.campaign as { campaignId: string }).campaignId;
  await asA.post(`/api/info-campaigns/${infoCampaignId}/logo`, { fileName: "logo.png", size: 100 });
  const partnerImport = await asA.post("/api/partners/imports", { fileName: `${marker}.csv`, size: 100 });
  const partnerImportId = partnerImport.body.importId as string;
  // A's after-sales reminder, with its own scenario.
  const customerMobile = `+3362${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const customer = await asA.post("/api/reminders/customers", {
    agencyId: a.agencies[0],
    mobile: customerMobile,
    civility: "M",
    lastName: marker,
    vehicle: { plate: "AB-123-CD", model: marker },
  });
  const customerInfo = customer.body.customer as {
    contactId: string;
    vehicles: Array<{ vehicleId: string }>;
  };
  const scenario = await asA.post("/api/reminders/scenarios", {
    name: `Scénario ${marker}`,
    template: `Bonjour ${marker}`,
    delayMonths: 6,
  });
  const scheduled = await asA.post("/api/reminders", {
    contactId: customerInfo.contactId,
    vehicleId: customerInfo.vehicles[0]!.vehicleId,
    agencyId: a.agencies[0],
    items: [{ scenarioId: "revision", inMonths: 6 }],
  });
  const customerImport = await asA.post("/api/reminders/imports", { fileName: `${marker}.csv`, size: 100 });
  const customerImportId = customerImport.body.importId as string;
  // A's integrations: an API key and a webhook endpoint (an IP literal: no DNS, nothing sent).
  const key = await asA.post("/api/api-keys", { name: marker, scopes: ["read"] });
  const endpoint = await asA.post("/api/webhooks", {
    url: `https://8.8.8.8/${marker}`,
    events: ["message.replied"],
  });
  const integrations = {
    keyId: (key.body.apiKey as { keyId: string }).keyId,
    endpointId: (endpoint.body.endpoint as { endpointId: string }).endpointId,
  };
  // A's recruitment campaign, a submitted dossier and a rule.
  const recruitment = await asA.post("/api/recruitment/campaigns", {
    title: marker,
    agencyId: a.agencies[0],
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    description: { fr: marker },
    fields: [{ fieldId: "cv", kind: "file", label: { fr: "CV" }, required: false }],
    evaluatorIds: [user.userId],
  });
  const recruitmentInfo = recruitment.body.campaign as { campaignId: string; slug: string };
  const submitted = await browser().post(
    `/api/public/apply/${recruitmentInfo.slug}/submit`,
    {
      candidate: { firstName: marker, lastName: marker, email: `${marker.toLowerCase()}@example.fr` },
      answers: {},
    },
    { "idempotency-key": ulid() },
  );
  const rule = await asA.post(`/api/recruitment/campaigns/${recruitmentInfo.campaignId}/rules`, {
    section: "manager",
    name: marker,
    statusId: "retenu",
    recipients: { candidate: true, evaluators: false, addresses: [] },
  });
  // A's employees: a group with one employee, an announcement to it.
  const employee = await asA.post("/api/partners", {
    lastName: `Salarié ${marker}`,
    mobile: `+3363${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
    categoryIds: ["salarie-structure"],
  });
  const employeeId = (employee.body.partner as { partnerId: string }).partnerId;
  const staffGroup = await asA.post("/api/staff/groups", { name: marker });
  const staffGroupId = (staffGroup.body.group as { groupId: string }).groupId;
  await asA.post(`/api/staff/groups/${staffGroupId}/members`, { partnerIds: [employeeId] });
  const announcement = await asA.post("/api/staff/announcements", {
    type: "advantage",
    titleFr: marker.slice(0, 40),
    titleEn: marker.slice(0, 40),
    description: marker,
    groupIds: [staffGroupId],
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const announcementId = (announcement.body.announcement as { announcementId: string }).announcementId;
  const survey = await asA.post("/api/staff/surveys", {
    question: marker.slice(0, 40),
    description: marker,
    type: "choice",
    choices: [marker, "Autre"],
    groupIds: [staffGroupId],
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const surveyId = (survey.body.survey as { surveyId: string }).surveyId;
  seed = {
    surveyId,
    staffGroupId,
    employeeId,
    announcementId,
    ...integrations,
    recruitmentId: recruitmentInfo.campaignId,
    slug: recruitmentInfo.slug,
    dossierId: submitted.body.dossierId as string,
    ruleId: (rule.body.rule as { ruleId: string }).ruleId,
    customerImportId,
    customerId: customerInfo.contactId,
    customerMobile,
    vehicleId: customerInfo.vehicles[0]!.vehicleId,
    reminderId: (scheduled.body.reminders as Array<{ reminderId: string }>)[0]!.reminderId,
    scenarioId: (scenario.body.scenario as { scenarioId: string }).scenarioId,
    partnerImportId,
    partnerId,
    partnerMobile,
    batchId,
    documentId,
    linkId,
    infoCampaignId,
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
      if (play.kind === "operator") expect(response.status).toBe(401);
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

/**
 * The same harness inside one company: a Manager and a plain User of agency L try agency G's contact on
 * every route that resolves a contact (by id, number or email). Each answer is a refusal or holds nothing
 * of that contact; the contact is left untouched.
 */
describe("agency isolation", () => {
  let company: TestCompany;
  let marker: string;
  let hidden: { contactId: string; mobile: string; email: string };
  let listId: string;
  const players = {} as Record<"manager" | "user", Awaited<ReturnType<typeof loggedIn>>>;

  beforeAll(async () => {
    company = await newCompany();
    const [lyon, grenoble] = company.agencies;
    marker = `G${ulid()}`;
    const admin = await loggedIn(company, company.admin.email);
    const mobile = `+3361${String(Date.now()).slice(-7)}`;
    const email = `${marker.toLowerCase()}@example.fr`;
    const created = await admin.post("/api/contacts", {
      firstName: marker,
      lastName: "Grenoble",
      mobile,
      email,
      position: `poste-${marker}`,
      agencyIds: [grenoble],
    });
    hidden = { contactId: (created.body.contact as { contactId: string }).contactId, mobile, email };
    const list = await admin.post("/api/lists", { name: "Lyon", agencyId: lyon });
    listId = (list.body.list as { listId: string }).listId;
    players.manager = await loggedIn(company, (await addUser(company, "manager", [lyon])).email);
    players.user = await loggedIn(company, (await addUser(company, "user", [lyon])).email);
  });

  type Probe = { method: string; path: string; body?: unknown; status: number[]; code?: string };
  const probes: Record<string, () => Probe> = {
    "reads it by id": () => ({ method: "GET", path: `/api/contacts/${hidden.contactId}`, status: [404] }),
    "previews a campaign to its id": () => ({
      method: "POST",
      path: "/api/campaigns/preview",
      body: { kind: "info", smsBody: "Bonjour %Prénom", recipients: { contactIds: [hidden.contactId] } },
      status: [404],
      code: "contact.not_found",
    }),
    "previews a campaign to its typed number": () => ({
      method: "POST",
      path: "/api/campaigns/preview",
      body: { kind: "info", smsBody: "Bonjour %Prénom", recipients: { entries: [hidden.mobile] } },
      status: [200, 400],
    }),
    "previews a campaign to its typed email": () => ({
      method: "POST",
      path: "/api/campaigns/preview",
      body: {
        kind: "info",
        emailSubject: "x",
        emailHtml: "<p>Bonjour %Prénom</p>",
        recipients: { entries: [hidden.email] },
      },
      status: [200, 400],
    }),
    "reads its number into recipients": () => ({
      method: "POST",
      path: "/api/campaigns/recipients",
      body: { text: `${hidden.mobile}\n${hidden.email}` },
      status: [200],
    }),
    "sends to its id": () => ({
      method: "POST",
      path: "/api/campaigns",
      body: {
        kind: "info",
        smsBody: "Bonjour",
        title: "Envoi",
        agencyId: company.agencies[0],
        recipients: { contactIds: [hidden.contactId] },
        sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      status: [404],
      code: "contact.not_found",
    }),
    "creates a contact with its mobile": () => ({
      method: "POST",
      path: "/api/contacts",
      body: { firstName: "Pirate", mobile: hidden.mobile, agencyIds: [company.agencies[0]] },
      status: [409],
      code: "contact.exists",
    }),
    "creates a contact with its email": () => ({
      method: "POST",
      path: "/api/contacts",
      body: { firstName: "Pirate", email: hidden.email, agencyIds: [company.agencies[0]] },
      status: [409],
      code: "contact.exists",
    }),
    "adds its id to a list of theirs": () => ({
      method: "POST",
      path: `/api/lists/${listId}/members`,
      body: { contactIds: [hidden.contactId] },
      status: [200],
    }),
    "pastes its number into a list of theirs": () => ({
      method: "POST",
      path: `/api/lists/${listId}/paste`,
      body: { text: hidden.mobile },
      status: [200],
    }),
    "reads its conversation": () => ({
      method: "GET",
      path: `/api/conversations/${hidden.contactId}`,
      status: [404],
    }),
    "writes to it in a conversation": () => ({
      method: "POST",
      path: `/api/conversations/${hidden.contactId}/messages`,
      body: { text: "Bonjour" },
      status: [400, 404],
    }),
    "exports it": () => ({ method: "GET", path: `/api/contacts/${hidden.contactId}/export`, status: [404] }),
    "edits it": () => ({
      method: "PATCH",
      path: `/api/contacts/${hidden.contactId}`,
      body: { firstName: "Pirate" },
      status: [404],
    }),
    "searches for it": () => ({ method: "GET", path: `/api/contacts?query=${marker}`, status: [200] }),
  };

  for (const role of ["manager", "user"] as const)
    for (const [name, build] of Object.entries(probes))
      it(`a ${role} of another agency ${name}: nothing of the contact`, async () => {
        const probe = build();
        const response = await players[role].request(probe.method, probe.path, probe.body);
        expect(probe.status).toContain(response.status);
        if (probe.code) expect(response.body.error?.code).toBe(probe.code);
        const text = JSON.stringify(response.body ?? "");
        expect(text).not.toContain(marker);
        // The id echoed back to whoever sent it reveals nothing; found from a number or email, it would.
        if (!JSON.stringify(probe).includes(hidden.contactId)) expect(text).not.toContain(hidden.contactId);
      });

  it("an Admin still sees it through the same doors", async () => {
    const admin = await loggedIn(company, company.admin.email);
    const preview = await admin.post("/api/campaigns/preview", {
      kind: "info",
      smsBody: "Bonjour %Prénom",
      recipients: { contactIds: [hidden.contactId], entries: [hidden.mobile] },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.recipients).toMatchObject([
      { contactId: hidden.contactId, text: `Bonjour ${marker}` },
    ]);
    const read = await admin.post("/api/campaigns/recipients", { text: hidden.mobile });
    expect(read.body.accepted).toMatchObject([{ contact: { contactId: hidden.contactId } }]);
  });

  it("left the contact untouched", async () => {
    const admin = await loggedIn(company, company.admin.email);
    const contact = await admin.get(`/api/contacts/${hidden.contactId}`);
    expect(contact.body.contact).toMatchObject({
      firstName: marker,
      agencyIds: [company.agencies[1]],
      archived: false,
    });
    const members = await admin.get(`/api/lists/${listId}/members`);
    expect(members.body.items).toEqual([]);
  });
});
