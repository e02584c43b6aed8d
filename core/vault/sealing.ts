import { VisibleError } from "../error";
import * as Storage from "../platform/storage";
import type { Doc } from "./publish";

/** Where a document's company-sealed copy lives: next to the upload, so one prefix holds both. */
export const sealedKeyOf = (objectKey: string) => `${objectKey}-sealed`;

/**
 * The company-sealed copy of a PDF of a « signé par l'entreprise » type, made once: a redelivered
 * publication finds the copy already there and reuses it, so no document is ever sealed twice. The
 * upload stays as it came (the seal is computed over it, never over a sealed copy). Undefined when the
 * document is not to be sealed; `problem` when it cannot be (no certificate, unreadable PDF).
 */
export async function sealedCopy(doc: Doc): Promise<{ key: string } | { problem: string } | undefined> {
  if (!doc.companySeal || doc.contentType !== "application/pdf") return undefined;
  const key = sealedKeyOf(doc.objectKey);
  if (doc.sealedObjectKey) return { key: doc.sealedObjectKey };
  try {
    await Storage.size("vault", key);
    return { key };
  } catch (error) {
    if (!Storage.isMissing(error)) throw error;
  }
  const { sealPdf } = await import("../signature/seal");
  try {
    const pdf = await Storage.readBytes("vault", doc.objectKey);
    const sealed = await sealPdf({ pdf, reason: `${doc.typeName} — document de l'entreprise` });
    await Storage.put("vault", key, sealed, "application/pdf");
    return { key };
  } catch (error) {
    if (error instanceof VisibleError) return { problem: error.message };
    throw error;
  }
}
