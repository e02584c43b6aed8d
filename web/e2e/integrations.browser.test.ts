import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCompany, PASSWORD, type TestCompany } from "../../core/test-helpers";
import { consoleUrl, launch, shot, skipNotice, submitLogin, unique, url, viewport } from "./browser";

skipNotice("web/e2e/integrations.browser.test.ts");

/**
 * « Intégrations » in Chromium, in a company of its own: an Admin creates an API key, sees it once (with
 * « Copier »), finds only its name in the list, revokes it; then adds a webhook and sees its secret once.
 */
describe.skipIf(!consoleUrl)("integrations in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let company: TestCompany;

  beforeAll(async () => {
    company = await newCompany("Intégrations");
    browser = await launch();
    context = await browser.newContext({
      viewport,
      locale: "fr-FR",
      permissions: ["clipboard-read", "clipboard-write"],
    });
    page = await context.newPage();
    await page.goto(url("/login"));
    await submitLogin(page, { companyCode: company.code, email: company.admin.email, password: PASSWORD });
    await page.waitForURL((address) => address.pathname !== "/login");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("creates an API key shown once with « Copier », lists it without its secret, and revokes it", async () => {
    await page.getByRole("link", { name: "Intégrations" }).click();
    await page.waitForURL((address) => address.pathname === "/admin/integrations");
    const name = unique("ATS");
    await page.getByTestId("key-create").click();
    await page.getByTestId("key-name").fill(name);
    await page.getByTestId("key-create-submit").click();

    const shown = page.getByTestId("key-shown");
    const key = (await page.getByTestId("key-value").textContent()) ?? "";
    expect(key).toMatch(/^rk_live_\w+_\S+$/);
    await shown.getByRole("button", { name: "Copier" }).click();
    await shown.getByRole("button", { name: "Copié" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await shot(page, "integrations-key");
    await page.keyboard.press("Escape");
    await shown.waitFor({ state: "detached" });

    const row = page.getByTestId("api-key-row").filter({ hasText: name });
    await expect.poll(() => row.count()).toBe(1);
    // Not even the secret's end: the table keeps only its hash.
    expect(await page.getByTestId("api-keys").textContent()).not.toContain(key.slice(-16));
    await expect.poll(() => row.textContent()).toContain("Active");

    await row.getByTestId("key-revoke").click();
    await page.getByTestId("key-revoke-confirm").click();
    await expect.poll(() => row.textContent()).toContain("Révoquée");
    expect(await row.getByTestId("key-revoke").count()).toBe(0);
  });

  it("adds a webhook with an https URL and shows its signing secret once", async () => {
    await page.getByTestId("tab-hooks").click();
    await page.getByRole("button", { name: "Ajouter un webhook" }).click();
    // A public address written as an IP: accepted without DNS, and never called by this test.
    const address = `https://93.184.215.14/relais/${unique("hook")}`;
    await page.getByLabel("Adresse (https://)").fill(address);
    await page.getByTestId("hook-create-submit").click();

    const value = (await page.getByTestId("hook-secret-value").textContent()) ?? "";
    expect(value).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await shot(page, "integrations-webhook");
    await page.keyboard.press("Escape");
    await page.getByTestId("hook-secret").waitFor({ state: "detached" });

    const row = page.getByTestId("webhook-row").filter({ hasText: address });
    await expect.poll(() => row.count()).toBe(1);
    expect(await page.locator("main").textContent()).not.toContain(value);
  });
});
