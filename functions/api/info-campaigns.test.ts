import ExcelJS from "exceljs";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  type Browser,
  browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/**
 * « Campagnes d'information » through the API: the wizard's steps, the launch, and a payslip published
 * to a targeted partner bringing the campaign's sheet with it (through the real event pipeline).
 */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

async function pdf(text: string) {
  const document = await PDFDocument.create();
  document.addPage([595, 842]).drawText(text, {
    x: 50,
    y: 780,
    size: 14,
    font: await document.embedFont(StandardFonts.Helvetica),
  });
  return document.save();
}

async function post(
  target: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  type: string,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }));
  return fetch(target.url, { method: "POST", body: form });
}

const mobile = () => `+33616${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

async function newPartner(categoryIds: string[]) {
  const created = await admin.post("/api/partners", {
    firstName: "Paul",
    lastName: `Campagne${ulid().slice(-5)}`,
    mobile: mobile(),
    categoryIds,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.partner as { partnerId: string };
}

describe("information campaigns API", () => {
  it("validates each step, launches, and adds the sheet to a targeted partner's payslip", async () => {
    const badDates = await admin.post("/api/info-campaigns", {
      title: "Dates à l'envers",
      startAt: "2026-12-10T09:00:00.000Z",
      endAt: "2026-12-09T09:00:00.000Z",
    });
    expect(badDates.status).toBe(400);
    const created = await admin.post("/api/info-campaigns", {
      title: "Comment lire votre bulletin de paie",
      startAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
    const steps = `/api/info-campaigns/${campaignId}/steps`;
    expect(
      (await admin.request("PUT", steps, { step: "trigger", trigger: { trigger: "document_type" } })).status,
    ).toBe(200);
    const noType = await admin.request("PUT", steps, {
      step: "population",
      population: { categoryIds: ["interimaire"] },
    });
    expect(noType.status).toBe(400);
    const population = await admin.request("PUT", steps, {
      step: "population",
      population: { triggerTypeId: "bulletin-de-paie", categoryIds: ["interimaire", "salarie-structure"] },
    });
    expect(population.status, JSON.stringify(population.body)).toBe(200);
    // Not a PDF: refused at the presign (by name) and at the step (by content).
    expect(
      (await admin.post(`/api/info-campaigns/${campaignId}/files`, { fileName: "x.exe", size: 10 })).status,
    ).toBe(400);
    const target = await admin.post(`/api/info-campaigns/${campaignId}/files`, {
      fileName: "fiche.pdf",
      size: 3000,
    });
    expect(target.status).toBe(201);
    const fileId = target.body.fileId as string;
    expect((await post(target.body as never, await pdf("Fiche"), "application/pdf")).status).toBeLessThan(
      300,
    );
    const sealNoCertificate = await admin.request("PUT", steps, {
      step: "documents",
      documents: {
        documents: [{ fileId, name: "Lire son bulletin", typeId: "fiche-information", seal: true }],
      },
    });
    expect(sealNoCertificate.status).toBe(409);
    expect(sealNoCertificate.body.error?.code).toBe("signature.no_certificate");
    const documents = await admin.request("PUT", steps, {
      step: "documents",
      documents: {
        documents: [{ fileId, name: "Lire son bulletin", typeId: "fiche-information", seal: false }],
      },
    });
    expect(documents.status, JSON.stringify(documents.body)).toBe(200);
    const logo = await admin.post(`/api/info-campaigns/${campaignId}/logo`, {
      fileName: "logo.png",
      size: 68,
    });
    expect(logo.status).toBe(201);
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
      "base64",
    );
    expect((await post(logo.body as never, png, "image/png")).status).toBeLessThan(300);
    const content = await admin.request("PUT", steps, {
      step: "content",
      content: { messageFr: "Voici comment lire votre bulletin.", logo: true },
    });
    expect(content.status, JSON.stringify(content.body)).toBe(200);
    const launched = await admin.post(`/api/info-campaigns/${campaignId}/launch`);
    expect(launched.status, JSON.stringify(launched.body)).toBe(200);
    expect(launched.body.campaign).toMatchObject({ status: "active", hasLogo: true });
    // Launched: the draft is frozen.
    expect(
      (await admin.request("PUT", steps, { step: "trigger", trigger: { trigger: "recipient_type" } })).status,
    ).toBe(409);
    expect((await admin.get(`/api/info-campaigns/${campaignId}/logo`)).headers.get("content-type")).toBe(
      "image/png",
    );

    const partner = await newPartner(["interimaire"]);
    const payslip = await pdf("Bulletin");
    const batch = await admin.post("/api/vault/batches", {
      typeId: "bulletin-de-paie",
      agencyId: company.agencies[0],
      files: [{ fileName: "bulletin.pdf", size: payslip.length, partnerId: partner.partnerId }],
    });
    expect(batch.status).toBe(201);
    const [upload] = batch.body.uploads as Array<{ url: string; fields: Record<string, string> }>;
    expect((await post(upload!, payslip, "application/pdf")).status).toBeLessThan(300);
    expect((await admin.post(`/api/vault/batches/${batch.body.batchId as string}/publish`)).status).toBe(202);
    const documentsOfPartner = await until(async () => {
      const seen = await admin.get(`/api/partners/${partner.partnerId}`);
      const docs = seen.body.documents as Array<{ typeId: string; fileName: string }>;
      return docs.some((doc) => doc.typeId === "fiche-information") ? docs : undefined;
    }, 30_000);
    expect(documentsOfPartner.map((doc) => doc.fileName).sort()).toEqual([
      "Lire son bulletin.pdf",
      "bulletin.pdf",
    ]);
    const listed = await admin.get("/api/info-campaigns");
    expect(
      (listed.body.items as Array<{ campaignId: string; reached: number }>).find(
        (row) => row.campaignId === campaignId,
      )?.reached,
    ).toBe(1);

    const exported = await admin.get(`/api/info-campaigns/${campaignId}/partners.xlsx`);
    expect(exported.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.raw);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(String(sheet.getRow(2).getCell(1).value)).toContain("Paul");
    const audit = await admin.get("/api/audit?type=info_campaign.exported");
    expect(JSON.stringify(audit.body)).toContain(campaignId);

    const closed = await admin.post(`/api/info-campaigns/${campaignId}/close`);
    expect(closed.body.campaign).toMatchObject({ status: "closed" });
    const deleted = await admin.delete(`/api/info-campaigns/${campaignId}`);
    expect(deleted.status).toBe(200);
    expect((await admin.get(`/api/info-campaigns/${campaignId}`)).status).toBe(404);
  });

  it("is for Admins and Managers only", async () => {
    const user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
    expect((await user.get("/api/info-campaigns")).status).toBe(403);
    const created = await user.post("/api/info-campaigns", { title: "X", startAt: new Date().toISOString() });
    expect(created.status).toBe(403);
    expect((await browser().get("/api/info-campaigns")).status).toBe(401);
  });
});
