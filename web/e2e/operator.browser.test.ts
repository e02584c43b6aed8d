import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Operator, Totp } from "../../core/operator";
import { consoleUrl, launch, shot, skipNotice, unique, url, viewport } from "./browser";

skipNotice("web/e2e/operator.browser.test.ts");

const mailbox = async (to: string) => {
  const store = (await (await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`)).json()) as {
    emails: Array<{ subject: string; destination: { to: string[] }; body: { text: string } }>;
  };
  return store.emails.filter((email) => email.destination.to.includes(to));
};

describe.skipIf(!consoleUrl)("operator console in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  const password = "Operateur-navigateur-42";
  let account: { email: string; totpSecret: string };

  beforeAll(async () => {
    account = await Operator.create({ email: `${unique("op")}@relais.test`, name: "Octave Opé", password });
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("signs in with the password then the TOTP code", async () => {
    await page.goto(url("/operateur"));
    await page.getByTestId("operator-email").fill(account.email);
    await page.getByTestId("operator-password").fill(password);
    await page.getByTestId("operator-login-submit").click();
    await page.getByTestId("operator-code").fill(Totp.codeOf(account.totpSecret));
    await page.getByTestId("operator-code-submit").click();
    await page.getByTestId("operator-companies").waitFor();
    expect(await page.getByTestId("operator-name").textContent()).toBe("Octave Opé");
    await shot(page, "operator-companies");
  });

  it("creates a company whose first Admin finds the invitation in the mailbox, then suspends it", async () => {
    const code = `OP${Date.now().toString(36).toUpperCase().slice(-6)}`;
    const email = `${unique("premier-admin")}@example.fr`;
    await page.getByTestId("operator-create").click();
    const dialog = page.getByTestId("operator-create-dialog");
    await dialog.getByTestId("operator-new-code").fill(code);
    await dialog.getByTestId("operator-new-name").fill("Intérim Navigateur");
    await dialog.getByTestId("operator-new-email").fill(email);
    await dialog.getByTestId("operator-new-firstName").fill("Nina");
    await dialog.getByTestId("operator-create-submit").click();
    const row = page.locator(`[data-testid="operator-company-row"][data-code="${code}"]`);
    await row.waitFor();
    expect(await row.getByTestId("operator-state").textContent()).toContain("Active");

    const deadline = Date.now() + 15_000;
    let mails = await mailbox(email);
    while (mails.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      mails = await mailbox(email);
    }
    expect(mails[0]?.subject).toContain("Intérim Navigateur");
    expect(mails[0]?.body.text).toMatch(/invitation\?token=/);

    await row.getByRole("link", { name: code }).click();
    await page.getByTestId("operator-company-name").waitFor();
    // Prices in euros as people type them, French decimals; stored in millicents.
    const smsPrice = page.getByTestId("operator-terms-smsPrice");
    expect(await smsPrice.inputValue()).toBe("0,045");
    await smsPrice.fill("0,05x");
    await page.getByTestId("operator-terms-save").click();
    await page.getByText("Montant invalide").waitFor();
    await smsPrice.fill("0,052");
    await page.getByTestId("operator-terms-save").click();
    await page.getByText("Conditions enregistrées").waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId("operator-terms-smsPrice").inputValue()).toBe("0,052");
    await page.getByTestId("operator-suspend").click();
    await page.getByTestId("operator-confirm-submit").click();
    await page.getByTestId("operator-reactivate").waitFor();
    expect(await page.getByTestId("operator-state").textContent()).toContain("Suspendue");
    await shot(page, "operator-company-suspended");
  });
});
