import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCompany, PASSWORD, type TestCompany } from "../../core/test-helpers";
import { apiSession, consoleUrl, freshMobile, launch, shot, skipNotice, submitLogin, url } from "./browser";

skipNotice("web/e2e/layout.browser.test.ts");

/** Everything that overflows its box sideways: a clipped column or a cut label. */
async function clipped(page: Page, selector: string) {
  return page.$$eval(selector, (elements) =>
    elements
      .filter((element) => element.scrollWidth > element.clientWidth + 1)
      .map((element) => `${element.className}: ${element.textContent?.slice(0, 40)}`),
  );
}

/**
 * The console at a laptop's 1,440 px and a phone's 390 px: tables show their last column inside their
 * card (or scroll it, never clip it), the campaign's tiles keep their labels whole, the page never scrolls
 * sideways.
 */
describe.skipIf(!consoleUrl)("layout in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let company: TestCompany;
  let campaignId = "";

  beforeAll(async () => {
    company = await newCompany("Intérim Mise en page");
    const login = { companyCode: company.code, email: company.admin.email, password: PASSWORD };
    const asAdmin = await apiSession(login);
    for (const [firstName, lastName] of [
      ["Marie-Amélie", "de La Rochefoucauld-Montbel"],
      ["Jean", "Dupont"],
    ] as const) {
      await asAdmin("POST", "/api/contacts", {
        firstName,
        lastName,
        mobile: freshMobile(),
        email: `${firstName.toLowerCase()}.${Date.now()}@exemple-de-domaine-assez-long.fr`,
        skills: ["cariste", "préparateur de commandes", "CACES 1-3-5"],
        agencyIds: [company.agencies[0]],
      });
    }
    const created = await asAdmin<{ campaign: { campaignId: string } }>("POST", "/api/campaigns", {
      kind: "yesno",
      title: "Mission cariste de nuit à Vénissieux, semaine 50, équipe B",
      smsBody: "Mission demain, dispo ?",
      recipients: { entries: [freshMobile(), freshMobile()] },
      agencyId: company.agencies[0],
      sendAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    campaignId = created.campaign.campaignId;
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const signedIn = async (width: number, height: number) => {
    const page = await browser.newPage({ viewport: { width, height }, locale: "fr-FR" });
    await page.goto(url("/login?next=/contacts"));
    await submitLogin(page, { companyCode: company.code, email: company.admin.email, password: PASSWORD });
    await page.waitForURL((address) => address.pathname === "/contacts");
    return page;
  };

  it("shows every column of Contacts and Envois at 1,440 px", async () => {
    const page = await signedIn(1440, 900);
    await page.getByTestId("contact-row").first().waitFor();
    expect(await clipped(page, ".table-card:not(.table-scroll)")).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
    await shot(page, "layout-contacts-1440");
    await page.goto(url("/campaigns"));
    await page.getByTestId("campaign-row").first().waitFor();
    expect(await clipped(page, ".table-card:not(.table-scroll)")).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
    await shot(page, "layout-campaigns-1440");
    await page.close();
  }, 60_000);

  it("keeps the campaign's tiles whole at 390 px", async () => {
    const page = await signedIn(390, 844);
    await page.goto(url(`/campaigns/${campaignId}`));
    await page.getByTestId("campaign-counts").waitFor();
    await page.getByTestId("campaign-live").waitFor();
    expect(await clipped(page, ".total dt, .total dd")).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "layout-campaign-390");
    await page.close();
  }, 60_000);
});
