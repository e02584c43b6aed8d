import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { config } from "../config";
import { open, seal } from "./envelope";

/** The certificate key as it was derived before purposes existed, written out independently. */
const certificateKey = () =>
  Buffer.from(hkdfSync("sha256", config("SIGNATURE_SECRET"), "relais", "signature-certificate", 32));

describe("envelope", () => {
  it("opens certificates sealed before purposes existed, and seals them the same way", () => {
    const companyId = ulid();
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", certificateKey(), iv);
    cipher.setAAD(Buffer.from(companyId));
    const body = Buffer.concat([cipher.update("mot de passe p12"), cipher.final()]);
    const older = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    expect(open(older, companyId, "certificate").toString("utf8")).toBe("mot de passe p12");

    const sealed = Buffer.from(seal(Buffer.from("fichier"), companyId, "certificate"), "base64");
    const decipher = createDecipheriv("aes-256-gcm", certificateKey(), sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(companyId));
    decipher.setAuthTag(sealed.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    expect(plain.toString("utf8")).toBe("fichier");
  });

  it("keeps purposes apart: a webhook secret never opens as a certificate, nor the reverse", () => {
    const companyId = ulid();
    const webhook = seal(Buffer.from("whsec_x"), companyId, "webhook");
    const certificate = seal(Buffer.from("p12"), companyId, "certificate");
    expect(open(webhook, companyId, "webhook").toString("utf8")).toBe("whsec_x");
    expect(() => open(webhook, companyId, "certificate")).toThrow();
    expect(() => open(certificate, companyId, "webhook")).toThrow();
  });

  it("does not open a value moved to another company", () => {
    const sealed = seal(Buffer.from("whsec_x"), ulid(), "webhook");
    expect(() => open(sealed, ulid(), "webhook")).toThrow();
  });
});
