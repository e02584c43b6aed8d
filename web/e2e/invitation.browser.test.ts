import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consoleUrl,
  demo,
  freshMobile,
  launch,
  shot,
  skipNotice,
  submitLogin,
  unique,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/invitation.browser.test.ts");

type SmsMessage = { body: string };

/** The newest text the SMS emulator holds for `to`, waiting for the dispatch to reach it. */
async function lastSmsTo(to: string): Promise<string> {
  const emulator = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
  if (!emulator) throw new Error("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 is not set");
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await fetch(new URL(`/_emulator/messages?to=${encodeURIComponent(to)}`, emulator));
    const { messages } = (await response.json()) as { messages: SmsMessage[] };
    if (messages[0]) return messages[0].body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no SMS reached ${to}`);
}

describe.skipIf(!consoleUrl)("invitation by SMS in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let admin: Page;
  const mobile = freshMobile();
  const email = `${unique("invite")}@example.fr`;
  let link = "";

  beforeAll(async () => {
    browser = await launch();
    admin = await browser.newPage({ viewport, locale: "fr-FR" });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lets the admin invite someone by SMS from the users page", async () => {
    await admin.goto(url("/login?next=/admin/users"));
    await submitLogin(admin, demo);
    await admin.waitForURL(/\/admin\/users$/);

    await admin.getByTestId("users-invite").click();
    const dialog = admin.getByTestId("invite-dialog");
    await dialog.waitFor();
    await dialog.getByTestId("invite-channel-sms").check({ force: true });
    // By SMS the email is optional: the person types it when registering.
    await dialog.getByTestId("user-mobile").fill(mobile);
    expect(await dialog.getByLabel("Agence Lyon Part-Dieu").isChecked()).toBe(true);
    await shot(admin, "invite-dialog");
    await dialog.getByTestId("invite-submit").click();

    await dialog.waitFor({ state: "detached" });
    expect(await admin.getByTestId("toast").first().textContent()).toContain("Invitation envoyée par SMS");
    await admin.getByTestId("tab-invitations").click();
    const national = `0${mobile.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ");
    await admin.locator('[data-testid="invitation-row"]', { hasText: national }).waitFor();
    await shot(admin, "invitations");
  });

  it("texts a registration link to the mobile", async () => {
    const body = await lastSmsTo(mobile);

    const found = /https?:\/\/\S+\/invitation\?token=[\w-]+/.exec(body);
    expect(found, body).not.toBeNull();
    link = found?.[0] ?? "";
  });

  it("registers the invited person from the link and signs them in", async () => {
    const context = await browser.newContext({ viewport, locale: "fr-FR" });
    const page = await context.newPage();
    const target = new URL(link);
    await page.goto(url(target.pathname + target.search));

    await page.getByTestId("invitation-form").waitFor();
    expect(await page.getByTestId("invitation-company").textContent()).toBe("Intérim Démo");
    expect(await page.getByTestId("invitation-company-code").textContent()).toBe("DEMO");
    expect(await page.getByTestId("invitation-email").count()).toBe(0);
    await page.getByTestId("invitation-email-input").fill(email);
    await page.getByTestId("invitation-first-name").fill("Léa");
    await page.getByTestId("invitation-last-name").fill("Rousseau");
    await page.getByTestId("new-password").fill("Soleil-de-Lyon-2026");
    await page.getByTestId("confirm-password").fill("Soleil-de-Lyon-2026");
    expect(await page.getByTestId("password-policy").getAttribute("data-ok")).toBe("true");
    await page.getByTestId("invitation-terms").check();
    await shot(page, "invitation");
    await page.getByTestId("invitation-submit").click();

    await page.waitForURL(url("/"));
    await expect.poll(() => page.getByTestId("user-menu").textContent()).toContain("Léa Rousseau");
    expect(await page.getByTestId("nav-admin").count()).toBe(0);
    // The device remembers the company code for the next sign-in.
    await page.getByTestId("user-menu").click();
    await page.getByTestId("menu-logout").click();
    await page.waitForURL(/\/login/);
    expect(await page.getByTestId("login-companyCode").inputValue()).toBe("DEMO");
    await context.close();
  });

  it("shows that the link has been used if opened again", async () => {
    const context = await browser.newContext({ viewport, locale: "fr-FR" });
    const page = await context.newPage();
    const target = new URL(link);
    await page.goto(url(target.pathname + target.search));

    await page.getByTestId("invitation-dead").waitFor();
    expect(await page.locator("h1").textContent()).toBe("Invitation déjà utilisée");
    await context.close();
  });

  it("lists the new user as active on the admin's users page", async () => {
    await admin.getByTestId("tab-users").click();
    await admin.getByTestId("users-search").fill("Rousseau");

    const row = admin.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("active");
    expect(await row.textContent()).toContain("Léa Rousseau");
  });
});
