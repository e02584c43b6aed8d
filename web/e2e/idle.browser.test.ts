import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiSession,
  consoleUrl,
  demo,
  launch,
  shot,
  skipNotice,
  submitLogin,
  unique,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/idle.browser.test.ts");

describe.skipIf(!consoleUrl)("idle timeout in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  const email = `${unique("idle")}@example.fr`;
  let temporaryPassword = "";

  beforeAll(async () => {
    // A user of its own, so that signing out for inactivity touches nobody else's session.
    const asAdmin = await apiSession(demo);
    const { items } = await asAdmin<{ items: { agencyId: string }[] }>("GET", "/api/agencies");
    const created = await asAdmin<{ temporaryPassword: string }>("POST", "/api/users", {
      email,
      firstName: "Inès",
      lastName: "Garnier",
      role: "user",
      agencyIds: [items[0]?.agencyId],
    });
    temporaryPassword = created.temporaryPassword;

    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.clock.install();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("makes a new user replace the temporary password at first login", async () => {
    await page.goto(url("/login"));
    await submitLogin(page, { companyCode: demo.companyCode, email, password: temporaryPassword });

    await page.waitForURL(/\/change-password$/);
    await page.getByTestId("change-password-forced").waitFor();
    await page.getByTestId("current-password").fill(temporaryPassword);
    await page.getByTestId("new-password").fill("Vent-du-Nord-2026");
    await page.getByTestId("confirm-password").fill("Vent-du-Nord-2026");
    await shot(page, "change-password");
    await page.getByTestId("change-password-submit").click();

    await page.waitForURL(url("/"));
    await expect.poll(() => page.getByTestId("user-menu").textContent()).toContain("Inès Garnier");
    // Accueil has answered: no request is left in flight when the next test moves the clock 29 minutes on.
    await page.locator('[data-testid="home-recent"], [data-testid="home-first"]').first().waitFor();
  });

  it("warns one minute before the idle timeout, with a countdown", async () => {
    await page.clock.fastForward("29:00");

    const warning = page.getByTestId("idle-warning");
    await warning.waitFor();
    expect(await page.getByTestId("idle-countdown").textContent()).toMatch(/^0:[0-5]\d$|^1:00$/);
    await shot(page, "idle-warning");
  });

  it("keeps the session when the user chooses to stay", async () => {
    await page.getByTestId("idle-stay").click();

    await page.getByTestId("idle-warning").waitFor({ state: "detached" });
    expect(page.url()).toBe(url("/"));
  });

  it("signs out after 30 minutes without activity and says why", async () => {
    await page.clock.fastForward("30:05");

    await page.waitForURL(/\/login\?reason=idle$/);
    expect(await page.getByTestId("login-reason").textContent()).toContain(
      "Vous avez été déconnecté après 30 minutes d'inactivité.",
    );
    await shot(page, "login-idle");
    const session = await page.evaluate(() => fetch("/api/auth/session").then((response) => response.status));
    expect(session).toBe(401);
  });
});
