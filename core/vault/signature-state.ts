/** Where a document requiring its partner's signature stands: « À signer », « Signé », « Expiré ». */
export type SignatureState = "to_sign" | "signed" | "expired";

export function stateOf(
  doc: { mustSign: boolean; signedAt?: string; signDeadline?: string },
  now = new Date(),
): SignatureState | undefined {
  if (!doc.mustSign) return undefined;
  if (doc.signedAt) return "signed";
  if (doc.signDeadline && doc.signDeadline <= now.toISOString()) return "expired";
  return "to_sign";
}
