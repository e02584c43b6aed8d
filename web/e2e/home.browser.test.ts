import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCompany, PASSWORD } from "../../core/test-helpers";
import {
  apiSession,
  consoleUrl,
  demo,
  freshMobile,
  launch,
  shot,
  skipNotice,
  submitLogin,
  unique,
  url,
} from "./browser";

skipNotice("web/e2e/home.browser.test.ts");

/** « Accueil » after login and « Rapports » (chart, tables, Excel) at a desktop size, 1440×900. */
describe.skipIf(!consoleUrl)("Accueil and Rapports in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  const title = unique("Dispo lundi");
  let agencyId = "";

  beforeAll(async () => {
    const api = await apiSession(demo);
    const session = await api<{ user: { agencyIds: string[] } }>("GET", "/api/auth/session");
    agencyId = session.user.agencyIds[0]!;
    // Urgent: it leaves now whatever the hour, so it counts in this month's report.
    await api("POST", "/api/campaigns", {
      kind: "yesno",
      title,
      smsBody: "Dispo lundi ? OUI ou NON",
      recipients: { entries: [freshMobile()] },
      agencyId,
      urgent: true,
    });
    browser = await launch();
    page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      acceptDownloads: true,
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lands on Accueil after login, showing the campaign just sent", async () => {
    await page.goto(url("/login"));
    await submitLogin(page, demo);
    await page.waitForURL(url("/"));
    await page.getByTestId("home-page").waitFor();
    expect(await page.locator("h1").textContent()).toBe("Accueil");
    const campaign = page.locator(`[data-testid="home-campaign"][data-title="${title}"]`);
    await campaign.waitFor();
    expect(await campaign.locator("a").first().getAttribute("href")).toMatch(/^\/campaigns\/\w+$/);
    expect(await page.locator('.sidebar a[aria-current="page"]').textContent()).toContain("Accueil");
    await shot(page, "home");
  });

  it("shows the campaign's agency and month in Rapports, with the chart", async () => {
    await page.locator(".sidebar").getByText("Rapports").click();
    await page.waitForURL(url("/reports"));
    const month = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/Paris",
      year: "numeric",
      month: "2-digit",
    })
      .format(new Date())
      .slice(0, 7);
    const monthRow = page.locator(`[data-testid="reports-months-row"][data-key="${month}"]`);
    await monthRow.waitFor();
    await page.locator(`[data-testid="reports-agencies-row"][data-key="${agencyId}"]`).waitFor();
    await page.getByTestId("reports-chart-sent").waitFor();
    await page.getByTestId("reports-chart-rates").waitFor();
    const bar = page.locator(`[data-testid="reports-chart-sent"] rect[data-month="${month}"]`);
    expect(await bar.count()).toBe(1);
    const campaigns = Number((await monthRow.locator("td").first().textContent())?.replace(/\D/g, ""));
    expect(campaigns).toBeGreaterThanOrEqual(1);
    await shot(page, "reports");
  });

  it("invites a brand-new company to send its first question", async () => {
    const fresh = await newCompany("Intérim Neuf");
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "fr-FR" });
    const newcomer = await context.newPage();
    await newcomer.goto(url("/login"));
    await submitLogin(newcomer, {
      companyCode: fresh.code,
      email: fresh.admin.email,
      password: PASSWORD,
    });
    await newcomer.waitForURL(url("/"));
    const first = newcomer.getByTestId("home-first");
    await first.waitFor();
    expect(await first.textContent()).toContain("Envoyez votre première question");
    expect(await first.locator('a[href="/compose/yesno"]').count()).toBe(1);
    await shot(newcomer, "home-empty");
    await context.close();
  });

  it("downloads the report as an Excel workbook", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("reports-export").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^rapport-\d{4}-\d{2}-\d{4}-\d{2}\.xlsx$/);
    const bytes = await readFile((await download.path())!);
    // an .xlsx is a zip: "PK"
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  });
});
