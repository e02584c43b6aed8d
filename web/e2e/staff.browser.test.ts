import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
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

skipNotice("web/e2e/staff.browser.test.ts");

/**
 * An employee's space on a phone-sized screen (390 px): an announcement read from Messages, a
 * multiple-choice survey answered from Sondages, the company's contact with tap-to-call.
 */
describe.skipIf(!consoleUrl)("the employee space in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let phone: Page;
  let company: TestCompany;
  let asAdmin: Awaited<ReturnType<typeof apiSession>>;
  let surveyId: string;

  beforeAll(async () => {
    company = await newCompany("Intérim Salariés");
    asAdmin = await apiSession({ companyCode: company.code, email: company.admin.email, password: PASSWORD });
    const { partner } = await asAdmin<{ partner: { partnerId: string } }>("POST", "/api/partners", {
      firstName: "Inès",
      lastName: "Salariée",
      mobile: freshMobile(),
      categoryIds: ["salarie-structure"],
    });
    await asAdmin("PUT", "/api/staff/settings", {
      phone: "04 72 00 00 00",
      email: "rh@example.fr",
      hours: "N'hésitez pas à nous contacter\nde 9h00 à 12h00",
    });
    const { group } = await asAdmin<{ group: { groupId: string } }>("POST", "/api/staff/groups", {
      name: "Atelier",
    });
    await asAdmin("POST", `/api/staff/groups/${group.groupId}/members`, { partnerIds: [partner.partnerId] });
    const endsAt = new Date(Date.now() + 86_400_000).toISOString();
    await asAdmin("POST", "/api/staff/announcements", {
      type: "message",
      titleFr: "Fermeture du dépôt vendredi",
      titleEn: "Depot closed on Friday",
      description: "Le dépôt ferme à 14h00 vendredi.",
      link: "www.exemple.fr/infos",
      groupIds: [group.groupId],
      endsAt,
    });
    const survey = await asAdmin<{ survey: { surveyId: string } }>("POST", "/api/staff/surveys", {
      question: "Quel jour pour le repas ?",
      type: "choice",
      choices: ["Jeudi", "Vendredi"],
      multiple: true,
      groupIds: [group.groupId],
      endsAt,
    });
    surveyId = survey.survey.surveyId;
    const link = await asAdmin<{ url: string }>("POST", `/api/partners/${partner.partnerId}/links`, {});
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR" });
    phone = await context.newPage();
    await phone.goto(url(new URL(link.url).pathname));
    await phone.getByTestId("space-employee").waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("reads an announcement from Messages, which then counts as opened", async () => {
    const item = phone.getByTestId("space-announcement").first();
    expect(await item.getAttribute("data-read")).toBe("false");
    expect(await phone.getByTestId("space-tab-messages").textContent()).toContain("1");
    await item.getByRole("button").click();
    const body = phone.getByTestId("space-announcement-body");
    await body.waitFor();
    expect(await body.textContent()).toContain("Le dépôt ferme à 14h00 vendredi.");
    expect(await body.getByRole("link").getAttribute("href")).toBe("https://www.exemple.fr/infos");
    await expect.poll(() => item.getAttribute("data-read")).toBe("true");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, "employee-space-message");
    const { items } = await asAdmin<{ items: Array<{ opened: number }> }>("GET", "/api/staff/announcements");
    expect(items[0]!.opened).toBe(1);
  });

  it("answers a multiple-choice survey, and the report counts it", async () => {
    await phone.getByTestId("space-tab-surveys").click();
    const card = phone.getByTestId("space-survey");
    await card.waitFor();
    await card.getByLabel("Jeudi").check();
    await card.getByLabel("Vendredi").check();
    await card.getByTestId("space-survey-submit").click();
    await phone.getByTestId("space-survey-answered").waitFor();
    expect(await card.getByTestId("space-survey-submit").textContent()).toBe("Modifier ma réponse");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, "employee-space-survey");
    const report = await asAdmin<{ answered: number; counts: Array<{ label: string; count: number }> }>(
      "GET",
      `/api/staff/surveys/${surveyId}/report`,
    );
    expect(report.answered).toBe(1);
    expect(report.counts).toEqual([
      { key: "c1", label: "Jeudi", count: 1 },
      { key: "c2", label: "Vendredi", count: 1 },
    ]);
  });

  it("shows the company's contact with tap-to-call and tap-to-mail", async () => {
    await phone.getByTestId("space-tab-contact").click();
    const contact = phone.getByTestId("space-contact");
    await contact.waitFor();
    expect(await contact.textContent()).toContain("de 9h00 à 12h00");
    expect(await phone.getByTestId("space-call").getAttribute("href")).toBe("tel:0472000000");
    expect(await phone.getByTestId("space-mail").getAttribute("href")).toBe("mailto:rh@example.fr");
  });
});

