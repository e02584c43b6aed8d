import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditTypes } from "../../core/audit/audit.types";
import { consoleUrl, demo, launch, shot, skipNotice, submitLogin, unique, url, viewport } from "./browser";

skipNotice("web/e2e/admin.browser.test.ts");

/** A 2×2 PNG, small enough for any logo limit. */
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mNk+M9Qz0AEYBxVSF+FAP5FDvcfRYWgAAAAAElFTkSuQmCC",
  "base64",
);

describe.skipIf(!consoleUrl)("administration pages in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  /** The agency the first test creates and renames, whose entries the audit test then reads. */
  const agency = unique("Agence Test");

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url("/login?next=/admin/agencies"));
    await submitLogin(page, demo);
    await page.waitForURL(/\/admin\/agencies$/);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("creates, renames, archives and restores an agency", async () => {
    const name = agency;
    await page.getByTestId("agency-create-name").fill(name);
    await page.getByTestId("agency-create-submit").click();
    const row = page.locator(`[data-testid="agency-row"][data-name="${name}"]`);
    await row.waitFor();

    await row.getByTestId("agency-rename").click();
    await row.getByTestId("agency-rename-input").fill(`${name} Centre`);
    await row.getByTestId("agency-rename-input").press("Enter");
    const renamed = page.locator(`[data-testid="agency-row"][data-name="${name} Centre"]`);
    await renamed.waitFor();
    await shot(page, "agencies");

    await renamed.getByTestId("agency-archive").click();
    await renamed.waitFor({ state: "detached" });
    await page.getByTestId("agencies-show-archived").check({ force: true });
    await renamed.getByTestId("agency-unarchive").waitFor();
    expect(await renamed.textContent()).toContain("Archivée");
    await renamed.getByTestId("agency-unarchive").click();
    await renamed.getByTestId("agency-archive").waitFor();
  });

  it("creates a user, shows the temporary password once, then edits and deactivates them", async () => {
    await page.getByRole("link", { name: "Utilisateurs" }).click();
    await page.waitForURL(/\/admin\/users$/);
    const email = `${unique("cree")}@example.fr`;

    await page.getByTestId("users-create").click();
    const dialog = page.getByTestId("create-dialog");
    await dialog.getByTestId("user-email").fill(email);
    await dialog.getByTestId("user-first-name").fill("Noé");
    await dialog.getByTestId("user-last-name").fill("Bernard");
    await dialog.getByTestId("user-mobile").fill("06 12 34 56 78");
    // the admin belongs to one agency only: it comes ticked
    expect(await dialog.getByLabel("Agence Lyon Part-Dieu").isChecked()).toBe(true);
    await dialog.getByTestId("create-submit").click();
    const done = page.getByTestId("create-done");
    await done.waitFor();
    expect(await done.getByTestId("temporary-password").textContent()).toMatch(/^\S{12,}$/);
    await shot(page, "user-created");
    await done.getByTestId("create-done-close").click();

    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await row.getByTestId("must-change-password").waitFor();
    expect(await row.textContent()).toContain("06 12 34 56 78");

    await row.getByTestId("user-edit").click();
    const edit = page.getByTestId("edit-dialog");
    await edit.getByTestId("user-role").selectOption("manager");
    await edit.getByTestId("edit-submit").click();
    await edit.waitFor({ state: "detached" });
    await expect.poll(() => row.locator("[data-role]").getAttribute("data-role")).toBe("manager");

    await row.getByTestId("user-deactivate").click();
    await page.getByTestId("status-confirm").click();
    await expect.poll(() => row.getAttribute("data-status")).toBe("deactivated");
    await shot(page, "users");
  });

  it("edits the company's settings and uploads a logo", async () => {
    await page.getByRole("link", { name: "Paramètres de l'entreprise" }).click();
    const form = page.getByTestId("company-form");
    await form.waitFor();
    expect(await page.getByTestId("company-code").inputValue()).toBe("DEMO");

    await page.getByTestId("company-code").fill("DEMO-2");
    await page.getByTestId("company-code-warning").waitFor();
    await shot(page, "company");
    await page.getByTestId("company-code").fill("DEMO");
    await page.getByTestId("company-code-warning").waitFor({ state: "detached" });

    await page.getByTestId("company-timezone").selectOption("Europe/Brussels");
    await page.getByTestId("company-save").click();
    await page.getByText("Paramètres enregistrés.").waitFor();
    await page.getByTestId("company-timezone").selectOption("Europe/Paris");
    await page.getByTestId("company-save").click();
    await expect.poll(() => page.getByTestId("company-save").isDisabled()).toBe(true);

    await page
      .getByTestId("company-logo-input")
      .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
    await page.getByText("Logo enregistré.").waitFor({ timeout: 10_000 });
    const src = await page.getByTestId("company-logo-img").getAttribute("src");
    expect(src).toBeTruthy();
  });

  it("lists audit entries in words and Paris time, filtered by any type", async () => {
    await page.getByRole("link", { name: "Journal d'audit" }).click();
    await page.locator('[data-testid="audit-row"]').first().waitFor();

    // The filter offers every type the API records, in groups.
    const offered = await page
      .getByTestId("audit-type")
      .locator("option")
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value).filter(Boolean));
    expect(offered.sort()).toEqual([...auditTypes].sort());
    expect(await page.getByTestId("audit-type").locator("optgroup").count()).toBeGreaterThan(5);

    const answer = page.waitForResponse((response) =>
      response.url().includes("/api/audit?type=agency.updated"),
    );
    await page.getByTestId("audit-type").selectOption("agency.updated");
    await answer;
    await expect
      .poll(async () => [
        ...new Set(
          await page
            .locator('[data-testid="audit-row"]')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-type"))),
        ),
      ])
      .toEqual(["agency.updated"]);

    // The rename of the first test reads as French words, at the Paris time of the entry, with no id.
    const row = page
      .locator('[data-testid="audit-row"]')
      .filter({
        has: page.locator('[data-testid="audit-detail"][data-key="name"]', { hasText: `${agency} Centre` }),
      })
      .first();
    await row.waitFor();
    expect(await row.locator("th").textContent()).toBe("Agence modifiée");
    expect(await row.getByTestId("audit-target").textContent()).toBe(`Agence · ${agency} Centre`);
    expect(await row.locator('[data-key="name"]').textContent()).toBe(`Nom : ${agency} → ${agency} Centre`);
    const at = row.getByTestId("audit-at");
    const shown = await at.textContent();
    expect(shown).toMatch(/^\d{1,2} [a-zéû]+\.? \d{4}, \d{2}:\d{2}$/);
    const instant = (await at.locator("time").getAttribute("datetime")) ?? "";
    const paris = new Intl.DateTimeFormat("fr-FR", {
      timeZone: "Europe/Paris",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    expect(shown).toBe(paris.format(new Date(instant)));
    expect(await row.textContent()).not.toMatch(/[0-9A-HJKMNP-TV-Z]{26}/i);

    await page.getByTestId("audit-type").selectOption("");
    await page.locator('[data-testid="audit-row"][data-type="auth.login"]').first().waitFor();
    await shot(page, "audit");
  });

  it("imports users from a CSV: upload with progress, every error by line and column, then only the valid lines", async () => {
    await page.getByRole("link", { name: "Utilisateurs" }).click();
    await page.getByTestId("users-import").click();
    const wizard = page.getByTestId("import-wizard");
    const stamp = unique("imp");
    const csv = [
      "Prénom;Nom;Email;Mobile;Rôle;Agences",
      `Alice;Durand;alice.${stamp}@example.fr;06 11 22 33 44;Utilisateur;Agence Lyon Part-Dieu`,
      "Bob;;bob@example;12;Chef;Agence Inconnue",
      `Chloé;Petit;chloe.${stamp}@example.fr;;Manager;Agence Lyon Part-Dieu`,
    ].join("\n");
    await wizard.getByTestId("import-file").setInputFiles({
      name: "utilisateurs.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    // hold the S3 answer a moment so that the progress bar can be seen
    await page.route(/relais-local-attachments/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await wizard.getByTestId("import-upload").click();
    await wizard.getByTestId("import-progress").waitFor();

    const report = wizard.getByTestId("import-report");
    await report.waitFor();
    await page.unroute(/relais-local-attachments/);
    expect(await report.getByTestId("import-total").textContent()).toBe("3");
    expect(await report.getByTestId("import-valid").textContent()).toBe("2");
    const errors = await report
      .locator('[data-testid="import-errors"] tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.children].slice(0, 2).map((cell) => cell.textContent)),
      );
    expect(errors).toContainEqual(["3", "Nom"]);
    expect(errors).toContainEqual(["3", "Agences"]);
    expect(await report.textContent()).toContain("Agence inconnue : « Agence Inconnue »");
    expect(await wizard.getByTestId("import-commit").isDisabled()).toBe(true);
    await shot(page, "import-report");

    await report.getByTestId("import-only-valid").check();
    await wizard.getByTestId("import-commit").click();
    const done = wizard.getByTestId("import-done");
    await done.waitFor();
    expect(await done.getByTestId("import-created").textContent()).toBe("2");
    expect(await done.getByTestId("import-skipped").textContent()).toBe("1");
    await done.getByTestId("import-passwords").waitFor();
    await shot(page, "import-done");
  });
});
