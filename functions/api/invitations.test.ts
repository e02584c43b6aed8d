import { beforeAll, describe, expect, it } from "vitest";
import { type Browser, browser, loggedIn, newCompany, type TestCompany } from "./testing";

let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
});

const freshMobile = () => `+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

async function textsTo(number: string) {
  const response = await fetch(
    `${process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}/_emulator/messages?to=${encodeURIComponent(number)}`,
  );
  return ((await response.json()) as { messages: Array<{ body: string }> }).messages;
}

const tokenIn = (text: string) => /invitation\?token=([\w-]+)/.exec(text)?.[1];

describe("invitations", () => {
  it("invites by SMS, and the link registers and logs the person in", async () => {
    const mobile = freshMobile();
    const sent = await admin.post("/api/invitations", {
      channel: "sms",
      email: `sms-${Date.now()}@example.fr`,
      mobile: mobile.replace("+33", "0"),
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    expect(sent.status).toBe(201);
    const [text] = await textsTo(mobile);
    const token = tokenIn(text?.body ?? "");
    expect(token).toBeDefined();
    // The company code is typed at every sign-in: the invitation tells it, in proper French.
    expect(text?.body).toContain(`code entreprise ${company.code}`);
    expect(text?.body).toContain("Créez votre compte");

    const visitor = browser();
    const about = await visitor.get(`/api/public/invitations/${token}`);
    expect(about.body).toMatchObject({ companyName: "Intérim Test", companyCode: company.code, mobile });

    const registered = await visitor.post(`/api/public/invitations/${token}/accept`, {
      firstName: "Léa",
      lastName: "Petit",
      password: "Inscription-2026!",
      acceptTerms: true,
    });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({
      user: { firstName: "Léa", role: "user", mustChangePassword: false },
    });
    expect((await visitor.get("/api/agencies")).status).toBe(200);
    // Registering signed them in: the users page must not say « Jamais connecté ».
    const users = (await admin.get("/api/users")).body as unknown as {
      items: Array<{ firstName: string; lastName: string; lastLoginAt?: string }>;
    };
    expect(
      users.items.find((user) => user.lastName === "Petit" && user.firstName === "Léa")?.lastLoginAt,
    ).toBeDefined();

    const reused = await browser().post(`/api/public/invitations/${token}/accept`, {
      firstName: "Autre",
      lastName: "Personne",
      password: "Inscription-2026!",
      acceptTerms: true,
    });
    expect(reused.status).toBe(410);
    expect(reused.body.error?.code).toBe("invitation.used");
  });

  it("invites by SMS without an email: the person types their login email when accepting", async () => {
    const mobile = freshMobile();
    const sent = await admin.post("/api/invitations", {
      channel: "sms",
      mobile,
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.invitation).not.toHaveProperty("email");
    const token = tokenIn((await textsTo(mobile))[0]?.body ?? "");
    const visitor = browser();
    const about = await visitor.get(`/api/public/invitations/${token}`);
    expect(about.body).not.toHaveProperty("email");
    const form = { firstName: "Nadia", lastName: "Sms", password: "Inscription-2026!", acceptTerms: true };
    const noEmail = await visitor.post(`/api/public/invitations/${token}/accept`, form);
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error?.code).toBe("invitation.email_required");
    const taken = await visitor.post(`/api/public/invitations/${token}/accept`, {
      ...form,
      email: company.admin.email,
    });
    expect(taken.status).toBe(409);
    const email = `nadia-${Date.now()}@example.fr`;
    const registered = await visitor.post(`/api/public/invitations/${token}/accept`, {
      ...form,
      email: email.toUpperCase(),
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    expect(registered.body).toMatchObject({ user: { email } });
    // The email chosen is their login from now on.
    expect(
      (await loggedIn(company, email, form.password).then((client) => client.get("/api/agencies"))).status,
    ).toBe(200);
  });

  it("needs the terms accepted and a strong password", async () => {
    const mobile = freshMobile();
    await admin.post("/api/invitations", {
      channel: "sms",
      email: `terms-${Date.now()}@example.fr`,
      mobile,
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    const token = tokenIn((await textsTo(mobile))[0]?.body ?? "");
    const noTerms = await browser().post(`/api/public/invitations/${token}/accept`, {
      firstName: "A",
      lastName: "B",
      password: "Inscription-2026!",
      acceptTerms: false,
    });
    expect(noTerms.status).toBe(400);
    const weak = await browser().post(`/api/public/invitations/${token}/accept`, {
      firstName: "A",
      lastName: "B",
      password: "faible",
      acceptTerms: true,
    });
    expect(weak.body.error?.code).toBe("password.too_weak");
  });

  it("kills the old link on resend and every link on revoke", async () => {
    const mobile = freshMobile();
    const sent = await admin.post("/api/invitations", {
      channel: "sms",
      email: `resend-${Date.now()}@example.fr`,
      mobile,
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    const invitationId = (sent.body.invitation as { invitationId: string }).invitationId;
    const first = tokenIn((await textsTo(mobile))[0]?.body ?? "");
    expect((await admin.post(`/api/invitations/${invitationId}/resend`)).status).toBe(200);
    const second = tokenIn((await textsTo(mobile))[0]?.body ?? "");
    expect(second).not.toBe(first);
    expect((await browser().get(`/api/public/invitations/${first}`)).status).toBe(404);
    expect((await admin.delete(`/api/invitations/${invitationId}`)).status).toBe(204);
    const revoked = await browser().get(`/api/public/invitations/${second}`);
    expect(revoked.status).toBe(410);
    expect(revoked.body.error?.code).toBe("invitation.revoked");
  });

  it("requires a mobile number to invite by SMS, an email to invite by email, and refuses an email in use", async () => {
    const noEmail = await admin.post("/api/invitations", {
      channel: "email",
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    expect(noEmail.status).toBe(400);
    expect(JSON.stringify(noEmail.body)).toContain("email");
    const noMobile = await admin.post("/api/invitations", {
      channel: "sms",
      email: `x-${Date.now()}@example.fr`,
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    expect(noMobile.status).toBe(400);
    expect(JSON.stringify(noMobile.body)).toContain("mobile");
    const taken = await admin.post("/api/invitations", {
      channel: "email",
      email: company.admin.email,
      role: "user",
      agencyIds: [company.agencies[0]],
    });
    expect(taken.status).toBe(409);
  });

  it("records invitations and logins in the audit log", async () => {
    const log = await admin.get("/api/audit");
    const types = (log.body.items as Array<{ type: string }>).map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining(["auth.login", "invitation.sent", "invitation.accepted"]));
  });
});
