import { PDFDocument, StandardFonts } from "pdf-lib";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { OutboxEntity } from "../../core/event";
import * as Storage from "../../core/platform/storage";
import { pdfsig } from "../../core/signature/pdfsig";
import { selfSignedP12 } from "../../core/signature/self-signed";
import { sealedCopy } from "../../core/vault/sealing";
import { sendReminder } from "../../core/vault/signing-reminders";
import { DocumentEntity, EvidenceEntity } from "../../core/vault/vault.entity";
import {
  type Browser,
  browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/**
 * Electronic signature: the company's certificate, the seal of « signé par l'entreprise » types at
 * publication, and a partner signing a contract in their space (code, consent, name), checked with pdfsig.
 */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const smsEndpoint = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const mobile = () => `+33615${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const system = () => ({ type: "system" as const, companyId: company.companyId, reason: "test" });

async function samplePdf(text: string) {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 16, font: await document.embedFont(StandardFonts.Helvetica) });
  return document.save();
}

async function uploadCertificate(
  client: Browser,
  options: { password?: string; days?: number; from?: Date } = {},
) {
  const p12 = selfSignedP12({
    commonName: "Intérim Test",
    password: "mot-de-passe-p12",
    days: options.days,
    from: options.from,
  });
  return client.request("PUT", "/api/signature/certificate", {
    file: Buffer.from(p12).toString("base64"),
    password: options.password ?? "mot-de-passe-p12",
  });
}

async function newPartner(lastName: string) {
  const created = await admin.post("/api/partners", {
    kind: "person",
    firstName: "Jeanne",
    lastName,
    matricule: `S${ulid().slice(-8)}`,
    mobile: mobile(),
    categoryIds: ["interimaire"],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.partner as { partnerId: string; mobile: string };
}

async function outbound(to: string) {
  const answer = await fetch(
    `${smsEndpoint()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
  );
  return ((await answer.json()) as { messages: Array<{ body: string }> }).messages;
}

/** The newest SMS to `to` matching `pattern`, once it has arrived. */
const smsMatching = (to: string, pattern: RegExp) =>
  until(async () => (await outbound(to)).find((message) => pattern.test(message.body))?.body);

