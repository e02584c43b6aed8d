import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consoleUrl,
  createUser,
  demo,
  lastEmailTo,
  launch,
  shot,
  skipNotice,
  submitLogin,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/login.browser.test.ts");

describe.skipIf(!consoleUrl)("login in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("sends a visitor of a protected page to /login, keeping where they wanted to go", async () => {
    await page.goto(url("/admin/users"));

    await page.waitForURL(/\/login\?next=%2Fadmin%2Fusers/);
    expect(await page.locator("h1").textContent()).toBe("Connexion");
  });

  it("refuses a wrong password with a clear message", async () => {
    await submitLogin(page, { ...demo, password: "Pas-le-bon-mot-de-passe-1" });

    const error = page.getByTestId("login-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("Code entreprise, adresse e-mail ou mot de passe incorrect.");
    expect(await page.getByTestId("login-password").inputValue()).toBe("");
    await shot(page, "login-error");
  });

  it("logs the seeded admin in, back to the page they asked for, with the Administration menu", async () => {
    await submitLogin(page, demo);

    await page.waitForURL(/\/admin\/users$/);
    const admin = page.getByTestId("nav-admin");
    await admin.waitFor();
    expect(await admin.locator(".nav-label").allTextContents()).toEqual([
      "Utilisateurs",
      "Agences",
      "Paramètres de l'entreprise",
      "Journal d'audit",
      "Échecs techniques",
      "Intégrations",
      "Signature électronique",
    ]);
    await page.locator('[data-testid="user-row"][data-email="admin@demo.fr"]').waitFor();
    expect(await page.getByTestId("user-menu").textContent()).toContain("Camille Martin");
    await shot(page, "admin-users");
  });

  it("shows who is signed in in the user menu", async () => {
    await page.getByTestId("user-menu").click();

    const header = page.getByTestId("user-menu-header");
    await header.waitFor();
    const text = await header.textContent();
    expect(text).toContain("admin@demo.fr");
    expect(text).toContain("Administrateur");
    expect(text).toContain("Intérim Démo");
    await shot(page, "user-menu");
  });

  it("logs out back to /login, and the console is closed again", async () => {
    await page.getByTestId("menu-logout").click();

    await page.waitForURL(/\/login\?reason=logout$/);
    expect(await page.getByTestId("login-reason").textContent()).toContain("Vous êtes déconnecté.");
    await page.goto(url("/admin/users"));
    await page.waitForURL(/\/login\?next=/);
  });

  it("resets a forgotten password from the emailed link", async () => {
    const { email } = await createUser({ firstName: "Hugo", lastName: "Lefèvre" });
    await page.goto(url("/login"));
    await page.getByTestId("login-forgot").click();
    await page.waitForURL(/\/forgot-password$/);
    await page.getByTestId("forgot-email").fill(email);
    await page.getByTestId("forgot-submit").click();
    await page.getByTestId("forgot-sent").waitFor();
    await shot(page, "forgot-sent");

    const message = await lastEmailTo(email);
    const link = /https?:\/\/\S+\/reset-password\?token=[\w-]+/.exec(message.body.text ?? "")?.[0];
    expect(link, message.body.text).toBeDefined();
    const target = new URL(link ?? "");
    await page.goto(url(target.pathname + target.search));
    await page.getByTestId("new-password").fill("Marée-Haute-2026");
    await page.getByTestId("confirm-password").fill("Marée-Haute-2026");
    await shot(page, "reset-password");
    await page.getByTestId("reset-submit").click();

    await page.waitForURL(/\/login\?reason=reset$/);
    await submitLogin(page, { companyCode: demo.companyCode, email, password: "Marée-Haute-2026" });
    await page.waitForURL(/\/(change-password)?$/);
    await expect.poll(() => page.getByTestId("user-menu").count()).toBe(1);
  });
});
