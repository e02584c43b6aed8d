import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "../config";

/**
 * AES-256-GCM with a key derived (HKDF-SHA256) from SIGNATURE_SECRET: a copy of the table alone opens
 * no certificate and no webhook secret. The company id is the associated data, so a sealed value moved
 * to another company fails to open. Format: base64(iv ‖ tag ‖ ciphertext).
 *
 * Each purpose has its own key (its HKDF info): a value sealed for one never opens as another. The
 * certificate's info is the one it was sealed with from the start: changing it would lose them all.
 */
const infos = {
  certificate: "signature-certificate",
  webhook: "webhook-secret",
} as const;
export type Purpose = keyof typeof infos;

function key(purpose: Purpose): Buffer {
  return Buffer.from(hkdfSync("sha256", config("SIGNATURE_SECRET"), "relais", infos[purpose], 32));
}

export function seal(plain: Uint8Array, companyId: string, purpose: Purpose): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  cipher.setAAD(Buffer.from(companyId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function open(sealed: string, companyId: string, purpose: Purpose): Buffer {
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(purpose), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(companyId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
}
