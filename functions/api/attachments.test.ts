import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  browser,
  loggedIn,
  newCompany,
  noQuietHours,
  type TestCompany,
  until,
} from "./testing";

/** Attachments from upload to the recipient: a link at the end of each SMS, real files in email. */
let company: TestCompany;
let admin: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  await noQuietHours(admin);
});

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const mailbox = () => process.env.AWS_ENDPOINT_URL_SESV2!;
const pdf = new TextEncoder().encode("%PDF-1.4\n% planning de la semaine\n%%EOF\n");

async function upload(fileName: string, bytes: Uint8Array, contentType = "application/pdf") {
  const started = await admin.post("/api/campaigns/attachments", {
    fileName,
    contentType,
    size: bytes.length,
  });
  expect(started.status).toBe(201);
  const target = started.body as unknown as {
    attachmentId: string;
    url: string;
    fields: Record<string, string>;
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)]), fileName);
  const posted = await fetch(target.url, { method: "POST", body: form });
  expect(posted.status).toBeLessThan(300);
  return target.attachmentId;
}

const mobile = () => `+33613${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

describe("attachments", () => {
  it("refuses unknown kinds, files over 10 MB and ids that were never uploaded", async () => {
    const exe = await admin.post("/api/campaigns/attachments", {
      fileName: "virus.exe",
      contentType: "application/x-msdownload",
      size: 10,
    });
    expect(exe.status).toBe(400);
    const big = await admin.post("/api/campaigns/attachments", {
      fileName: "big.pdf",
      contentType: "application/pdf",
      size: 11 * 1024 * 1024,
    });
    expect(big.status).toBe(413);
    const registered = await admin.post("/api/campaigns/attachments", {
      fileName: "jamais.pdf",
      contentType: "application/pdf",
      size: 10,
    });
    const created = await admin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Planning joint",
      recipients: { entries: [mobile()] },
      title: "Sans fichier",
      agencyId: company.agencies[0],
      attachmentIds: [(registered.body as { attachmentId: string }).attachmentId],
    });
    expect(created.status).toBe(400);
    expect((created.body.error as { code: string }).code).toBe("attachment.not_found");
  });

  it("refuses a program behind a double extension before any upload", async () => {
    const started = await admin.post("/api/campaigns/attachments", {
      fileName: "facture.pdf.exe",
      contentType: "application/pdf",
      size: 10,
    });
    expect(started.status).toBe(400);
    expect(JSON.stringify(started.body)).toContain("cannot be attached");
  });

  it("refuses and deletes a Windows program uploaded as a PDF, so no campaign can send it", async () => {
    const program = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
    const attachmentId = await upload("facture.pdf", program);
    const campaign = {
      kind: "info",
      smsBody: "Votre facture",
      recipients: { entries: [mobile()] },
      title: "Facture piégée",
      agencyId: company.agencies[0],
      attachmentIds: [attachmentId],
    };

    const refused = await admin.post("/api/campaigns", campaign);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("attachment.content_mismatch");
    expect(JSON.stringify(refused.body)).toContain("does not match its type");
    const again = await admin.post("/api/campaigns", campaign);
    expect(again.body.error?.code).toBe("attachment.not_found");
  });

  it("refuses an image declared as a PDF", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const attachmentId = await upload("scan.pdf", png);
    const refused = await admin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Scan joint",
      recipients: { entries: [mobile()] },
      title: "Scan",
      agencyId: company.agencies[0],
      attachmentIds: [attachmentId],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("attachment.content_mismatch");
  });

  it("does not let another company send this company's files", async () => {
    const attachmentId = await upload("Contrat.pdf", pdf);
    const other = await newCompany("Société Bravo");
    const otherAdmin = await loggedIn(other, other.admin.email);
    const created = await otherAdmin.post("/api/campaigns", {
      kind: "info",
      smsBody: "Votre contrat",
      recipients: { entries: [mobile()] },
      title: "Emprunt",
      agencyId: other.agencies[0],
      attachmentIds: [attachmentId],
    });
    expect(created.status).toBe(400);
    expect((created.body.error as { code: string }).code).toBe("attachment.not_found");
  });

  it("counts the link in the SMS units and sends it; emails carry the file; the link lists it", async () => {
    const attachmentId = await upload("Planning semaine 48.pdf", pdf);
    const to = mobile();
    const email = `cand-${ulid().toLowerCase()}@example.fr`;
    const body = "Bonjour, votre planning de la semaine est joint.";
    const preview = await admin.post("/api/campaigns/preview", {
      kind: "info",
      smsBody: body,
      emailSubject: "Planning",
      emailHtml: "<p>Votre planning est joint.</p>",
      recipients: { entries: [to] },
      attachments: 1,
    });
    const row = (
      preview.body.recipients as Array<{ text: string; sms: { units: number; linkUnits: number } }>
    )[0]!;
    expect(row.text).toMatch(/\n.+\/f\/x{12}$/);

    const title = `Planning ${ulid()}`;
    const created = await admin.post("/api/campaigns", {
      kind: "info",
      smsBody: body,
      emailSubject: "Planning",
      emailHtml: "<p>Votre planning est joint.</p>",
      recipients: { entries: [to, email] },
      title,
      agencyId: company.agencies[0],
      attachmentIds: [attachmentId],
    });
    expect(created.status).toBe(201);
    const campaign = created.body.campaign as { counts: { smsUnits: number }; attachments: unknown[] };
    expect(campaign.counts.smsUnits).toBe(row.sms.units);
    expect(campaign.attachments).toEqual([
      { fileName: "Planning semaine 48.pdf", contentType: "application/pdf", size: pdf.length },
    ]);

    const sent = await until(async () => {
      const answer = await fetch(
        `${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
      );
      const { messages } = (await answer.json()) as { messages: Array<{ body: string }> };
      return messages[0];
    });
    const link = sent.body.split("\n").at(-1)!;
    expect(sent.body.startsWith(body)).toBe(true);
    const code = link.match(/\/f\/([A-Za-z0-9]{12})$/)?.[1];
    expect(code).toBeDefined();

    // The public page's API: no session needed, files with download links that work.
    const stranger = browser();
    const files = await stranger.get(`/api/public/files/${code}`);
    expect(files.status).toBe(200);
    const listed = files.body.files as Array<{ fileName: string; url: string }>;
    expect(listed.map((file) => file.fileName)).toEqual(["Planning semaine 48.pdf"]);
    const downloaded = await fetch(listed[0]!.url);
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(pdf);
    expect((await stranger.get("/api/public/files/AAAAAAAAAAAA")).status).toBe(404);

    const mail = await until(async () => {
      const store = (await (await fetch(`${mailbox()}/store`)).json()) as {
        emails: Array<{
          subject: string;
          to?: string;
          attachments: Array<{ filename: string; size: number }>;
        }>;
      };
      return store.emails.find(
        (entry) => entry.subject === "Planning" && JSON.stringify(entry).includes(email),
      );
    });
    expect(mail.attachments.map((file) => [file.filename, file.size])).toEqual([
      ["Planning semaine 48.pdf", pdf.length],
    ]);
  });
});
