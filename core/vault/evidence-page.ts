import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";

export type EvidenceFacts = {
  evidenceId: string;
  signerName: string;
  method: "typed" | "drawn";
  typedName?: string;
  drawing?: Uint8Array;
  consent: string;
  signedAt: Date;
  ip?: string;
  userAgent?: string;
  channel: "sms" | "email";
  maskedAddress: string;
  originalSha256: string;
  fileName: string;
  typeName: string;
  companyName: string;
};

/** Helvetica writes WinAnsi only: anything else (an emoji in a user agent) becomes « ? ». */
const printable = (text: string) => text.normalize("NFC").replace(/[^\x20-\x7E\xA0-\xFF•€œŒ’‘“”–—…]/g, "?");

const paris = (date: Date) =>
  new Intl.DateTimeFormat("fr-FR", {
    timeZone: "Europe/Paris",
    dateStyle: "short",
    timeStyle: "medium",
  }).format(date);

function wrap(text: string, font: PDFFont, size: number, width: number) {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/(\s+)/)) {
    const next = line + word;
    if (font.widthOfTextAtSize(next, size) <= width || line === "") {
      line = next;
      // A word longer than the line (a hash, a user agent without spaces) is cut.
      while (font.widthOfTextAtSize(line, size) > width) {
        let cut = line.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    } else {
      lines.push(line.trimEnd());
      line = word.trimStart();
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/**
 * The signed document before its seal: the original's pages (or its image on a page) and one evidence
 * page saying who signed, when, from where, how the code reached them and what exactly they read.
 */
export async function withEvidencePage(
  original: Uint8Array,
  contentType: string,
  facts: EvidenceFacts,
): Promise<Uint8Array> {
  const document =
    contentType === "application/pdf"
      ? await PDFDocument.load(original)
      : await imageDocument(original, contentType);
  const page = document.addPage([595.28, 841.89]);
  const regular = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  const margin = 50;
  const width = page.getWidth() - 2 * margin;
  let y = page.getHeight() - margin;
  const write = (text: string, options: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const size = options.size ?? 10;
    const font = options.font ?? regular;
    for (const line of wrap(printable(text), font, size, width)) {
      y -= size + 4;
      page.drawText(line, { x: margin, y, size, font, color: rgb(0.12, 0.16, 0.22) });
    }
    y -= options.gap ?? 4;
  };
  write("Preuve de signature électronique / Electronic signature evidence", {
    font: bold,
    size: 15,
    gap: 12,
  });
  const field = (label: string, value: string) => {
    write(label, { font: bold, size: 9, gap: 0 });
    write(value, { gap: 6 });
  };
  field("Document", `${facts.typeName} — ${facts.fileName} (${facts.companyName})`);
  field("Signataire / Signer", facts.signerName);
  field(
    "Date et heure / Date and time",
    `${paris(facts.signedAt)} (Europe/Paris) — ${facts.signedAt.toISOString()} (UTC)`,
  );
  field("Adresse IP / IP address", facts.ip ?? "—");
  field("Navigateur / User agent", facts.userAgent ?? "—");
  field("SHA-256 du document original / of the original document", facts.originalSha256);
  field(
    "Code à usage unique / One-time code",
    `${facts.channel === "sms" ? "SMS" : "Email"} — ${facts.maskedAddress}`,
  );
  field("Consentement / Consent", `« ${facts.consent} »`);
  field("Identifiant de preuve / Evidence id", facts.evidenceId);
  field(
    "Signature",
    facts.method === "typed" ? `${facts.typedName ?? ""} (saisie / typed)` : "Tracée / Drawn:",
  );
  if (facts.drawing) {
    const image = await document.embedPng(facts.drawing);
    const scale = Math.min(1, 240 / image.width, 90 / image.height);
    const height = image.height * scale;
    drawBox(page, margin, y - height - 8, image.width * scale + 8, height + 8);
    page.drawImage(image, { x: margin + 4, y: y - height - 4, width: image.width * scale, height });
    y -= height + 16;
  }
  write(
    "Ce document est scellé avec le certificat de l'entreprise : toute modification après la signature invalide le sceau. / This document is sealed with the company's certificate: any change after signing breaks the seal.",
    { size: 8 },
  );
  return document.save({ useObjectStreams: false });
}

function drawBox(page: PDFPage, x: number, y: number, width: number, height: number) {
  page.drawRectangle({ x, y, width, height, borderColor: rgb(0.8, 0.82, 0.86), borderWidth: 0.75 });
}

async function imageDocument(bytes: Uint8Array, contentType: string) {
  const document = await PDFDocument.create();
  const image = contentType === "image/png" ? await document.embedPng(bytes) : await document.embedJpg(bytes);
  const page = document.addPage([595.28, 841.89]);
  const scale = Math.min(1, (page.getWidth() - 40) / image.width, (page.getHeight() - 40) / image.height);
  page.drawImage(image, {
    x: (page.getWidth() - image.width * scale) / 2,
    y: page.getHeight() - 20 - image.height * scale,
    width: image.width * scale,
    height: image.height * scale,
  });
  return document;
}
