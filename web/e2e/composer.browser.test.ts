import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tomorrowInParis } from "../src/composer/schedule";
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
  viewport,
} from "./browser";

skipNotice("web/e2e/composer.browser.test.ts");

/** `+33612345678` written the ways people paste it from spreadsheets. */
const formats = [
  (e164: string) => `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 "),
  (e164: string) => `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1."),
  (e164: string) => `+33 ${e164.slice(3, 4)} ${e164.slice(4).replace(/(\d{2})(?=\d)/g, "$1 ")}`,
  (e164: string) => `0033${e164.slice(3)}`,
  (e164: string) => `0${e164.slice(3)}`,
];

const agencyName = "Agence Lyon Part-Dieu";

/** Waits for the console to catch up (previews are debounced and computed by the API), up to 10 s. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });

/** Fires a paste of `text` on the focused recipients field, as Ctrl+V from Excel would. */
async function paste(page: Page, text: string) {
  await page.getByTestId("recipients-input").evaluate((input, pasted) => {
    const data = new DataTransfer();
    data.setData("text/plain", pasted);
    input.dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

describe.skipIf(!consoleUrl)("templates and composer in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  const templateName = unique("Mission demain");
  const known = { lea: freshMobile(), hugo: freshMobile(), ines: freshMobile() };

  beforeAll(async () => {
    const asAdmin = await apiSession(demo);
    const { items } = await asAdmin<{ items: { agencyId: string; name: string }[] }>("GET", "/api/agencies");
    const agencyId = items.find((agency) => agency.name === agencyName)?.agencyId;
    const contact = (firstName: string, lastName: string, mobile: string) =>
      asAdmin<{ contact: { contactId: string } }>("POST", "/api/contacts", {
        firstName,
        lastName,
        mobile,
        agencyIds: [agencyId],
      });
    await contact("Léa", "Martin", known.lea);
    await contact("Hugo", "Bernard", known.hugo);
    const ines = await contact("Inès", "Petit", known.ines);
    await asAdmin("POST", `/api/contacts/${ines.contact.contactId}/opt-out`, {
      channel: "sms",
      optedOut: true,
    });

    browser = await launch();
    // a browser outside Paris: the console shows the send time in both zones
    page = await browser.newPage({ viewport, locale: "fr-FR", timezoneId: "America/New_York" });
    await page.goto(url("/login?next=/templates/new"));
    await submitLogin(page, demo);
    await page.waitForURL(/\/templates\/new$/);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("creates a company template with %lieu%, variables coloured, and stars it", async () => {
    // A loaded machine can still be rendering the editor's first answers: type into a settled form.
    await page.waitForLoadState("networkidle");
    await page.getByTestId("template-name").waitFor();
    await page.getByTestId("template-name").fill(templateName);
    await page.getByTestId("template-scope").selectOption("company");
    // The Type radios are small controls, not circles stretched to the field's width.
    const radio = await page.getByTestId("template-kind-yesno").boundingBox();
    expect(radio?.width).toBeLessThan(24);
    const sms = page.getByTestId("sms-body");
    await sms.fill("Bonjour ");
    await page.getByTestId("insert-Prénom").click();
    await expect.poll(() => sms.inputValue()).toContain("%Prénom");
    await sms.press("End");
    await sms.pressSequentially(
      ", êtes-vous disponible demain pour une mission à %lieu% ? Répondez OUI ou NON.",
    );
    const highlight = page.getByTestId("sms-body-highlight");
    expect(await highlight.locator(".msg-var-global").textContent()).toBe("%Prénom");
    expect(await highlight.locator(".msg-var-custom").textContent()).toBe("%lieu%");
    expect(await highlight.getByTestId("char-unicode").allTextContents()).toEqual(["ê"]);
    await page.getByTestId("template-email-subject").fill("Mission à %lieu%");
    await page.getByTestId("email-editor").click();
    await page.keyboard.type("Bonjour, une mission vous attend à %lieu%.");
    await shot(page, "template-editor");
    await page.getByTestId("template-save").click();

    await page.waitForURL(/\/templates$/);
    const card = page.locator(`[data-testid="template-card"][data-name="${templateName}"]`);
    await card.waitFor();
    expect(await card.locator("[data-scope]").getAttribute("data-scope")).toBe("company");
    await card.getByTestId("template-star").click();
    await eventually(() => card.getByTestId("template-star").getAttribute("aria-pressed")).toBe("true");
    await page.getByTestId("template-filter-favourites").click();
    await page.locator(`[data-testid="template-card"][data-name="${templateName}"]`).waitFor();
    await shot(page, "templates");
  }, 60_000);

  it("composes a Yes/No from the favourite, pasted numbers, %lieu%, a GSM fix and a schedule", async () => {
    await page.getByRole("link", { name: "Nouveau Oui/Non" }).click();
    await page.waitForURL(/\/compose\/yesno$/);

    await page.getByTestId("choose-template").click();
    const picker = page.getByTestId("template-picker");
    await picker.getByTestId("template-filter-favourites").click();
    await picker
      .locator(`[data-testid="template-card"][data-name="${templateName}"]`)
      .getByTestId("template-pick")
      .click();
    await picker.waitFor({ state: "detached" });
    expect(await page.getByTestId("sms-body").inputValue()).toContain("mission à %lieu%");

    // 20 cells from Excel: 18 mobiles in mixed formats (three known contacts), a short number, a landline
    const strangers = Array.from({ length: 15 }, () => freshMobile());
    const cells = [
      ...[known.lea, known.hugo, known.ines, ...strangers].map((mobile, index) =>
        formats[index % formats.length]!(mobile),
      ),
      "0612",
      "01 45 67 89 10",
    ];
    const block = cells.map((cell, index) => (index % 4 === 3 ? `${cell}\n` : `${cell}\t`)).join("");
    await paste(page, block);
    await eventually(() => page.getByTestId("recipient-chip").count()).toBe(18);
    expect(await page.getByTestId("recipient-chip-rejected").count()).toBe(2);
    const chips = await page.getByTestId("recipient-chip").allTextContents();
    expect(chips.some((chip) => chip.startsWith("Léa Martin"))).toBe(true);
    expect(chips.some((chip) => chip.startsWith("Hugo Bernard"))).toBe(true);
    expect(await page.getByTestId("recipient-chip-rejected").allTextContents()).toEqual([
      expect.stringContaining("Numéro invalide"),
      expect.stringContaining("Fixe"),
    ]);

    await page.getByTestId("recipients-box").scrollIntoViewIfNeeded();
    await shot(page, "composer-recipients");
    await page.getByTestId("composer-title").fill(unique("Relance mission"));
    await page.getByTestId("composer-agency").selectOption({ label: agencyName });

    // the opted-out contact is shown and marked excluded; Send waits for %lieu%
    const optedOut = page.locator('[data-testid="recipient-chip"][data-excluded="opted_out"]');
    await eventually(() => optedOut.textContent()).toContain("Inès Petit");
    const send = page.getByTestId("composer-send");
    await eventually(() => page.getByTestId("send-reason").textContent()).toBe("Renseignez %lieu%.");
    expect(await send.isDisabled()).toBe(true);

    await page.getByTestId("variable-lieu").fill("Lyon Part-Dieu");
    await eventually(() => send.isDisabled()).toBe(false);
    expect(await page.getByTestId("total-sms").textContent()).toBe("17");
    expect(await page.getByTestId("total-excluded").textContent()).toBe("1");

    // Léa's message, variables filled; the ê forces UCS-2 over two SMS
    const leaKey = `m:${known.lea}`;
    await page.getByTestId("preview-recipient").selectOption(leaKey);
    await eventually(() => page.getByTestId("preview-text").textContent()).toBe(
      "Bonjour Léa, êtes-vous disponible demain pour une mission à Lyon Part-Dieu ? Répondez OUI ou NON.",
    );
    expect(await page.getByTestId("preview-encoding").getAttribute("data-encoding")).toBe("UCS-2");
    expect(await page.getByTestId("sms-encoding").getAttribute("data-encoding")).toBe("UCS-2");
    expect(await page.getByTestId("sms-units").getAttribute("data-units")).toBe("2");
    expect(
      await page.getByTestId("sms-body-highlight").getByTestId("char-unicode").allTextContents(),
    ).toEqual(["ê"]);
    expect(await page.getByTestId("total-units").textContent()).toBe("34");
    await shot(page, "composer-ucs2");

    await page.getByTestId("sms-replace").click();
    await eventually(() => page.getByTestId("sms-encoding").getAttribute("data-encoding")).toBe("GSM-7");
    await eventually(() => page.getByTestId("total-units").textContent()).toBe("17");
    expect(await page.getByTestId("sms-units").getAttribute("data-units")).toBe("1");
    expect(await page.getByTestId("preview-text").textContent()).toContain(
      "Bonjour Léa, etes-vous disponible",
    );
    expect(await page.getByTestId("sms-body-highlight").getByTestId("char-unicode").count()).toBe(0);
    expect(await page.getByTestId("total-cost").textContent()).toMatch(/^≈ \d+,\d{2,3}\s€$/);

    // An « ô » typed in a value forces Unicode again: said, and fixed in the value, not the text.
    await page.getByTestId("variable-lieu").fill("Rhône");
    await eventually(() => page.getByTestId("sms-encoding").getAttribute("data-encoding")).toBe("UCS-2");
    const fromValues = page.getByTestId("sms-unicode-values");
    expect(await fromValues.textContent()).toContain("ô");
    await fromValues.getByTestId("sms-replace-values").click();
    expect(await page.getByTestId("variable-lieu").inputValue()).toBe("Rhone");
    await eventually(() => page.getByTestId("sms-encoding").getAttribute("data-encoding")).toBe("GSM-7");
    expect(await page.getByTestId("sms-unicode-values").count()).toBe(0);
    await page.getByTestId("variable-lieu").fill("Lyon Part-Dieu");
    await eventually(() => page.getByTestId("preview-text").textContent()).toContain("Lyon Part-Dieu");

    // tomorrow 09:00 in Paris, also shown in New York time
    const day = tomorrowInParis();
    const [year, month, date] = day.split("-");
    await page.getByTestId("schedule-later").check();
    // a Sunday: the composer says it waits, and until when
    const sunday = new Date(`${day}T12:00:00Z`);
    sunday.setUTCDate(sunday.getUTCDate() + ((7 - sunday.getUTCDay()) % 7));
    await page.getByTestId("schedule-date").fill(sunday.toISOString().slice(0, 10));
    await page.getByTestId("schedule-time").fill("10:00");
    await eventually(() => page.getByTestId("schedule-deferred").textContent()).toContain(
      "Dimanche, jour sans envoi : l'envoi partira le",
    );
    await page.getByTestId("schedule-date").fill(day);
    await page.getByTestId("schedule-time").fill("09:00");
    await eventually(() => page.getByTestId("schedule-summary").textContent()).toContain(
      `${date}/${month}/${year} 09:00`,
    );
    expect(await page.getByTestId("schedule-local").textContent()).toMatch(/0[34]:00/);
    await shot(page, "composer-ready");

    await send.click();
    const review = page.getByTestId("review-dialog");
    await review.waitFor();
    expect(await review.getByTestId("review-recipients").textContent()).toBe("18");
    expect(await review.getByTestId("review-sms").textContent()).toBe("17");
    expect(await review.getByTestId("review-excluded").textContent()).toBe("1");
    expect(await review.getByTestId("review-units").textContent()).toBe("17");
    expect(await review.getByTestId("review-when").textContent()).toContain(`${date}/${month}/${year} 09:00`);
    expect(await review.getByTestId("review-rejected").textContent()).toContain("2 saisie(s) invalide(s)");
    await shot(page, "composer-review");
    await review.getByTestId("review-confirm").click();

    await page.waitForURL(/\/campaigns\/[0-9A-Z]+$/);
    await page.getByTestId("campaign-counts").waitFor();
    expect(await page.getByTestId("campaign-status").textContent()).toBe("Programmé");
    expect(await page.getByTestId("count-recipients").textContent()).toBe("18");
    expect(await page.getByTestId("count-sms").textContent()).toBe("17");
    expect(await page.getByTestId("count-excluded").textContent()).toBe("1");
    expect(await page.getByTestId("count-units").textContent()).toBe("17");
    expect(await page.getByTestId("campaign-send-at").textContent()).toContain(
      `${date}/${month}/${year} 09:00`,
    );
    await eventually(() => page.getByTestId("message-row").count()).toBe(17);
    // The text as written, and who was left out and why.
    expect(await page.getByTestId("campaign-sms-body").textContent()).toContain("mission à %lieu%");
    const excluded = page.getByTestId("excluded-row");
    expect(await excluded.count()).toBe(1);
    expect(await excluded.getAttribute("data-reason")).toBe("opted_out");
    expect(await excluded.textContent()).toContain("Inès Petit");
    expect(await excluded.textContent()).toContain("désabonné (STOP)");
    await shot(page, "campaign");

    await page.getByRole("link", { name: "Envois", exact: true }).first().click();
    await page.waitForURL(/\/campaigns$/);
    await page.getByTestId("campaign-row").first().waitFor();
    await shot(page, "campaigns");
  }, 90_000);

  it("attaches a PDF: uploaded with progress, its link ends the SMS and opens the files page", async () => {
    await page.goto(url("/compose/info"));
    await page.getByTestId("composer-title").fill(unique("Planning"));
    await page.getByTestId("composer-agency").selectOption({ label: agencyName });
    const to = freshMobile();
    await page.getByTestId("recipients-input").fill(to);
    await page.getByTestId("recipients-input").press("Enter");
    await page.getByTestId("sms-body").fill("Votre planning de la semaine est joint.");
    await page.getByTestId("attachments-input").setInputFiles([
      { name: "Planning S48.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
      { name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") },
    ]);
    const chips = page.getByTestId("attachment");
    await eventually(() => chips.first().getAttribute("data-state")).toBe("ready");
    expect(await chips.nth(1).getAttribute("data-state")).toBe("error");
    expect(await page.getByTestId("send-reason").textContent()).toContain("retirez-la");
    await chips.nth(1).getByRole("button").click();
    // the preview shows the link (a placeholder until sent) at the end, counted in the units
    await eventually(() => page.getByTestId("preview-text").textContent()).toMatch(/\/f\/x{12}$/);
    expect(await page.getByTestId("sms-units").getAttribute("data-units")).toBe("1");
    await shot(page, "composer-attachment");

    // urgent, so it leaves now even when the test runs in quiet hours
    await page.getByTestId("composer-urgent").check();
    await page.getByTestId("composer-send").click();
    await page.getByTestId("review-confirm").click();
    await page.waitForURL(/\/campaigns\/[0-9A-Z]+$/);

    const emulator = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
    const sent = async () => {
      const answer = await fetch(new URL(`/_emulator/messages?to=${encodeURIComponent(to)}`, emulator));
      return ((await answer.json()) as { messages: Array<{ body: string }> }).messages[0]?.body ?? "";
    };
    await eventually(sent).toMatch(/\/f\/[A-Za-z0-9]{12}$/);
    await page.goto((await sent()).split("\n").at(-1)!);
    await page.getByTestId("files").waitFor();
    expect(await page.getByTestId("files").textContent()).toContain("Planning S48.pdf");
    await shot(page, "files-page");
    await page.goto(url("/campaigns"));
  }, 60_000);

  it("shows the operator's SMS unit price in euros with French decimals, and the identities read-only", async () => {
    await page.getByRole("link", { name: "Paramètres de l'entreprise" }).click();
    const card = page.getByTestId("company-sms-price");
    await card.waitFor();
    expect(await card.getByTestId("company-sms-price-value").textContent()).toMatch(/^\d+,\d{2,5}\s€$/);
    expect(await card.textContent()).toContain("fixé par votre opérateur Relais");
    await card.scrollIntoViewIfNeeded();
    await shot(page, "company-sms-price");

    // delivery settings: the SMS identities are the operator's; a rate change is kept
    const delivery = page.getByTestId("delivery-settings");
    await delivery.scrollIntoViewIfNeeded();
    expect(await delivery.getByTestId("delivery-next").textContent()).toMatch(/^Un envoi lancé maintenant/);
    expect(await delivery.getByTestId("delivery-sender-id").textContent()).toBe(
      "Aucun : le numéro par défaut",
    );
    expect(await delivery.textContent()).toContain("attribués par votre opérateur Relais");
    // SMS countries and the monthly cap: France and overseas, 500 € by default
    expect(await delivery.getByLabel("Pays destinataires des SMS").inputValue()).toMatch(/^FR, GP, MQ/);
    expect(await delivery.getByLabel("Plafond mensuel SMS (€)").inputValue()).toBe("500");
    // Up to the operator's limit (14 e-mails/s unless the operator set one).
    expect(await delivery.getByTestId("delivery-rate-hint").textContent()).toContain(
      "Au plus 10 SMS et 14 e-mails",
    );
    const emailRate = delivery.getByLabel("E-mails par seconde");
    const rate = await emailRate.inputValue();
    await emailRate.fill(String(Number(rate) - 1));
    await delivery.getByTestId("delivery-save").click();
    await page.getByText("Paramètres d'envoi enregistrés").waitFor();
    await shot(page, "company-delivery");
    await page.reload();
    await eventually(() => page.getByLabel("E-mails par seconde").inputValue()).toBe(
      String(Number(rate) - 1),
    );
    await page.getByLabel("E-mails par seconde").fill(rate);
    await page.getByTestId("delivery-save").click();
    await eventually(() => page.getByTestId("delivery-save").isDisabled()).toBe(true);
  });
});
