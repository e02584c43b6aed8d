import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "../config";

/**
 * AES-256-GCM with a key derived (HKDF-SHA256) from SIGNATURE_SECRET: a copy of the table alone opens
 * no certificate. The company id is the associated data, so a sealed value moved to another company
 * fails to open. Format: base64(iv ‖ tag ‖ ciphertext).
 */
function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", config("SIGNATURE_SECRET"), "relais", "signature-certificate", 32));
}

export function seal(plain: Uint8Array, companyId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(companyId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function open(sealed: string, companyId: string): Buffer {
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(companyId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
}
