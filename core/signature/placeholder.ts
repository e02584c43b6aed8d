import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFString,
} from "pdf-lib";

/** What @signpdf/signpdf looks for and replaces with the actual byte range. */
export const byteRangePlaceholder = "**********";

/**
 * The signature dictionary and its invisible widget, as @signpdf/placeholder-pdf-lib adds them, written
 * with our own pdf-lib: that package `require`s pdf-lib, and where a bundler or test runner hands us the
 * ESM build and it the CJS one, its objects are not ours and are silently left out of the saved file.
 */
export function addPlaceholder(
  doc: PDFDocument,
  input: { reason: string; location: string; name: string; signatureLength: number; subFilter: string },
) {
  const page = doc.getPages()[0]!;
  const byteRange = PDFArray.withContext(doc.context);
  byteRange.push(PDFNumber.of(0));
  for (let index = 0; index < 3; index++) byteRange.push(PDFName.of(byteRangePlaceholder));
  const signature = doc.context.obj({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: input.subFilter,
    ByteRange: byteRange,
    Contents: PDFHexString.of("\0".repeat(input.signatureLength)),
    Reason: PDFString.of(input.reason),
    M: PDFString.fromDate(new Date()),
    ContactInfo: PDFString.of(""),
    Name: PDFString.of(input.name),
    Location: PDFString.of(input.location),
    Prop_Build: { Filter: { Name: "Adobe.PPKLite" }, App: { Name: "Relais" } },
  });
  // Written as raw bytes so pdf-lib never puts it in an object stream (the byte range must be findable).
  const bytes = new Uint8Array(signature.sizeInBytes());
  signature.copyBytesInto(bytes, 0);
  const signatureRef = doc.context.register(PDFInvalidObject.of(bytes));
  const rect = [0, 0, 0, 0];
  const appearance = doc.context.formXObject([], { BBox: rect, Resources: {} });
  const widget = doc.context.register(
    doc.context.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Sig",
      Rect: rect,
      V: signatureRef,
      T: PDFString.of(`Signature${Date.now()}`),
      F: 4,
      P: page.ref,
      AP: { N: doc.context.register(appearance) },
    }),
  );
  const annotations = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray) ?? doc.context.obj([]);
  annotations.push(widget);
  page.node.set(PDFName.of("Annots"), annotations);
  let form = doc.catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  if (!form) {
    form = doc.context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of("AcroForm"), doc.context.register(form));
  }
  const flags = form.lookupMaybe(PDFName.of("SigFlags"), PDFNumber)?.asNumber() ?? 0;
  // SignaturesExist | AppendOnly
  form.set(PDFName.of("SigFlags"), PDFNumber.of(flags | 1 | 2));
  let fields = form.lookupMaybe(PDFName.of("Fields"), PDFArray);
  if (!fields) {
    fields = doc.context.obj([]);
    form.set(PDFName.of("Fields"), fields);
  }
  fields.push(widget);
}
