import { VisibleError } from "../error";
import { hasCertificate, load } from "./certificate";

export { hasCertificate };

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

/**
 * An incremental signature needs a PDF without cross-reference streams; pdf-lib rewrites the document
 * with a classic table, then adds the signature dictionary (ETSI.CAdES.detached) and the widget.
 */
export async function sealWith(
  input: { pdf: Uint8Array; reason: string; location?: string },
  certificate: { p12: Uint8Array; password: string },
): Promise<Uint8Array> {
  // Loaded here: only the routes and jobs that seal pay for these libraries.
  const [{ PDFDocument }, { addPlaceholder }, { P12Signer }, { SignPdf }] = await Promise.all([
    import("pdf-lib"),
    import("./placeholder"),
    import("./signer"),
    import("@signpdf/signpdf"),
  ]);
  let document: Awaited<ReturnType<typeof PDFDocument.load>>;
  try {
    document = await PDFDocument.load(input.pdf);
  } catch {
    throw new VisibleError("signature.not_pdf", "This file is not a readable PDF", 422);
  }
  const signer = new P12Signer(certificate.p12, certificate.password);
  addPlaceholder(document, {
    reason: input.reason,
    location: input.location ?? "",
    name: "Relais",
    signatureLength,
    subFilter: "ETSI.CAdES.detached",
  });
  const prepared = Buffer.from(await document.save({ useObjectStreams: false }));
  const signed = await new SignPdf().sign(prepared, signer);
  return new Uint8Array(signed);
}
