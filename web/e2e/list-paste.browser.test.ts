import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consoleUrl,
  demo,
  freshMobile,
  launch,
  shot,
  skipNotice,
  submitLogin,
  unique,
  url,
  viewport,
} from "./browser";

skipNotice("web/e2e/list-paste.browser.test.ts");

const national = (e164: string) => `0${e164.slice(3)}`;

/** What the preview says each pasted column fills, in order. */
const targets = (page: Page) =>
  page.getByTestId("paste-preview").getByTestId("paste-column-target").allTextContents();

/**
 * Pasting an Excel block with columns (Mobile, Date RDV, Immat) into a new list with the variables
 * « Date RDV » and « Immat », then into « Ajouter des membres »: each column's mapping is shown before
 * confirming, and the values land in the members' variables on the list page.
 */
describe.skipIf(!consoleUrl)("pasting Excel columns into a list in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  const name = `RDV ${unique("p")}`;
  const [first, second, third] = [freshMobile(), freshMobile(), freshMobile()];

  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url("/login?next=/lists"));
    await submitLogin(page, demo);
    await page.waitForURL(/\/lists$/);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("creates a list from a 3-column block with a header and shows the values on the list page", async () => {
    await page.getByTestId("lists-new").click();
    const dialog = page.getByTestId("list-create-dialog");
    await dialog.getByTestId("list-name").fill(name);
    await dialog.getByText("Variables personnalisées", { exact: false }).click();
    for (const field of ["Date RDV", "Immat"]) {
      await dialog.getByTestId("field-new").fill(field);
      await dialog.getByTestId("field-add").click();
    }
    await expect.poll(() => dialog.getByTestId("field-name").count()).toBe(2);
    await dialog
      .getByTestId("paste-text")
      .fill(
        `Mobile\tDate RDV\tImmat\n${national(first)}\t12/03/2027 09:00\tAB-123-CD\n${national(second)}\t13/03/2027 14:30\tEF-456-GH\n`,
      );
    await expect.poll(() => targets(page)).toEqual(["adresse (mobile)", "champ date_rdv", "champ immat"]);
    expect(
      await dialog.getByTestId("paste-preview").getByTestId("paste-column").first().textContent(),
    ).toContain("Mobile");
    await dialog.getByText("2 ligne(s) : un membre par ligne", { exact: false }).waitFor();
    await shot(page, "list-paste-columns");
    await dialog.getByTestId("list-create-submit").click();

    const report = dialog.getByTestId("paste-report");
    await report.waitFor();
    expect(await report.getByTestId("paste-added").textContent()).toBe("2");
    await dialog.getByTestId("list-create-open").click();
    await page.getByTestId("list-page").waitFor();
    await expect.poll(() => page.getByTestId("member-row").count()).toBe(2);
    const values = async (field: string) =>
      (
        await page
          .locator(`[data-testid="member-value"][data-field="${field}"]`)
          .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))
      ).sort();
    await expect.poll(() => values("date_rdv")).toEqual(["12/03/2027 09:00", "13/03/2027 14:30"]);
    await expect.poll(() => values("immat")).toEqual(["AB-123-CD", "EF-456-GH"]);
  });

  it("adds members from a block in « Ajouter des membres », an unknown column shown as ignored", async () => {
    await page.getByTestId("list-write").click();
    const dialog = page.getByTestId("list-write-dialog");
    await dialog.getByTestId("list-write-tab-paste").click();
    await dialog
      .getByTestId("paste-text")
      .fill(`Portable\tImmat\tCouleur\n${national(third)}\tIJ-789-KL\tbleu`);
    await expect
      .poll(() => targets(page))
      .toEqual(["adresse (mobile)", "champ immat", "ignorée · aucune variable de ce nom dans la liste"]);
    await dialog.getByTestId("list-write-submit").click();
    await dialog.getByTestId("paste-report").waitFor();
    expect(await dialog.getByTestId("paste-added").textContent()).toBe("1");
    await dialog.getByTestId("list-write-close").click();
    await expect.poll(() => page.getByTestId("member-row").count()).toBe(3);
    const row = page.locator(`[data-testid="member-row"]`).filter({ hasText: national(third).slice(-2) });
    await expect
      .poll(() =>
        page
          .locator(`[data-testid="member-value"][data-field="immat"]`)
          .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)),
      )
      .toContain("IJ-789-KL");
    expect(await row.count()).toBeGreaterThan(0);
  });
});
