import { createHash } from "node:crypto";
import forge from "node-forge";
import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { Audit } from "../audit";
import { VisibleError } from "../error";
import { CertificateEntity } from "./certificate.entity";
import { open, seal } from "./envelope";
import { decodedNames } from "./names";

export const maxBytes = 100 * 1024;

/** What the console shows; the file and the password never leave the server. */
export const Info = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type Info = z.infer<typeof Info>;

/** Names as people read them: a UTF8String's bytes decoded (« Intérim Démo », not « IntÃ©rim DÃ©mo »). */
const nameOf = (name: forge.pki.Certificate["subject"]) =>
  name.attributes
    .map((attribute) => `${attribute.shortName ?? attribute.name}=${attribute.value}`)
    .join(", ");

const invalid = (code: string, message: string) => new VisibleError(`signature.${code}`, message, 400);

/**
 * Opens a PKCS#12 file as the sealing will (core/signature/signer.ts reads a shrouded key bag), and returns
 * the certificate that matches its private key. Refuses a wrong password, a file without a private key
 * and a certificate that is not valid today.
 */
export function inspect(p12: Uint8Array, password: string, now = new Date()) {
  if (p12.byteLength > maxBytes)
    throw new VisibleError("signature.too_large", "The file exceeds 100 KB", 413);
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString("binary")));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch {
    throw invalid("bad_certificate", "This file cannot be opened with this password (.p12 or .pfx expected)");
  }
  const shrouded = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const keyBags = parsed.getBags({ bagType: shrouded })[shrouded];
  const key = keyBags?.[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw invalid("no_private_key", "The file holds no private key");
  const certBag = forge.pki.oids.certBag as string;
  const certBags = parsed.getBags({ bagType: certBag })[certBag] ?? [];
  const certificate = certBags
    .map((bag) => bag.cert)
    .find((cert): cert is forge.pki.Certificate => {
      const publicKey = cert?.publicKey as forge.pki.rsa.PublicKey | undefined;
      return !!publicKey?.n && publicKey.n.compareTo(key.n) === 0 && publicKey.e.compareTo(key.e) === 0;
    });
  if (!certificate) throw invalid("no_private_key", "No certificate in the file matches its private key");
  decodedNames(certificate);
  const { notBefore, notAfter } = certificate.validity;
  if (now < notBefore) throw invalid("not_yet_valid", "The certificate is not valid yet");
  if (now > notAfter) throw invalid("expired", "The certificate has expired");
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
  return {
    subject: nameOf(certificate.subject),
    issuer: nameOf(certificate.issuer),
    validFrom: notBefore.toISOString(),
    validTo: notAfter.toISOString(),
    fingerprint: createHash("sha256")
      .update(Buffer.from(der, "binary"))
      .digest("hex")
      .toUpperCase()
      .replace(/(..)(?!$)/g, "$1:"),
  };
}

/** An Admin uploads (or replaces) the company's certificate; it is checked, then stored encrypted. */
export async function upload(input: { p12: Uint8Array; password: string }): Promise<Info> {
  const user = useRole("admin");
  const stored = await store(input, user.name);
  await Audit.record("signature.certificate_uploaded", {
    target: { type: "certificate", id: stored.fingerprint, label: stored.subject },
    details: { validTo: stored.validTo },
  });
  return stored;
}

/** Checks and stores the actor's company's certificate (the seed gives the demo company one this way). */
export async function store(input: { p12: Uint8Array; password: string }, uploadedBy: string): Promise<Info> {
  const companyId = useCompanyId();
  const details = inspect(input.p12, input.password);
  const info = { ...details, uploadedBy, uploadedAt: new Date().toISOString() };
  await CertificateEntity.put({
    companyId,
    p12: seal(input.p12, companyId, "certificate"),
    password: seal(Buffer.from(input.password, "utf8"), companyId, "certificate"),
    ...info,
  }).go();
  return info;
}

export async function info(): Promise<Info | undefined> {
  useRole("admin");
  const { data } = await CertificateEntity.get({ companyId: useCompanyId() }).go();
  return data ? Info.parse(data) : undefined;
}

export async function remove() {
  useRole("admin");
  const companyId = useCompanyId();
  const { data } = await CertificateEntity.delete({ companyId }).go({ response: "all_old" });
  if (!data) throw new VisibleError("signature.no_certificate", "The company has no certificate", 404);
  await Audit.record("signature.certificate_removed", {
    target: { type: "certificate", id: data.fingerprint, label: data.subject },
  });
}

/** The decrypted file and password, for sealing only. */
export async function load(): Promise<{ p12: Buffer; password: string } | undefined> {
  const companyId = useCompanyId();
  const { data } = await CertificateEntity.get({ companyId }).go();
  if (!data) return undefined;
  return {
    p12: open(data.p12, companyId, "certificate"),
    password: open(data.password, companyId, "certificate").toString("utf8"),
  };
}

/** The actor's company has a certificate to seal with. */
export async function hasCertificate(): Promise<boolean> {
  const { data } = await CertificateEntity.get({ companyId: useCompanyId() }).go({
    attributes: ["companyId"],
  });
  return data !== null;
}
