import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { P12Signer } from "@signpdf/signer-p12";
import { SignPdf } from "@signpdf/signpdf";
import { SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { PDFDocument } from "pdf-lib";
import { VisibleError } from "../error";
import { load } from "./certificate";

/** Room for the CMS: the certificate (≈1.2 KB for RSA 2048) and a chain of a few more. */
const signatureLength = 16_384;

/** Seals a PDF with the actor's company certificate (PAdES baseline). Throws VisibleError("signature.no_certificate", …, 409) when the company has none. */
export async function sealPdf(input: {
  pdf: Uint8Array;
  reason: string;
  location?: string;
}): Promise<Uint8Array> {
  const certificate = await load();
  if (!certificate)
    throw new VisibleError(
      "signature.no_certificate",
      "The company has no signature certificate (Administration → Signature électronique)",
      409,
    );
  return sealWith(input, certificate);
}

/** The actor's company has a certificate to seal with. */
export async function hasCertificate(): Promise<boolean> {
  return (await load()) !== undefined;
}

/**
 * An incremental signature needs a PDF without cross-reference streams; pdf-lib rewrites the document
 * with a classic table, then adds the signature dictionary (ETSI.CAdES.detached) and the widget.
 */
export async function sealWith(
  input: { pdf: Uint8Array; reason: string; location?: string },
  certificate: { p12: Uint8Array; password: string },
): Promise<Uint8Array> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(input.pdf);
  } catch {
    throw new VisibleError("signature.not_pdf", "This file is not a readable PDF", 422);
  }
  const signer = new P12Signer(Buffer.from(certificate.p12), { passphrase: certificate.password });
  pdflibAddPlaceholder({
    pdfDoc: document,
    reason: input.reason,
    contactInfo: "",
    name: "Relais",
    location: input.location ?? "",
    signatureLength,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: "Relais",
  });
  const prepared = Buffer.from(await document.save({ useObjectStreams: false }));
  const signed = await new SignPdf().sign(prepared, signer);
  return new Uint8Array(signed);
}
