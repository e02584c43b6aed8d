import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { Company } from "../../core/company";
import { bucketOf, ContactEntity, ContactTokenEntity } from "../../core/contact/contact.entity";
import { searchText, tokensOf } from "../../core/contact/fields";
import { consoleUrl, demo, launch, shot, skipNotice, submitLogin, unique, url, viewport } from "./browser";

skipNotice("web/e2e/contacts.browser.test.ts");

/**
 * A random French mobile that libphonenumber accepts (06 0–2/4–8…, 07 3–9…), grouped the French way:
 * `06 12 34 56 78`.
 */
function frenchMobile(prefix: "06" | "07"): { spaced: string; e164: string } {
  const random = (digits: number) => String(Math.floor(Math.random() * 10 ** digits)).padStart(digits, "0");
  const range = prefix === "06" ? "01245678" : "3456789";
  const digits = `${prefix}${range[Math.floor(Math.random() * range.length)]}${random(7)}`;
  return { spaced: digits.replace(/(\d{2})(?=\d)/g, "$1 "), e164: `+33${digits.slice(1)}` };
}

const compact = (spaced: string) => spaced.replace(/ /g, "");

/** A link of the sidebar (pages also have back links with the same words). */
const nav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name, exact: true });

/**
 * Contacts, import and distribution lists in Chromium, as the demo admin: a messy CSV through the
 * wizard (French number formats, a bad line, a duplicate line, an unknown column mapped to a list
 * variable), a contact found by a number typed with spaces, a list built by pasting, cleaned, and a
 * contact exported and erased under GDPR. Numbers are fresh for each run.
 */
