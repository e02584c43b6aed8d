import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCompany, PASSWORD, type TestCompany } from "../../core/test-helpers";
import {
  apiSession,
  consoleUrl,
  launch,
  shot,
  skipNotice,
  submitLogin,
  unique,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/recruitment.browser.test.ts");

type Created = { campaign: { campaignId: string; slug: string } };

/** A campaign open since yesterday for a month, one text field of its own, an email on « Retenu ». */
async function openCampaign(company: TestCompany) {
  const asAdmin = await apiSession({
    companyCode: company.code,
    email: company.admin.email,
    password: PASSWORD,
  });
  const day = 24 * 60 * 60 * 1000;
  const { campaign } = await asAdmin<Created>("POST", "/api/recruitment/campaigns", {
    title: "Préparateurs de commandes",
    agencyId: company.agencies[0],
    opensAt: new Date(Date.now() - day).toISOString(),
    closesAt: new Date(Date.now() + 30 * day).toISOString(),
    description: { fr: "Postes en CDI à Lyon.", en: "Permanent jobs in Lyon." },
    fields: [{ fieldId: "experience", kind: "text", label: { fr: "Expérience" }, required: true }],
  });
  await asAdmin("POST", `/api/recruitment/campaigns/${campaign.campaignId}/rules`, {
    section: "manager",
    name: "Candidature retenue",
    statusId: "retenu",
    recipients: { candidate: true, evaluators: false, addresses: [] },
  });
  return campaign;
}

/** A submitted dossier through the public API, as the form sends it. */
async function submitDossier(slug: string, lastName: string) {
  const response = await fetch(url(`/api/public/apply/${slug}/submit`), {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": unique("key") },
    body: JSON.stringify({
      candidate: { firstName: "Léa", lastName, email: `${unique("lea")}@example.fr` },
      answers: { experience: "2 ans" },
      language: "fr",
    }),
  });
  if (!response.ok) throw new Error(`submit: ${response.status} ${await response.text()}`);
}

/**
 * Recruitment in Chromium, in a company of its own: a candidate applies on the public form on a phone, a
 * manager moves three dossiers to Retenu after the warning that emails will go.
 */
describe.skipIf(!consoleUrl)("recruitment in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let company: TestCompany;
  let campaign: Created["campaign"];

  beforeAll(async () => {
    company = await newCompany("Intérim Recrutement");
    campaign = await openCampaign(company);
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lets a candidate apply on a phone and shows the confirmation", async () => {
    const phone: Page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "fr-FR" });
    await phone.goto(url(`/candidater/${campaign.slug}`));
    const form = phone.getByTestId("apply-form");
    await form.waitFor();
    expect(await phone.getByTestId("apply-title").textContent()).toBe("Préparateurs de commandes");
    // The honeypot is out of sight and out of the tab order.
    const trap = phone.locator('input[name="website"]');
    expect(await trap.getAttribute("tabindex")).toBe("-1");
    // Off-screen, not display:none (some robots skip hidden inputs): nobody sees it on the page.
    const box = await trap.boundingBox();
    expect(box === null || box.x + box.width <= 0).toBe(true);

    await phone.getByTestId("apply-submit").click();
    const prenom = form.getByLabel("Prénom");
    await expect.poll(() => prenom.getAttribute("aria-invalid")).toBe("true");

    await prenom.fill("Marc");
    await form.getByLabel(/^Nom/).fill("Durand");
    await form.getByLabel("E-mail").fill(`${unique("marc")}@example.fr`);
    await form.getByLabel("Expérience").fill("Cariste 3 ans");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, "recruitment-apply-phone");
    await phone.getByTestId("apply-submit").click();
    const done = phone.getByTestId("apply-done");
    await done.waitFor();
    expect(await done.textContent()).toContain("Préparateurs de commandes");
    await shot(phone, "recruitment-apply-done");
    await phone.close();
  }, 60_000);

  it("moves three dossiers to Retenu after the warning that emails will go", async () => {
    for (const name of ["Alpha", "Bravo", "Charlie"]) await submitDossier(campaign.slug, name);
    const page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url(`/login?next=/recruitment/${campaign.campaignId}`));
    await submitLogin(page, { companyCode: company.code, email: company.admin.email, password: PASSWORD });
    await page.waitForURL((address) => address.pathname === `/recruitment/${campaign.campaignId}`);

    const rows = page.getByTestId("dossier-row");
    const chosen = rows.filter({ hasText: /Alpha|Bravo|Charlie/ });
    await expect.poll(() => chosen.count()).toBe(3);
    for (const row of await chosen.all()) await row.getByTestId("dossier-select").check();
    expect(await page.getByTestId("dossiers-selection-count").textContent()).toContain("3");

    await page.getByTestId("dossiers-change-status").click();
    const dialog = page.getByTestId("status-dialog");
    await dialog.getByTestId("status-choice").selectOption({ label: "Retenu" });
    const warning = dialog.getByTestId("status-warning");
    await warning.waitFor();
    expect(await warning.textContent()).toContain(
      "Cette action enverra un e-mail aux candidats sélectionnés",
    );
    expect(await dialog.getByTestId("status-email-count").getAttribute("data-count")).toBe("3");
    expect(await dialog.getByTestId("status-preview-subject").textContent()).not.toBe("");
    await shot(page, "recruitment-status-warning");
    await dialog.getByTestId("status-confirm").click();

    await expect
      .poll(async () => (await chosen.getByTestId("dossier-status").allTextContents()).join(","))
      .toBe("Retenu,Retenu,Retenu");
    await shot(page, "recruitment-dossiers");
    await page.close();
  }, 90_000);
});
