import { createHash, verify } from "node:crypto";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { selfSignedP12 } from "./self-signed";
import { P12Signer, signingCertificateV2 } from "./signer";

const { asn1 } = forge;
const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), "binary");

describe("P12Signer", () => {
  it("signs ESS signing-certificate-v2 (the embedded certificate's SHA-256) with the other attributes", async () => {
    const p12 = selfSignedP12({ commonName: "Intérim Démo", password: "secret" });
    const cms = await new P12Signer(p12, "secret").sign(Buffer.from("%PDF-1.4 contenu"));
    const contentInfo = asn1.fromDer(forge.util.createBuffer(cms.toString("binary")));
    const signedData = (contentInfo.value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1;
    const fields = signedData.value as forge.asn1.Asn1[];
    const certificate = (
      fields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 0)!
        .value as forge.asn1.Asn1[]
    )[0]!;
    const signerInfo = ((fields.at(-1) as forge.asn1.Asn1).value as forge.asn1.Asn1[])[0]!;
    const parts = signerInfo.value as forge.asn1.Asn1[];
    const attributes = parts.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 0)!;
    const byOid = new Map(
      (attributes.value as forge.asn1.Asn1[]).map((attribute) => {
        const [oid, values] = attribute.value as forge.asn1.Asn1[];
        return [asn1.derToOid(oid!.value as string), values!] as const;
      }),
    );
    const ess = byOid.get(signingCertificateV2);
    expect(ess).toBeDefined();
    // SET { SigningCertificateV2 { certs { ESSCertIDv2 { certHash } } } }
    const certHash = (
      (((ess!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[0]!
        .value as forge.asn1.Asn1[]
    )[0]!.value as string;
    expect(Buffer.from(certHash, "binary")).toEqual(createHash("sha256").update(der(certificate)).digest());

    // The signature covers the attributes as a SET OF, ESS included: checked with node:crypto, not forge.
    const set = der(
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attributes.value as forge.asn1.Asn1[]),
    );
    const signature = Buffer.from(parts.at(-1)!.value as string, "binary");
    const publicKey = forge.pki.publicKeyToPem(
      forge.pki.certificateFromAsn1(certificate).publicKey as forge.pki.rsa.PublicKey,
    );
    expect(verify("sha256", set, publicKey, signature)).toBe(true);
  });
});