describe.skipIf(!consoleUrl)("contacts and lists in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  const stamp = unique("c").replace(/[^a-z0-9]/gi, "");
  const lea = frenchMobile("06");
  const jerome = frenchMobile("06");
  const eric = frenchMobile("07");
  const pasted = frenchMobile("06");
  let pastedListUrl = "";

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR", acceptDownloads: true });
    await page.goto(url("/login?next=/contacts/import"));
    await submitLogin(page, demo);
    await page.waitForURL(/\/contacts\/import$/);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("imports a messy CSV: progress, every error by line, a mapped column, only the valid lines into a new list", async () => {
    const csv = [
      "Civilité;Prénom;Nom;Téléphone;E-mail;Type;Date RDV",
      `M.;Jérôme;Lefèvre ${stamp};${jerome.spaced};jerome.${stamp}@example.fr;Intérimaire;12/12/2026`,
      `Mme;Léa;Petit ${stamp};+33 ${lea.spaced.slice(1)};lea.${stamp}@example.fr;Client;13/12/2026`,
      `;Paul;Martin ${stamp};06.12.34;paul.${stamp}@example.fr;externe;`,
      `;Jérôme;Lefèvre;${compact(jerome.spaced)};autre.${stamp}@example.fr;;`,
      `M;Éric;Bernard ${stamp};0033 ${eric.spaced.slice(1)};eric.${stamp}@example.fr;salarié;14/12/2026`,
    ].join("\r\n");
    await page.getByTestId("import-file").setInputFiles({
      name: `contacts-${stamp}.csv`,
      mimeType: "text/csv",
      buffer: Buffer.from(`\ufeff${csv}\r\n`),
    });
    // hold the S3 answer a moment so that the upload progress bar can be seen
    await page.route(/relais-local-attachments/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await page.getByTestId("import-upload").click();
    await page.getByTestId("upload-progress").waitFor();

    const report = page.getByTestId("import-report");
    await report.waitFor();
    await page.unroute(/relais-local-attachments/);
    expect(await report.getByTestId("import-total").textContent()).toBe("5");
    expect(await report.getByTestId("import-valid").textContent()).toBe("3");
    const errors = await report
      .getByTestId("import-error-row")
      .evaluateAll((rows) =>
        rows.map((row) => [...row.children].slice(0, 3).map((cell) => cell.textContent)),
      );
    expect(errors).toContainEqual(["4", "Téléphone", "Numéro invalide : « 06.12.34 »"]);
    expect(errors).toContainEqual(["5", "Téléphone", "Doublon de la ligne 2"]);
    expect(await report.getByText("Lignes en erreur").count()).toBe(1);
    expect(await report.getByTestId("import-error-count").textContent()).toBe("2");
    // the count says what the import brings in, even before the box is ticked
    expect(await page.getByTestId("import-start").textContent()).toContain("Importer 3 contacts");
    expect(await page.getByTestId("import-start").isDisabled()).toBe(true);
    await shot(page, "contacts-import-report");

    // the unknown column goes to a variable of the new list, then the file is checked again
    const mapping = page.locator('[data-testid="mapping-row"][data-header="Date RDV"]');
    await mapping.getByTestId("mapping-select").selectOption("list");
    await page.getByTestId("import-recheck").click();
    await expect.poll(() => page.getByTestId("import-recheck").isDisabled()).toBe(true);
    expect(await page.getByTestId("import-report").getByTestId("import-valid").textContent()).toBe("3");

    await page.getByTestId("agency-picker").getByLabel("Agence Lyon Part-Dieu").check();
    await page.getByTestId("import-list-new").check();
    await page.getByTestId("import-list-name").fill(`Import ${stamp}`);
    expect(await page.getByTestId("import-start").isDisabled()).toBe(true);
    await page.getByTestId("import-only-valid").check();
    await shot(page, "contacts-import-destination");
    await page.getByTestId("import-start").click();

    const run = page.getByTestId("import-run");
    await run.waitFor();
    await page.getByTestId("import-progress").waitFor();
    await expect.poll(() => run.getAttribute("data-status"), { timeout: 25_000 }).toBe("done");
    expect(await page.getByTestId("import-progress").getAttribute("aria-valuenow")).toBe("100");
    expect(await page.getByTestId("import-percent").textContent()).toBe("100 %");
    expect(await page.getByTestId("import-created").textContent()).toBe("3");
    expect(await page.getByTestId("import-skipped").textContent()).toBe("2");
    const reportLink = page.getByTestId("import-report-link");
    await reportLink.waitFor();
    expect(await reportLink.getAttribute("href")).toMatch(
      /\/api\/contact-imports\/[^/]+\/report\?redirect=true$/,
    );
    // the bar eases to its width: the picture waits for it
    await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLElement>('[data-testid="import-progress"] .progress-bar');
      return bar?.parentElement && bar.getBoundingClientRect().width >= bar.parentElement.clientWidth - 1;
    });
    await shot(page, "contacts-import-done");

    // the list holds the three valid lines and their %date_rdv% values
    await page.getByTestId("import-open-list").click();
    await page.getByTestId("list-page").waitFor();
    await expect.poll(() => page.getByTestId("member-row").count()).toBe(3);
    const values = await page
      .locator('[data-testid="member-value"][data-field="date_rdv"]')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value).sort());
    expect(values).toEqual(["12/12/2026", "13/12/2026", "14/12/2026"]);
    await expect.poll(() => page.getByTestId("health-chart").getAttribute("data-total")).toBe("3");
  });

  it("finds a contact by a number typed with spaces", async () => {
    await nav(page, "Contacts").click();
    await page.waitForURL(/\/contacts$/);
    await page.getByTestId("contacts-search").fill(lea.spaced.slice(0, 8));
    const rows = page.getByTestId("contact-row");
    await expect
      .poll(async () => rows.evaluateAll((all) => all.map((row) => row.getAttribute("data-mobile"))))
      .toEqual([lea.e164]);
    const row = rows.first();
    expect(await row.textContent()).toContain(lea.spaced);
    expect(await row.textContent()).toContain("Client");
    await shot(page, "contacts-search");
  });

  it("locks the opt-out switch of a STOP, saying only the person can opt in again", async () => {
    const person = frenchMobile("07");
    const company = await Company.fromCode(demo.companyCode);
    const companyId = company!.companyId;
    const [agency] = await withActor({ type: "system", companyId, reason: "test" }, () => Agency.all());
    const contact = { lastName: `Stop${stamp}`, mobile: person.e164 };
    // A STOP arrives by SMS in real life; written here as the reply worker writes it.
    const stored = {
      companyId,
      contactId: ulid(),
      ...contact,
      smsCapable: true,
      agencyIds: [agency!.agencyId],
      searchText: searchText(contact),
      optOutSmsAt: new Date().toISOString(),
      optOutSmsSource: "STOP",
      updatedAt: new Date().toISOString(),
    };
    await ContactEntity.create(stored).go();
    // With the search words the contact verbs write beside it.
    await ContactTokenEntity.put(
      tokensOf(contact).map((token) => ({ ...stored, token, bucket: bucketOf(token) })),
    ).go();
    await nav(page, "Contacts").click();
    await page.getByTestId("contacts-search").fill(compact(person.spaced));
    const row = page.locator(`[data-testid="contact-row"][data-mobile="${person.e164}"]`);
    await row.getByTestId("contact-edit").click();
    const dialog = page.getByTestId("contact-dialog");
    expect(await dialog.getByTestId("contact-optout-sms").isDisabled()).toBe(true);
    expect(await dialog.getByTestId("contact-optout-sms-locked").textContent()).toContain(
      "elle seule peut se réabonner",
    );
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  it("builds a list by pasting entries, the invalid one shown in red with its reason", async () => {
    await nav(page, "Listes de diffusion").click();
    await page.waitForURL(/\/lists$/);
    const imported = page.locator(`[data-testid="list-row"][data-name="Import ${stamp}"]`);
    await imported.getByTestId("list-health").waitFor();
    expect(await imported.getByTestId("list-health").textContent()).toContain("3 valides");
    await shot(page, "lists");
    await page.getByTestId("lists-new").click();
    const dialog = page.getByTestId("list-create-dialog");
    await dialog.getByTestId("list-name").fill(`Collée ${stamp}`);
    await dialog.getByTestId("list-agency").selectOption({ label: "Agence Lyon Part-Dieu" });
    await dialog.getByTestId("paste-text").fill(`${pasted.spaced}\tcolle.${stamp}@example.fr\npas-un-numero`);
    await dialog.getByText("3 entrée(s) détectée(s)", { exact: false }).waitFor();
    await dialog.getByTestId("list-create-submit").click();

    const report = dialog.getByTestId("paste-report");
    await report.waitFor();
    expect(await report.getByTestId("paste-added").textContent()).toBe("2");
    const invalid = report.getByTestId("paste-invalid-row");
    expect(await invalid.count()).toBe(1);
    expect(await invalid.textContent()).toContain("pas-un-numero");
    expect(await invalid.textContent()).toContain("Ni un numéro ni un e-mail");
    const color = await invalid.locator("code").evaluate((code) => getComputedStyle(code).color);
    expect(color).toBe("rgb(180, 35, 24)");
    await shot(page, "lists-paste-report");

    await dialog.getByTestId("list-create-open").click();
    await page.getByTestId("list-page").waitFor();
    pastedListUrl = page.url();
    await expect.poll(() => page.getByTestId("health-chart").getAttribute("data-total")).toBe("2");
    await expect.poll(() => page.getByTestId("member-row").count()).toBe(2);
    await shot(page, "list-page");

    const [workbook] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("list-export").click(),
    ]);
    expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
  });

  it("cleans the list: a member opted out of SMS is previewed, then removed", async () => {
    // the pasted number only has SMS: unsubscribing it from SMS makes it unreachable
    await nav(page, "Contacts").click();
    await page.getByTestId("contacts-search").fill(pasted.spaced);
    const row = page.locator(`[data-testid="contact-row"][data-mobile="${pasted.e164}"]`);
    await row.getByTestId("contact-edit").click();
    const dialog = page.getByTestId("contact-dialog");
    // a controlled switch: it turns on once the API has answered
    await dialog.getByText("Désabonné des SMS").click();
    await expect.poll(() => dialog.getByTestId("contact-optout-sms").isChecked()).toBe(true);
    await dialog.getByText("source : console").waitFor();
    await page.keyboard.press("Escape");
    await row.getByTestId("optout-sms").waitFor();

    await page.goto(pastedListUrl);
    await page.getByTestId("list-page").waitFor();
    await expect.poll(() => page.getByTestId("health-optSms").getAttribute("data-value")).toBe("1");
    await page.getByTestId("list-clean").click();
    const clean = page.getByTestId("list-clean-dialog");
    await clean.getByTestId("list-clean-preview").waitFor();
    expect(await clean.getByTestId("clean-count-optedOut").textContent()).toBe("1");
    expect(await clean.getByTestId("list-clean-members").textContent()).toContain(pasted.spaced);
    await shot(page, "list-clean-preview");
    await clean.getByTestId("list-clean-confirm").click();
    await clean.waitFor({ state: "detached" });
    await expect.poll(() => page.getByTestId("health-chart").getAttribute("data-total")).toBe("1");
    await expect.poll(() => page.getByTestId("member-row").count()).toBe(1);
  });

  it("exports a contact's data (GDPR) and erases it", async () => {
    await nav(page, "Contacts").click();
    await page.getByTestId("contacts-search").fill(compact(lea.spaced));
    const row = page.locator(`[data-testid="contact-row"][data-mobile="${lea.e164}"]`);
    await row.getByTestId("contact-open").click();
    const dialog = page.getByTestId("contact-dialog");
    expect(await dialog.getByTestId("contact-mobile").inputValue()).toBe(lea.spaced);
    await shot(page, "contact-dialog");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByTestId("contact-export").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^contact-.+\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), "utf8")) as {
      contact: { mobile: string; email: string; lastName: string };
    };
    expect(exported.contact.mobile).toBe(lea.e164);
    expect(exported.contact.email).toBe(`lea.${stamp}@example.fr`);

    await dialog.getByTestId("contact-erase").click();
    const erase = page.getByTestId("erase-dialog");
    expect(await erase.getByTestId("erase-confirm").isDisabled()).toBe(true);
    await erase.getByTestId("erase-word").fill("effacer");
    await shot(page, "contact-erase");
    await erase.getByTestId("erase-confirm").click();
    await row.waitFor({ state: "detached" });
    await page.getByText("Contact effacé.").waitFor();

    // searched again from a fresh page, the number leads nowhere
    await page.reload();
    await page.getByTestId("contacts-search").fill(lea.spaced);
    await page.getByText("Aucun contact ne correspond à cette recherche.").waitFor();
  });

  it("creates a contact, merges a second one with the same number, and makes a list of a selection", async () => {
    const mobile = frenchMobile("07");
    await page.goto(url("/contacts"));
    await page.getByTestId("contacts-new").click();
    const dialog = page.getByTestId("contact-dialog");
    await dialog.getByTestId("contact-civility").selectOption("Mme");
    await dialog.getByTestId("contact-first-name").fill("Inès");
    await dialog.getByTestId("contact-last-name").fill(`Durand ${stamp}`);
    await dialog.getByTestId("contact-mobile").fill(mobile.spaced);
    await dialog.getByTestId("contact-email").fill("pas-un-email");
    await dialog.getByTestId("agency-picker").getByLabel("Agence Lyon Part-Dieu").check();
    await dialog.getByTestId("contact-submit").click();
    // the API's field error lands under the email
    await dialog.getByText("Adresse e-mail invalide.").waitFor();
    await dialog.getByTestId("contact-email").fill(`ines.${stamp}@example.fr`);
    await dialog.getByTestId("contact-skills").locator("input").fill("cariste, soudeur");
    await dialog.getByTestId("contact-submit").click();
    await dialog.waitFor({ state: "detached" });

    await page.getByTestId("contacts-new").click();
    await dialog.getByTestId("contact-first-name").fill("Inès");
    await dialog.getByTestId("contact-last-name").fill(`Durand-Martin ${stamp}`);
    await dialog.getByTestId("contact-mobile").fill(`+33 ${mobile.spaced.slice(1)}`);
    await dialog.getByTestId("agency-picker").getByLabel("Agence Lyon Part-Dieu").check();
    await dialog.getByTestId("contact-submit").click();
    await dialog.getByTestId("contact-merged").waitFor();
    expect(await dialog.getByTestId("contact-email").inputValue()).toBe(`ines.${stamp}@example.fr`);
    await shot(page, "contact-merged");
    await page.keyboard.press("Escape");

    // the contacts of this run, ticked, become a list
    await page.getByTestId("contacts-search").fill(stamp);
    const rows = page.getByTestId("contact-row");
    // the search has answered when every row is of this run (the pasted number has no name: not found)
    await expect
      .poll(async () => {
        const texts = await rows.evaluateAll((all) => all.map((row) => row.textContent ?? ""));
        return texts.length > 0 && texts.every((text) => text.includes(stamp));
      })
      .toBe(true);
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute("data-mobile")))).toContain(
      mobile.e164,
    );
    const count = await rows.count();
    await page.getByTestId("contacts-select-all").check();
    await page.getByTestId("contacts-selection").getByText(`${count} sélectionné(s)`).waitFor();
    // « Envoyer à la sélection » opens the composer with those contacts as recipients
    await page.getByTestId("selection-send").click();
    await page.getByTestId("selection-send-yesno").click();
    await page.waitForURL((address) => address.pathname === "/compose/yesno");
    await expect.poll(() => page.getByTestId("recipient-chip-contact").count()).toBe(count);
    await page.goBack();
    await page.waitForURL((address) => address.pathname === "/contacts");
    if (!(await page.getByTestId("contacts-selection").isVisible())) {
      await page.getByTestId("contacts-search").fill(stamp);
      await expect.poll(() => rows.count()).toBe(count);
      await page.getByTestId("contacts-select-all").check();
    }
    await page.getByTestId("contacts-selection").getByText(`${count} sélectionné(s)`).waitFor();
    await page.getByTestId("selection-create-list").click();
    const selection = page.getByTestId("selection-list-dialog");
    await selection.getByTestId("selection-list-name").fill(`Sélection ${stamp}`);
    await selection.getByTestId("selection-list-submit").click();
    await page.getByTestId("list-page").waitFor();
    await expect.poll(() => page.getByTestId("member-row").count()).toBe(count);
    // « Ajouter des membres » beside « Envoyer à cette liste », which opens the composer on the list
    expect(await page.getByTestId("list-write").textContent()).toContain("Ajouter des membres");
    await page.getByTestId("list-send").click();
    await page.getByTestId("list-send-info").click();
    await page.waitForURL((address) => address.pathname === "/compose/info");
    await page.getByTestId("recipient-chip-list").getByText(`Sélection ${stamp}`).waitFor();
    await page.goBack();
    await page.getByTestId("list-page").waitFor();

    // a variable, then a member's value typed in place
    await page.getByTestId("fields-edit").click();
    await page.getByTestId("field-new").fill("Lieu RDV");
    await page.getByTestId("field-add").click();
    expect(await page.getByTestId("field-name").inputValue()).toBe("lieu_rdv");
    await page.getByTestId("fields-save").click();
    await page.getByTestId("list-field-chips").getByText("%lieu_rdv%").waitFor();
    const cell = page.locator('[data-testid="member-value"][data-field="lieu_rdv"]').first();
    await cell.fill("Villeurbanne");
    await cell.press("Enter");
    await page.getByRole("status", { name: "Enregistré" }).waitFor();
    await shot(page, "list-values");
    await page.reload();
    await expect
      .poll(() =>
        page
          .locator('[data-testid="member-value"][data-field="lieu_rdv"]')
          .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)),
      )
      .toContain("Villeurbanne");
  });
});
