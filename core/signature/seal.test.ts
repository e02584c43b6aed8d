import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { withActor } from "../actor";
import { newCompany } from "../test-helpers";
import * as Certificate from "./certificate";
import { pdfsig } from "./pdfsig";
import { hasCertificate, sealPdf } from "./seal";
import { selfSignedP12 } from "./self-signed";

async function samplePdf(text = "Fiche d'information") {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 18, font: await document.embedFont(StandardFonts.Helvetica) });
  return document.save();
}

async function companyWithCertificate() {
  const company = await newCompany();
  const admin = {
    type: "user" as const,
    companyId: company.companyId,
    userId: company.admin.userId,
    role: "admin" as const,
    agencyIds: company.agencies,
    name: "Alice Admin",
  };
  const p12 = selfSignedP12({ commonName: "Intérim Test", password: "secret-p12" });
  await withActor(admin, () => Certificate.upload({ p12, password: "secret-p12" }));
  return { company, admin };
}

describe("sealPdf", () => {
  it("seals a PDF that pdfsig reports as validly signed", async () => {
    const { admin } = await companyWithCertificate();
    const sealed = await withActor(admin, async () =>
      sealPdf({ pdf: await samplePdf(), reason: "Document de l'entreprise", location: "Lyon" }),
    );
    const report = await pdfsig(sealed);
    expect(report.signatures).toBe(1);
    expect(report.valid).toBe(true);
    expect(report.subFilters).toEqual(["ETSI.CAdES.detached"]);
    // The signer's accented name reaches the reader intact (UTF8String, decoded before re-encoding).
    expect(report.output).toContain("Signer Certificate Common Name: Intérim Test");
  });

  it("is reported invalid once one byte inside the signed range changes", async () => {
    const { admin } = await companyWithCertificate();
    const sealed = await withActor(admin, async () => sealPdf({ pdf: await samplePdf(), reason: "Test" }));
    const text = Buffer.from(sealed).toString("latin1");
    const [, , , secondStart] = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text)!.map(Number);
    const tampered = Buffer.from(sealed);
    // Inside the page's content stream: the file still parses, its digest no longer matches.
    const at = text.indexOf("stream\n") + 12;
    expect(at).toBeLessThan(secondStart!);
    tampered[at] = tampered[at]! ^ 0x01;
    const report = await pdfsig(tampered);
    expect(report.signatures).toBe(1);
    expect(report.valid).toBe(false);
  });

  it("refuses a company without a certificate with 409", async () => {
    const company = await newCompany();
    const actor = { type: "system" as const, companyId: company.companyId, reason: "test" };
    await withActor(actor, async () => {
      expect(await hasCertificate()).toBe(false);
      await expect(sealPdf({ pdf: await samplePdf(), reason: "Test" })).rejects.toMatchObject({
        code: "signature.no_certificate",
        status: 409,
      });
    });
  });
});