describe.skipIf(!consoleUrl)("Gestion des sondages in Chromium (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const company = await newCompany("Intérim Sondages");
    const asAdmin = await apiSession({
      companyCode: company.code,
      email: company.admin.email,
      password: PASSWORD,
    });
    await asAdmin("POST", "/api/partners", {
      lastName: "Mobile",
      mobile: freshMobile(),
      categoryIds: ["salarie-structure"],
    });
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    page.setDefaultTimeout(15_000);
    await page.goto(url("/login?next=/staff/surveys"));
    await submitLogin(page, { companyCode: company.code, email: company.admin.email, password: PASSWORD });
    await page.waitForURL(/\/staff\/surveys$/);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("creates a Oui/Non survey asked by SMS too; anonymity rules the SMS out", async () => {
    await page.getByTestId("survey-question").fill("Navette samedi ?");
    const bySms = page.getByTestId("survey-by-sms");
    await bySms.check();
    await page.getByLabel(/Réponses anonymes/).check();
    expect(await bySms.isDisabled()).toBe(true);
    expect(await page.getByTestId("survey-form").textContent()).toContain(
      "Réponse par SMS impossible pour un sondage anonyme",
    );
    await page.getByLabel(/Réponses anonymes/).uncheck();
    expect(await bySms.isChecked()).toBe(true);
    // The window: the start empty (at once), the end required and a week ahead.
    const start = page.getByLabel("Début", { exact: true });
    const end = page.getByLabel("Fin", { exact: true });
    expect([await start.inputValue(), await start.getAttribute("required")]).toEqual(["", null]);
    expect(await end.getAttribute("required")).toBe("");
    expect(Date.parse(await end.inputValue()) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    await page.getByTestId("survey-create").click();
    await page.getByTestId("survey-row").first().getByRole("link").click();
    const bySmsLine = page.getByTestId("report-by-sms");
    await bySmsLine.waitFor();
    await expect
      .poll(async () => {
        await page.getByRole("button", { name: "Actualiser" }).click();
        return bySmsLine.textContent();
      })
      .toContain("Posé par SMS à 1 salarié(s), dont 0 ont répondu par SMS");
    expect(await bySmsLine.getByRole("link").getAttribute("href")).toMatch(/\/campaigns\/\w+-sondage$/);
    await shot(page, "survey-report-sms");
  });
});

/** A group's page on a laptop screen: a small Excel file imported through the file picker. */
describe.skipIf(!consoleUrl)("a group's Excel import in the console (needs LOCAL_URL)", () => {
  let browser: Browser;
  let page: Page;
  let groupId: string;
  let employeeMobile: string;
  let clientMobile: string;

  beforeAll(async () => {
    const company = await newCompany("Intérim Groupes");
    const login = { companyCode: company.code, email: company.admin.email, password: PASSWORD };
    const asAdmin = await apiSession(login);
    employeeMobile = freshMobile();
    clientMobile = freshMobile();
    await asAdmin("POST", "/api/partners", {
      lastName: "Importée",
      mobile: employeeMobile,
      categoryIds: ["salarie-structure"],
    });
    await asAdmin("POST", "/api/partners", {
      lastName: "Client",
      mobile: clientMobile,
      categoryIds: ["client"],
    });
    const { group } = await asAdmin<{ group: { groupId: string } }>("POST", "/api/staff/groups", {
      name: "Entrepôt",
    });
    groupId = group.groupId;
    browser = await launch();
    page = await browser.newPage({ viewport, locale: "fr-FR" });
    await page.goto(url(`/login?next=/staff/groups/${groupId}`));
    await submitLogin(page, login);
    await page.waitForURL((address) => address.pathname === `/staff/groups/${groupId}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("imports a small .xlsx and shows who was added and the unknown lines by number", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Salariés");
    sheet.addRow(["Nom", "Téléphone"]);
    sheet.addRow(["Importée", `0${employeeMobile.slice(3)}`]);
    sheet.addRow(["Client", clientMobile]);
    sheet.addRow(["Personne", "06 00 00 00 03"]);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    await page.getByTestId("staff-group-file-input").setInputFiles({
      name: "entrepot.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer,
    });
    await page.getByTestId("staff-group-file-send").click();
    const report = page.getByTestId("staff-group-file-report");
    await report.waitFor();
    expect(await page.getByTestId("staff-group-file-added").textContent()).toBe(
      "1 salarié(s) ajouté(s) au groupe.",
    );
    expect(await page.getByTestId("staff-group-file-unknown").textContent()).toContain(
      "Ligne 4 : 06 00 00 00 03",
    );
    expect(await page.getByTestId("staff-group-file-not-employees").textContent()).toContain(
      `Ligne 3 : ${clientMobile}`,
    );
    await expect.poll(() => page.getByTestId("staff-member-row").count()).toBe(1);
    expect(await page.getByTestId("staff-group-title").textContent()).toBe("Entrepôt");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
    await shot(page, "staff-group-import");
  });
});
