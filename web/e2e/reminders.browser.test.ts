import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCompany, PASSWORD, type TestCompany } from "../../core/test-helpers";
import { consoleUrl, freshMobile, launch, shot, skipNotice, submitLogin, url, viewport } from "./browser";

skipNotice("web/e2e/reminders.browser.test.ts");

/** A modern French plate nobody else in this run uses (no I, O or U). */
const freshPlate = () => {
  const letters = "ABCDEFGHJKLMNPQRSTVWXYZ";
  const letter = () => letters[Math.floor(Math.random() * letters.length)];
  const digits = String(Math.floor(Math.random() * 999) + 1).padStart(3, "0");
  return `${letter()}${letter()}-${digits}-${letter()}${letter()}`;
};

/** `06 12 34 56 78` as the console shows a French mobile. */
const national = (mobile: string) => `0${mobile.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ");
/** Intl writes French thousands with a narrow no-break space. */
const plain = (text: string | null) => (text ?? "").replace(/\s/gu, " ");

/**
 * « Relance clients » in Chromium, in a company of its own: a new customer and vehicle typed in three
 * steps, the planning helper filling the days, both reminders found in the list by plate, one cancelled.
 */
describe.skipIf(!consoleUrl)("customer reminders in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  let company: TestCompany;

  /** Step 1 with a fresh number: an unknown customer goes straight to step 2. */
  const startNew = async (mobile: string) => {
    await page.goto(url("/reminders/new"));
    await page.getByLabel("Mobile du client").fill(mobile);
    await page.getByTestId("reminder-lookup").click();
    await page.getByTestId("customer-form").waitFor();
  };

  beforeAll(async () => {
    company = await newCompany("Garage Relance");
    const login = { companyCode: company.code, email: company.admin.email, password: PASSWORD };
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url("/login?next=/reminders"));
    await submitLogin(page, login);
    // The login page's own URL ends with `next=/reminders`: wait for the path itself.
    await page.waitForURL((address) => address.pathname === "/reminders");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("schedules Révision and Contrôle technique with the planning helper, finds them by plate, cancels one", async () => {
    const mobile = freshMobile();
    const plate = freshPlate();
    await page.getByTestId("reminders-new").click();
    await page.waitForURL((address) => address.pathname === "/reminders/new");
    await page.getByLabel("Mobile du client").fill(national(mobile));
    await page.getByTestId("reminder-lookup").click();

    const form = page.getByTestId("customer-form");
    await form.waitFor();
    await form.getByLabel("M.", { exact: true }).check();
    await form.getByLabel("Nom", { exact: true }).fill("Moreau");
    await form.getByLabel("Prénom").fill("Paul");
    await form.getByLabel("E-mail").fill("paul.moreau@example.fr");
    await form.getByLabel("Immatriculation").fill(plate.toLowerCase().replace(/-/g, " "));
    await form.getByLabel("Marque").fill("Renault");
    await form.getByLabel("Modèle").fill("Clio");
    await form.getByLabel("Date de livraison").fill("15/03/2022");
    await form.getByLabel("Kilométrage à la livraison").fill("0");
    await form.getByLabel("Date de la dernière intervention").fill("15/03/2024");
    await form.getByLabel("Kilométrage à la dernière intervention").fill("30 000");
    await shot(page, "reminders-customer");
    await page.getByTestId("customer-submit").click();

    const step = page.getByTestId("step-scenarios");
    await step.waitFor();
    await step.getByLabel("Révision", { exact: true }).check();
    await step.getByLabel("Contrôle technique", { exact: true }).check();
    const revisionDate = step.getByLabel("Date Révision", { exact: true });
    const inspectionDate = step.getByLabel("Date Contrôle technique", { exact: true });
    expect(await revisionDate.inputValue()).toBe("");

    await page.getByTestId("reminder-plan").click();
    await expect.poll(() => revisionDate.inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(await inspectionDate.inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    // 30 000 km in the two years from delivery to the last service.
    expect(plain(await page.getByTestId("reminder-km-per-year").textContent())).toContain(
      "Kilométrage estimé : 15 000 km/an",
    );
    if ((await revisionDate.inputValue()) === (await inspectionDate.inputValue())) {
      expect(await page.getByTestId("reminder-same-day").textContent()).toContain(
        "De préférence deux dates différentes",
      );
    }
    await shot(page, "reminders-planned");

    await page.getByTestId("reminder-submit").click();
    const done = page.getByTestId("reminders-done");
    await done.waitFor();
    expect(await done.getByTestId("done-reminder").count()).toBe(2);
    expect(await done.textContent()).toContain(plate);

    await done.getByTestId("done-list").click();
    await page.waitForURL((address) => address.pathname === "/reminders");
    // The search reloads the list after a pause: wait for that answer, or a later reload could drop a row
    // this test is acting on.
    const searched = page.waitForResponse(
      (answer) => answer.url().includes("/api/reminders?") && answer.url().includes("query="),
    );
    await page.getByTestId("reminders-search").fill(plate);
    await searched;
    const rows = page.getByTestId("reminder-row");
    await expect.poll(() => rows.count()).toBe(2);
    const table = page.getByTestId("reminders-table");
    expect(await table.textContent()).toContain(national(mobile));
    expect(await table.textContent()).toContain("Paul Moreau");
    expect(await rows.first().getByTestId("reminder-status").textContent()).toBe("Programmée");
    await shot(page, "reminders-list");

    const inspection = rows.filter({ hasText: "Contrôle technique" });
    await inspection.getByLabel("Active").uncheck();
    await page.getByTestId("reminders-cancel-dialog").waitFor();
    await page.getByTestId("reminders-cancel-confirm").click();
    await expect.poll(() => inspection.getByTestId("reminder-status").textContent()).toBe("Annulée");
    expect(await rows.filter({ hasText: "Révision" }).getByTestId("reminder-status").textContent()).toBe(
      "Programmée",
    );

    // The kept one moves to another day; an impossible day shows the API's words under the field.
    const revision = rows.filter({ hasText: "Révision" });
    const day = revision.getByLabel(/^Jour de la relance Révision/);
    await day.fill("31/02/2027");
    await day.press("Enter");
    await expect.poll(() => day.getAttribute("aria-invalid")).toBe("true");
    expect(await revision.textContent()).toContain("n'existe pas");
    await day.fill("15/01/2027");
    await day.press("Enter");
    await expect.poll(() => day.getAttribute("aria-invalid")).toBeNull();
    expect(await day.inputValue()).toBe("15/01/2027");

    await page.getByTestId("reminders-tab-cancelled").click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Contrôle technique");
  }, 90_000);

  it("shows the API's error under the plate when it is not a French plate", async () => {
    await startNew(freshMobile());
    const form = page.getByTestId("customer-form");
    await form.getByLabel("Nom", { exact: true }).fill("Leroy");
    const plate = form.getByLabel("Immatriculation");
    await plate.fill("AB-12");
    await page.getByTestId("customer-submit").click();
    await expect.poll(() => plate.getAttribute("aria-invalid")).toBe("true");
    const describedBy = await plate.getAttribute("aria-describedby");
    expect(describedBy).toBeTruthy();
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain("Immatriculation invalide");
    // Still on step 2, nothing else flagged.
    expect(await page.getByTestId("step-customer").isVisible()).toBe(true);
    expect(await form.getByLabel("Date de livraison").getAttribute("aria-invalid")).toBeNull();
  }, 60_000);

  it("edits a scenario's text with a variable chip, switches one off, adds one", async () => {
    await page.goto(url("/reminders/scenarios"));
    const row = page.getByTestId("scenario-row").filter({ hasText: "Révision" });
    await row.waitFor();
    await row.getByTestId("scenario-edit").click();
    const dialog = page.getByTestId("scenario-dialog");
    const text = dialog.getByLabel("Texte du SMS");
    await text.fill("Bonjour ");
    expect(await dialog.getByTestId("scenario-count").textContent()).toContain("8 / 640 caractères");
    await dialog.getByRole("button", { name: "Insérer nom" }).click();
    expect(await text.inputValue()).toBe("Bonjour {nom}");
    await dialog.getByLabel("Délai (mois)").fill("18");
    await page.getByTestId("scenario-save").click();
    // The dialog closes once the API has saved (the first save of a fresh clone may wait on cold module
    // loads); a refusal stays in the dialog, and its text is what a failure should show.
    await dialog.waitFor({ state: "detached", timeout: 30_000 }).catch(async () => {
      throw new Error(`Scenario not saved: ${await dialog.textContent().catch(() => "(dialog gone)")}`);
    });
    await expect.poll(() => row.textContent()).toContain("18 mois");

    const free = page.getByTestId("scenario-row").filter({ hasText: "Texte libre" });
    await free.getByLabel("Scénario Texte libre actif").uncheck({ force: true });
    await expect.poll(() => free.getByTestId("scenario-enabled").isChecked()).toBe(false);

    const form = page.getByTestId("scenario-new");
    await form.getByLabel("Nom", { exact: true }).fill("Parallélisme");
    await form
      .getByLabel("Texte du SMS")
      .fill("Bonjour {civilite} {nom}, le parallelisme de votre {modele}.");
    await form.getByLabel("Délai (mois)").fill("24");
    await page.getByTestId("scenario-create").click();
    await expect
      .poll(() => page.getByTestId("scenario-row").filter({ hasText: "Parallélisme" }).count())
      .toBe(1);
    await shot(page, "reminders-scenarios");
  }, 60_000);

  it("imports customers from a CSV: the dry run names the bad line and column, the valid one is imported", async () => {
    const plate = freshPlate();
    await page.goto(url("/reminders"));
    await page.getByTestId("reminders-import").click();
    const dialog = page.getByTestId("customer-import");
    const csv = [
      "Civilité;Nom;Mobile;Immatriculation;Scénarios;Date de relance",
      `Mme;Importée;${national(freshMobile())};${plate};Révision;15/09/2031`,
      `M.;Refusé;${national(freshMobile())};${freshPlate()};Vidange;`,
    ].join("\n");
    await dialog.locator('input[type="file"]').setInputFiles({
      name: "clients.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await dialog.getByTestId("customer-import-check").click();
    const report = dialog.getByTestId("customer-import-report");
    await expect.poll(() => report.textContent()).toContain("Scénario inconnu ou désactivé « Vidange »");
    expect(await report.textContent()).toContain("Scénarios");
    await dialog.getByTestId("customer-import-only-valid").check();
    await dialog.getByTestId("customer-import-start").click();
    const summary = dialog.getByTestId("customer-import-summary");
    await expect.poll(() => summary.textContent().catch(() => "")).toContain("Relances programmées : 1");
    expect(await summary.textContent()).toContain("Lignes ignorées : 1");
    await shot(page, "reminders-import");
    await dialog.getByRole("button", { name: "Terminé" }).click();
    await page.getByTestId("reminders-search").fill(plate);
    await expect.poll(() => page.getByTestId("reminder-row").count()).toBe(1);
  }, 60_000);

  it("fits a phone-sized screen", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "fr-FR" });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(url("/reminders/new"));
    await phone.getByLabel("Mobile du client").waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot(phone, "reminders-phone");
    await phone.goto(url("/reminders"));
    await phone.getByTestId("reminders-table").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, "reminders-phone-list");
    await phone.close();
  }, 30_000);
});
