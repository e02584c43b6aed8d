import type { Browser, Page } from "playwright-core";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCompany, PASSWORD, type TestCompany } from "../../core/test-helpers";
import {
  apiSession,
  consoleUrl,
  freshMobile,
  launch,
  shot,
  skipNotice,
  submitLogin,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/info-campaigns.browser.test.ts");

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
// A 1×1 PNG.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * The « Campagnes d'information » wizard in Chromium, through its six steps to « Lancer la campagne »,
 * then a targeted partner's space on a phone showing the campaign's message and document.
 */
describe.skipIf(!consoleUrl)("the information campaign wizard in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  let company: TestCompany;
  let asAdmin: Awaited<ReturnType<typeof apiSession>>;
  const tag = ulid().slice(-6);

  beforeAll(async () => {
    company = await newCompany("Intérim Campagnes");
    const login = { companyCode: company.code, email: company.admin.email, password: PASSWORD };
    asAdmin = await apiSession(login);
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url("/login?next=/vault/info-campaigns"));
    await submitLogin(page, login);
    await page.waitForURL(/\/vault\/info-campaigns$/);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("goes through the six steps to « Lancer la campagne », and the partner finds it in their space", async () => {
    await page.getByTestId("info-campaign-new").click();
    await page.waitForURL(/\/vault\/info-campaigns\/new$/);
    // Step 1: an empty title is refused by the same schema as the API's.
    await page.getByTestId("info-campaign-next").click();
    await expect.poll(() => page.getByTestId("info-campaign-error").count()).toBe(1);
    await page.getByTestId("info-campaign-title").fill(`Bienvenue ${tag}`);
    await page.getByTestId("info-campaign-next").click();
    // Step 2: the draft exists; by recipient type.
    await page.getByTestId("info-campaign-step-trigger").waitFor();
    expect(page.url()).toMatch(/\/vault\/info-campaigns\/[0-9A-Z]{26}$/);
    await page.getByTestId("info-campaign-trigger-recipient_type").check();
    await page.getByTestId("info-campaign-next").click();
    // Step 3: the categories.
    await page.getByTestId("info-campaign-step-population").waitFor();
    await page.getByTestId("info-campaign-categories").getByLabel("Salarié structure").check();
    await page.getByTestId("info-campaign-next").click();
    // Step 4: a PDF, named, of type Fiche d'information.
    await page.getByTestId("info-campaign-step-documents").waitFor();
    await page
      .getByTestId("info-campaign-files")
      .setInputFiles([{ name: "livret.pdf", mimeType: "application/pdf", buffer: pdf("Livret") }]);
    await page.getByTestId("info-campaign-document").waitFor();
    await page.getByTestId("info-campaign-document-name").fill(`Livret d'accueil ${tag}`);
    await page.getByTestId("info-campaign-document-type").selectOption({ label: "Fiche d'information" });
    await page.getByTestId("info-campaign-next").click();
    // Step 5: the logo and the message.
    await page.getByTestId("info-campaign-step-content").waitFor();
    await page
      .getByTestId("info-campaign-logo")
      .setInputFiles([{ name: "logo.png", mimeType: "image/png", buffer: png }]);
    await page.locator(".info-campaign-logo-preview img").waitFor();
    await page.getByTestId("info-campaign-message-fr").fill(`Bienvenue parmi nous ${tag} !`);
    await page.getByTestId("info-campaign-next").click();
    // Step 6: everything on one page.
    const summary = page.getByTestId("info-campaign-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("Par type de destinataire");
    expect(await summary.textContent()).toContain("Salarié structure");
    expect(await summary.textContent()).toContain(`Livret d'accueil ${tag}`);
    await shot(page, "info-campaign-summary");
    await page.getByTestId("info-campaign-launch").click();
    await page.waitForURL(/\/vault\/info-campaigns$/);
    const row = page.getByTestId("info-campaign-row").filter({ hasText: `Bienvenue ${tag}` });
    await expect.poll(() => row.getAttribute("data-state")).toBe("active");
    expect(await row.textContent()).toContain("Active");
    await shot(page, "info-campaigns");

    // A partner of that category opens their space (a signed link) on a phone: the campaign is there.
    const { partner } = await asAdmin<{ partner: { partnerId: string } }>("POST", "/api/partners", {
      firstName: "Nina",
      lastName: `Accueil${tag}`,
      mobile: freshMobile(),
      categoryIds: ["salarie-structure"],
    });
    const link = await asAdmin<{ url: string }>("POST", `/api/partners/${partner.partnerId}/links`, {});
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR" });
    const partnerPage = await phone.newPage();
    await partnerPage.goto(url(new URL(link.url).pathname));
    const campaign = partnerPage.getByTestId("space-campaign");
    await campaign.waitFor();
    expect(await campaign.getByTestId("space-campaign-message").textContent()).toBe(
      `Bienvenue parmi nous ${tag} !`,
    );
    expect(await campaign.getByTestId("space-document").textContent()).toContain(
      `Livret d'accueil ${tag}.pdf`,
    );
    expect(await campaign.locator("img").count()).toBe(1);
    await shot(partnerPage, "info-campaign-space");
    await phone.close();

    await page.reload();
    await expect
      .poll(() => row.getByTestId("info-campaign-reached").textContent(), { timeout: 10_000 })
      .toBe("1");
  }, 90_000);
});
