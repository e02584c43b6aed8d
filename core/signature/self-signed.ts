import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

/**
 * A self-signed PKCS#12 for `npm start` and the tests: RSA 2048, SHA-256, valid from yesterday for
 * `days`. Never for production: a PDF reader shows its signature as valid but of an unknown signer.
 */
export function selfSignedP12(options: { commonName: string; password: string; days?: number; from?: Date }) {
  // Node's key generation is native; forge's pure-JS one takes seconds.
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = forge.pki.privateKeyFromPem(
    pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const publicKey = forge.pki.publicKeyFromPem(
    pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  const from = options.from ?? new Date(Date.now() - 86_400_000);
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + (options.days ?? 3650) * 86_400_000);
  // UTF8String (forge encodes it): a PrintableString would carry « Intérim Démo » as Latin-1 bytes, which
  // PDF readers show as « Int�rim D�mo ».
  const utf8 = {
    value: options.commonName,
    // The typings call it a class; forge reads it as the universal type of the value.
    valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
  };
  const name = [
    { name: "commonName", ...utf8 },
    { name: "organizationName", ...utf8 },
    { name: "countryName", value: "FR" },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert], options.password, { algorithm: "aes256" });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"));
}
