import { PDFDocument, StandardFonts } from "pdf-lib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selfSignedP12 } from "../../core/signature/self-signed";
import { newCompany, PASSWORD, type TestCompany, until } from "../../core/test-helpers";
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

skipNotice("web/e2e/signature.browser.test.ts");

/** The SMS emulator's messages to `to`, newest first, once one satisfies `wanted`. */
async function smsTo(to: string, wanted: (body: string) => boolean) {
  const emulator = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
  if (!emulator) throw new Error("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 is not set");
  return until(async () => {
    const answer = await fetch(
      new URL(`/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`, emulator),
    );
    const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
    return messages.find((message) => wanted(message.body))?.body;
  });
}

/**
 * Electronic signature in Chromium: the Admin's « Signature électronique » page, then a partner signing a
 * contract on a phone-sized screen (signed link, code by SMS, consent, typed name) and staff seeing « Signé ».
 */
describe.skipIf(!consoleUrl)("electronic signature in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let company: TestCompany;
  let asAdmin: Awaited<ReturnType<typeof apiSession>>;
  let login: { companyCode: string; email: string; password: string };
  const partner = { partnerId: "", mobile: freshMobile() };
  let documentId = "";

  beforeAll(async () => {
    company = await newCompany("Intérim Signature");
    login = { companyCode: company.code, email: company.admin.email, password: PASSWORD };
    asAdmin = await apiSession(login);
    await asAdmin("PATCH", "/api/company/delivery", {
      quietHours: { start: "00:00", end: "00:00", sundays: false, holidays: false },
    });
    const p12 = selfSignedP12({ commonName: "Intérim Signature", password: "secret-p12" });
    await asAdmin("PUT", "/api/signature/certificate", {
      file: Buffer.from(p12).toString("base64"),
      password: "secret-p12",
    });
    const created = await asAdmin<{ partner: { partnerId: string } }>("POST", "/api/partners", {
      kind: "person",
      firstName: "Jeanne",
      lastName: "Mobile",
      mobile: partner.mobile,
      categoryIds: ["interimaire"],
    });
    partner.partnerId = created.partner.partnerId;
    const contract = await PDFDocument.create();
    contract.addPage().drawText("Contrat de mission", {
      x: 50,
      y: 700,
      size: 20,
      font: await contract.embedFont(StandardFonts.Helvetica),
    });
    const bytes = await contract.save();
    const batch = await asAdmin<{
      batchId: string;
      uploads: Array<{ documentId: string; url: string; fields: Record<string, string> }>;
    }>("POST", "/api/vault/batches", {
      typeId: "contrat-de-mission",
      agencyId: company.agencies[0],
      files: [{ fileName: "contrat-mission.pdf", size: bytes.length, partnerId: partner.partnerId }],
    });
    const upload = batch.uploads[0]!;
    documentId = upload.documentId;
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }));
    await fetch(upload.url, { method: "POST", body: form });
    await asAdmin("POST", `/api/vault/batches/${batch.batchId}/publish`);
    await until(async () => {
      const state = await asAdmin<{ batch: { status: string } }>(
        "GET",
        `/api/vault/batches/${batch.batchId}`,
      );
      return state.batch.status === "published" ? true : undefined;
    });
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows the company's certificate on « Signature électronique »", async () => {
    const page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url("/login?next=/admin/signature"));
    await submitLogin(page, login);
    await page.waitForURL(/\/admin\/signature$/);
    await page.getByTestId("certificate-subject").waitFor();
    expect(await page.getByTestId("certificate-subject").textContent()).toContain("CN=Intérim Signature");
    await shot(page, "signature-certificate");
    await page.close();
  });

  it("lets the partner sign the contract on a phone, then staff see « Signé »", async () => {
    const announce = await smsTo(partner.mobile, (body) => body.includes("/l/"));
    const token = /\/l\/([A-Za-z0-9_-]{22})/.exec(announce)![1]!;
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "fr-FR",
      acceptDownloads: true,
    });
    const mobile = await phone.newPage();
    await mobile.goto(url(`/l/${token}`));
    await mobile.waitForURL(/\/espace\?document=/);
    const card = mobile.locator(`[data-testid="space-document"][data-id="${documentId}"]`);
    await card.waitFor();
    expect(await card.getByTestId("space-signature-state").textContent()).toBe("À signer");

    await card.getByTestId("space-sign").click();
    const [download] = await Promise.all([
      mobile.waitForEvent("download"),
      card.getByTestId("space-sign-read").click(),
    ]);
    expect(download.suggestedFilename()).toBe("contrat-mission.pdf");
    await card.getByTestId("space-sign-code-request").click();
    await card.getByTestId("space-sign-sent").waitFor();
    const codeSms = await smsTo(partner.mobile, (body) => body.includes("signer") && /\b\d{6}\b/.test(body));
    const code = /\b(\d{6})\b/.exec(codeSms)![1]!;
    await card.getByTestId("space-sign-code").fill(code);
    await card.getByTestId("space-sign-name").fill("Jeanne Mobile");
    // Without the consent ticked, nothing is signed.
    await card.getByTestId("space-sign-submit").click();
    await card.getByTestId("space-sign-message").waitFor();
    await card.getByTestId("space-sign-consent").check();
    // Put right, the message goes at once (not at the next submit).
    await card.getByTestId("space-sign-message").waitFor({ state: "detached" });
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(mobile, "signature-space-mobile");
    await card.getByTestId("space-sign-submit").click();
    await mobile.waitForFunction(
      (id) =>
        document
          .querySelector(`[data-testid="space-document"][data-id="${id}"]`)
          ?.getAttribute("data-signature") === "signed",
      documentId,
    );
    expect(await card.getByTestId("space-signature-state").textContent()).toBe("Signé");
    await phone.close();

    const page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url(`/login?next=/vault/partners/${partner.partnerId}`));
    await submitLogin(page, login);
    const cell = page.getByTestId("document-signature");
    await cell.waitFor();
    expect(await cell.getAttribute("data-state")).toBe("signed");
    expect(await page.getByTestId("document-signed-pdf").getAttribute("href")).toBe(
      `/api/vault/documents/${documentId}/signed`,
    );
    await page.close();
  });
});