async function publish(typeId: string, partnerId: string, bytes: Uint8Array) {
  const created = await admin.post("/api/vault/batches", {
    typeId,
    agencyId: company.agencies[0],
    files: [{ fileName: "document.pdf", size: bytes.length, partnerId }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const [upload] = created.body.uploads as Array<{
    documentId: string;
    url: string;
    fields: Record<string, string>;
  }>;
  const form = new FormData();
  for (const [name, value] of Object.entries(upload!.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }));
  expect((await fetch(upload!.url, { method: "POST", body: form })).status).toBeLessThan(300);
  const batchId = created.body.batchId as string;
  expect((await admin.post(`/api/vault/batches/${batchId}/publish`)).status).toBe(202);
  await until(async () => {
    const batch = await admin.get(`/api/vault/batches/${batchId}`);
    return (batch.body.batch as { status: string }).status === "published" ? batch : undefined;
  });
  return upload!.documentId;
}

/** The partner opens the link of the SMS announcing their document: signed in to the space. */
async function partnerSpace(partner: { mobile: string }) {
  const text = await smsMatching(partner.mobile, /\/l\//);
  const token = text.match(/\/l\/([A-Za-z0-9_-]{22})/)![1]!;
  const space = browser();
  expect((await space.get(`/l/${token}`)).status).toBe(302);
  return space;
}

async function codeFor(space: Browser, partner: { mobile: string }, documentId: string) {
  const before = (await outbound(partner.mobile)).length;
  const asked = await space.post(`/api/espace/documents/${documentId}/sign/code`);
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  expect(asked.body).toMatchObject({ channel: "sms" });
  expect(asked.body.to).toMatch(/^\+336 •• •• •• \d\d$/);
  const text = await until(async () => {
    const messages = await outbound(partner.mobile);
    return messages.length > before && /signer/.test(messages[0]!.body) ? messages[0]!.body : undefined;
  });
  return text.match(/\b(\d{6})\b/)![1]!;
}

const fileOf = async (response: { status: number; headers: Headers }) => {
  expect(response.status).toBe(302);
  return new Uint8Array(await (await fetch(response.headers.get("location")!)).arrayBuffer());
};

describe("the company's certificate", () => {
  it("is checked, stored without ever returning its password, replaced, removed, and audited", async () => {
    const other = await newCompany();
    const otherAdmin = await loggedIn(other, other.admin.email);
    expect((await otherAdmin.get("/api/signature/certificate")).body).toEqual({ certificate: null });
    const wrong = await uploadCertificate(otherAdmin, { password: "pas-le-bon" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.code).toBe("signature.bad_certificate");
    const expired = await uploadCertificate(otherAdmin, { from: new Date("2020-01-01"), days: 30 });
    expect(expired.status).toBe(400);
    expect(expired.body.error?.code).toBe("signature.expired");
    const notP12 = await otherAdmin.request("PUT", "/api/signature/certificate", {
      file: Buffer.from("pas un certificat").toString("base64"),
      password: "x",
    });
    expect(notP12.status).toBe(400);

    const stored = await uploadCertificate(otherAdmin);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    const certificate = stored.body.certificate as Record<string, string>;
    expect(certificate.subject).toContain("CN=Intérim Test");
    expect(certificate.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const read = await otherAdmin.get("/api/signature/certificate");
    expect(read.body.certificate).toEqual(certificate);
    expect(JSON.stringify(read.body)).not.toContain("mot-de-passe-p12");

    const replaced = await uploadCertificate(otherAdmin);
    expect((replaced.body.certificate as Record<string, string>).fingerprint).not.toBe(
      certificate.fingerprint,
    );
    expect((await otherAdmin.delete("/api/signature/certificate")).status).toBe(204);
    expect((await otherAdmin.get("/api/signature/certificate")).body).toEqual({ certificate: null });
    expect((await otherAdmin.delete("/api/signature/certificate")).status).toBe(404);

    const audit = await otherAdmin.get("/api/audit");
    const types = (audit.body.items as Array<{ type: string }>).map((entry) => entry.type);
    expect(types.filter((type) => type === "signature.certificate_uploaded")).toHaveLength(2);
    expect(types).toContain("signature.certificate_removed");
  });

  it("must exist before a type is « signé par l'entreprise »", async () => {
    const other = await newCompany();
    const otherAdmin = await loggedIn(other, other.admin.email);
    const refused = await otherAdmin.patch("/api/vault/types/fiche-information", { companySeal: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("signature.no_certificate");
  });
});

describe("« signé par l'entreprise »", () => {
  it("seals the type's PDFs once at publication: the partner downloads a copy pdfsig says is valid", async () => {
    expect((await uploadCertificate(admin)).status).toBe(200);
    const set = await admin.patch("/api/vault/types/fiche-information", { companySeal: true });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.type).toMatchObject({ companySeal: true });
    const partner = await newPartner("Scellé");
    const original = await samplePdf("Comment lire votre bulletin de paie");
    const documentId = await publish("fiche-information", partner.partnerId, original);

    const space = await partnerSpace(partner);
    const sealed = await fileOf(await space.get(`/api/espace/documents/${documentId}/file`));
    const report = await pdfsig(sealed);
    expect(report.signatures).toBe(1);
    expect(report.valid).toBe(true);
    const staff = await admin.get(`/api/partners/${partner.partnerId}`);
    expect((staff.body.documents as Array<{ sealed: boolean }>)[0]!.sealed).toBe(true);

    // A redelivered publication finds the sealed copy and never seals it again.
    const { data: doc } = await DocumentEntity.get({ companyId: company.companyId, documentId }).go();
    const again = await withActor(system(), () => sealedCopy({ ...doc!, sealedObjectKey: undefined }));
    expect(again).toEqual({ key: doc!.sealedObjectKey });
    const still = await fileOf(await space.get(`/api/espace/documents/${documentId}/file`));
    expect(still).toEqual(sealed);
  });
});

describe("a partner's signature", () => {
  let partner: { partnerId: string; mobile: string };
  let space: Browser;
  let documentId: string;
  beforeAll(async () => {
    if ((await admin.get("/api/signature/certificate")).body.certificate === null)
      expect((await uploadCertificate(admin)).status).toBe(200);
    partner = await newPartner("Signataire");
    documentId = await publish(
      "contrat-de-mission",
      partner.partnerId,
      await samplePdf("Contrat de mission"),
    );
    space = await partnerSpace(partner);
  });

  it("shows « À signer » with its deadline to the partner and to staff", async () => {
    const dashboard = await space.get("/api/espace");
    const doc = (dashboard.body.documents as Array<Record<string, unknown>>)[0]!;
    expect(doc).toMatchObject({ documentId, mustSign: true, signature: { state: "to_sign" } });
    const deadline = Date.parse((doc.signature as { deadline: string }).deadline);
    expect(deadline - Date.now()).toBeGreaterThan(13 * 86_400_000);
    const staff = await admin.get(`/api/partners/${partner.partnerId}`);
    expect((staff.body.documents as Array<Record<string, unknown>>)[0]).toMatchObject({
      signature: { state: "to_sign", remindersSent: 0 },
    });
  });

  it("counts 5 wrong codes, then needs a new one", async () => {
    const code = await codeFor(space, partner, documentId);
    const wrong = code === "000000" ? "111111" : "000000";
    const attempt = (typed: string) =>
      space.post(`/api/espace/documents/${documentId}/sign`, {
        code: typed,
        consent: true,
        typedName: "Jeanne",
      });
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => attempt(wrong)));
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(answers.filter((answer) => answer.body.error?.code === "signature.code_wrong")).toHaveLength(5);
    const late = await attempt(code);
    expect(late.status).toBe(401);
    expect(late.body.error?.code).toBe("signature.code_expired");
  });

  it("refuses a signature without consent, or with neither a name nor a drawing", async () => {
    const code = await codeFor(space, partner, documentId);
    const noConsent = await space.post(`/api/espace/documents/${documentId}/sign`, {
      code,
      consent: false,
      typedName: "Jeanne Signataire",
    });
    expect(noConsent.status).toBe(400);
    const nothing = await space.post(`/api/espace/documents/${documentId}/sign`, { code, consent: true });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error?.code).toBe("signature.method");
  });

  it("keeps another partner's document « not found »", async () => {
    const stranger = await newPartner("Autre");
    await publish("bulletin-de-paie", stranger.partnerId, await samplePdf("Bulletin"));
    const strangerSpace = await partnerSpace(stranger);
    expect((await strangerSpace.post(`/api/espace/documents/${documentId}/sign/code`)).status).toBe(404);
    const forged = await strangerSpace.post(`/api/espace/documents/${documentId}/sign`, {
      code: "123456",
      consent: true,
      typedName: "Intrus",
    });
    expect(forged.status).toBe(404);
  });

  it("signs once, even submitted twice: a sealed PDF with its evidence page, « Signé », one event", async () => {
    const code = await codeFor(space, partner, documentId);
    const submit = () =>
      space.post(`/api/espace/documents/${documentId}/sign`, {
        code,
        consent: true,
        typedName: "Jeanne Signataire",
      });
    const answers = await Promise.all([submit(), submit()]);
    const signed = answers.filter((answer) => answer.status === 200);
    expect(signed.length).toBeGreaterThanOrEqual(1);
    for (const answer of answers.filter((answer) => answer.status !== 200))
      expect(answer.body.error?.code).toBe("signature.code_expired");
    expect(new Set(signed.map((answer) => answer.body.signedAt)).size).toBe(1);
    const retried = await submit();
    expect(retried.status).toBe(200);
    expect(retried.body.signedAt).toBe(signed[0]!.body.signedAt);

    const events = await OutboxEntity.query.byCompany({ companyId: company.companyId }).go({ pages: "all" });
    const signedEvents = events.data.filter((event) => event.name === "document.signed");
    expect(signedEvents).toHaveLength(1);
    expect(signedEvents[0]!.payload).toMatchObject({ documentId, partnerId: partner.partnerId });
    const { data: evidence } = await EvidenceEntity.get({ companyId: company.companyId, documentId }).go();
    expect(evidence).toMatchObject({ typedName: "Jeanne Signataire", channel: "sms", method: "typed" });
    // The partner's access history shows the signature, once.
    const history = await admin.get(`/api/partners/${partner.partnerId}/history`);
    const signatures = (history.body.items as Array<{ action: string; documentId?: string }>).filter(
      (entry) => entry.action === "signed",
    );
    expect(signatures).toEqual([expect.objectContaining({ documentId, via: "space" })]);

    const dashboard = await space.get("/api/espace");
    expect((dashboard.body.documents as Array<Record<string, unknown>>)[0]).toMatchObject({
      signature: { state: "signed" },
    });
    // The partner downloads the signed copy: original page + evidence page, sealed.
    const mine = await fileOf(await space.get(`/api/espace/documents/${documentId}/file`));
    expect((await PDFDocument.load(mine)).getPageCount()).toBe(2);
    expect((await pdfsig(mine)).valid).toBe(true);
    expect((await space.post(`/api/espace/documents/${documentId}/sign/code`)).status).toBe(409);

    // Staff: « Signé », the signed PDF (pdfsig: valid; one byte changed: invalid) and the evidence.
    const staff = await admin.get(`/api/partners/${partner.partnerId}`);
    expect((staff.body.documents as Array<Record<string, unknown>>)[0]).toMatchObject({
      signature: { state: "signed" },
    });
    const pdf = await fileOf(await admin.get(`/api/vault/documents/${documentId}/signed`));
    const report = await pdfsig(pdf);
    expect(report.signatures).toBe(1);
    expect(report.valid).toBe(true);
    const tampered = Buffer.from(pdf);
    // Inside the first page's content stream: the file still parses, its digest no longer matches.
    const at = tampered.indexOf("stream\n") + 12;
    expect(at).toBeGreaterThan(12);
    tampered[at] = tampered[at]! ^ 0x01;
    expect((await pdfsig(tampered)).valid).toBe(false);

    const proof = await admin.get(`/api/vault/documents/${documentId}/evidence`);
    expect(proof.status).toBe(200);
    expect(proof.headers.get("content-disposition")).toMatch(/^attachment; filename="preuve-/);
    expect(proof.body).toMatchObject({
      documentId,
      signerName: "Jeanne Signataire",
      method: "typed",
      consent: "Je reconnais avoir lu le document et j'accepte de le signer électroniquement.",
      code: { channel: "sms" },
    });
    expect(proof.body.originalSha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = await admin.get("/api/audit");
    const types = (audit.body.items as Array<{ type: string }>).map((entry) => entry.type);
    expect(types).toContain("signature.signed_downloaded");
    expect(types).toContain("signature.evidence_downloaded");

    // Signed: a reminder due now sends nothing.
    const outcome = await withActor(system(), () =>
      sendReminder({ kind: "vault.sign_reminder", companyId: company.companyId, documentId, number: 1 }),
    );
    expect(outcome.outcome).toBe("skipped");

    // At the end of the type's retention the signed copy goes with the upload (the evidence record stays).
    const { data: doc } = await DocumentEntity.get({ companyId: company.companyId, documentId }).go();
    expect(doc?.signedObjectKey).toBeTruthy();
    const { applyRetention } = await import("../../core/vault/retention");
    await applyRetention(new Date(Date.parse(doc!.deleteAfter!) + 86_400_000));
    await expect(Storage.size("vault", doc!.signedObjectKey!)).rejects.toSatisfy(Storage.isMissing);
    await expect(Storage.size("vault", doc!.objectKey)).rejects.toSatisfy(Storage.isMissing);
  });
});

describe("a drawn signature", () => {
  it("is refused unless a PNG, then drawn on the evidence page of a valid sealed PDF", async () => {
    if ((await admin.get("/api/signature/certificate")).body.certificate === null)
      expect((await uploadCertificate(admin)).status).toBe(200);
    const partner = await newPartner("Dessin");
    const documentId = await publish("contrat-de-mission", partner.partnerId, await samplePdf("Contrat"));
    const space = await partnerSpace(partner);
    const code = await codeFor(space, partner, documentId);
    const notPng = await space.post(`/api/espace/documents/${documentId}/sign`, {
      code,
      consent: true,
      drawing: Buffer.from("GIF89a pas une image").toString("base64"),
    });
    expect(notPng.status).toBe(400);
    expect(notPng.body.error?.code).toBe("signature.drawing_invalid");
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    const signed = await space.post(`/api/espace/documents/${documentId}/sign`, {
      code,
      consent: true,
      drawing: png,
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const proof = await admin.get(`/api/vault/documents/${documentId}/evidence`);
    expect(proof.body).toMatchObject({ method: "drawn", drawingPng: png, signerName: "Jeanne Dessin" });
    const pdf = await fileOf(await admin.get(`/api/vault/documents/${documentId}/signed`));
    expect((await pdfsig(pdf)).valid).toBe(true);
  });
});

describe("deadline and reminders", () => {
  it("reminds once per number, then after the deadline shows « Expiré » and refuses to sign", async () => {
    const partner = await newPartner("Relancé");
    const documentId = await publish("contrat-de-mission", partner.partnerId, await samplePdf("Contrat"));
    const job = { kind: "vault.sign_reminder" as const, companyId: company.companyId, documentId, number: 1 };
    const first = await withActor(system(), () => sendReminder(job));
    expect(first.outcome).toBe("reminded");
    await withActor(system(), () => sendReminder(job));
    const reminders = await until(async () => {
      const found = (await outbound(partner.mobile)).filter((message) =>
        /attend votre signature/.test(message.body),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(reminders).toHaveLength(1);
    const staff = await admin.get(`/api/partners/${partner.partnerId}`);
    expect((staff.body.documents as Array<Record<string, unknown>>)[0]).toMatchObject({
      signature: { state: "to_sign", remindersSent: 1 },
    });

    await DocumentEntity.patch({ companyId: company.companyId, documentId })
      .set({ signDeadline: new Date(Date.now() - 60_000).toISOString() })
      .go();
    const expired = await withActor(system(), () => sendReminder({ ...job, number: 2 }));
    expect(expired.outcome).toBe("expired");
    const space = await partnerSpace(partner);
    expect((await space.get("/api/espace")).body.documents).toMatchObject([
      { signature: { state: "expired" } },
    ]);
    const refused = await space.post(`/api/espace/documents/${documentId}/sign/code`);
    expect(refused.status).toBe(410);
    expect(refused.body.error?.code).toBe("signature.expired");
    const late = await space.post(`/api/espace/documents/${documentId}/sign`, {
      code: "123456",
      consent: true,
      typedName: "Trop tard",
    });
    expect(late.status).toBe(410);
    const after = await admin.get(`/api/partners/${partner.partnerId}`);
    expect((after.body.documents as Array<Record<string, unknown>>)[0]).toMatchObject({
      signature: { state: "expired" },
    });
  });
});
