import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompanyEntity } from "../../core/company/company.entity";
import { newCompany, PASSWORD, type TestCompany } from "../../core/test-helpers";
import { Usage } from "../../core/usage";
import { monthOf } from "../../core/usage/month";
import { consoleUrl, launch, shot, skipNotice, submitLogin, url, viewport } from "./browser";

skipNotice("web/e2e/usage.browser.test.ts");

/**
 * « Consommation » in Chromium, in a company of its own at 85 % of a 10 € cap: the Admin finds it under
 * Pilotage, sees the share in red, the two charts and this month's row.
 */
describe.skipIf(!consoleUrl)("« Consommation » in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  let company: TestCompany;

  beforeAll(async () => {
    company = await newCompany("Consommation");
    await CompanyEntity.patch({ companyId: company.companyId })
      .set({ smsMonthlyCapMillicents: 1_000_000 })
      .go();
    await Usage.add(company.companyId, monthOf(new Date()), {
      millicents: 850_000,
      smsUnits: 113,
      smsSent: 110,
      smsDelivered: 104,
      emailsSent: 42,
    });
    browser = await launch();
    const context = await browser.newContext({ viewport, locale: "fr-FR" });
    page = await context.newPage();
    await page.goto(url("/login"));
    await submitLogin(page, { companyCode: company.code, email: company.admin.email, password: PASSWORD });
    await page.waitForURL((address) => address.pathname !== "/login");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows this month against the cap, red past 80 %, with the charts and the table", async () => {
    await page.getByRole("link", { name: "Consommation" }).click();
    await page.waitForURL((address) => address.pathname === "/usage");
    const cap = page.getByTestId("usage-cap");
    await cap.waitFor();
    expect(await cap.getAttribute("data-level")).toBe("high");
    expect((await page.getByTestId("usage-share").textContent())?.replace(/\s/g, "")).toBe("85%");
    expect((await page.getByTestId("usage-spent").textContent())?.replace(/\s/g, "")).toBe("8,50€");
    expect(await page.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("85");
    const month = monthOf(new Date());
    const bars = page.getByTestId("usage-chart-volume").locator(`rect[data-month="${month}"]`);
    expect(await bars.evaluateAll((rects) => rects.map((rect) => rect.getAttribute("data-value")))).toEqual([
      "113",
      "42",
    ]);
    const row = page.locator(`[data-testid="usage-months-row"][data-key="${month}"]`);
    expect(await row.textContent()).toContain("113");
    expect(await page.getByTestId("usage-months-row").count()).toBe(12);
    await shot(page, "usage");
  });
});
