import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demo, submitLogin } from "./browser";

/** Set by the lead's vitest globalSetup once the local cloud and the API server are up. */
const consoleUrl = process.env.LOCAL_URL;
const screenshots = resolve(dirname(fileURLToPath(import.meta.url)), "../../.local/screenshots");

const dependencies = [
  "table",
  "dispatch-queue",
  "import-queue",
  "webhook-queue",
  "sms-events-topic",
  "sms-inbound-topic",
  "attachments-bucket",
  "vault-bucket",
  "ses",
  "sms",
  "scheduler",
];

if (!consoleUrl) {
  console.warn("web/e2e/health.browser.test.ts skipped: LOCAL_URL is not set (start the local cloud first).");
}

describe.skipIf(!consoleUrl)("health page in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Debian's Chromium; playwright-core never downloads a browser of its own.
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: "fr-FR" });
    await mkdir(screenshots, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows a signed-in Admin every dependency up", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "fr-FR" });
    const admin = await context.newPage();
    await admin.goto(new URL("/login?next=/health", consoleUrl).href);
    await submitLogin(admin, demo);
    await admin.waitForURL(/\/health$/);

    for (const name of dependencies) {
      await admin.locator(`[data-testid="dep-${name}"][data-status="up"]`).waitFor({ timeout: 30_000 });
    }
    const statuses = await admin
      .locator('[data-testid^="dep-"]')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute("data-testid"), row.getAttribute("data-status")]),
      );
    expect(statuses).toEqual(dependencies.map((name) => [`dep-${name}`, "up"]));
    await admin.screenshot({ path: resolve(screenshots, "health-admin.png") });
    await context.close();
  }, 60_000);

  it("shows a visitor up or down only, in French then in English", async () => {
    await page.goto(new URL("/health", consoleUrl).href);

    await page.locator('[data-testid="health-banner"][data-status="up"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("health-admin-only").waitFor();
    expect(await page.locator('[data-testid^="dep-"]').count()).toBe(0);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.locator("h1").textContent()).toBe("État du service");
    await page.screenshot({ path: resolve(screenshots, "health.png") });

    await page.getByTestId("lang-en").click();

    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe("Service status");
    expect(await page.getByTestId("health-banner").textContent()).toContain("All services operational");
    await page.screenshot({ path: resolve(screenshots, "health-en.png") });
  }, 60_000);

  it("remembers the chosen language after a reload", async () => {
    await page.reload();

    await page.locator("h1", { hasText: "Service status" }).waitFor({ timeout: 10_000 });
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  }, 30_000);
});
