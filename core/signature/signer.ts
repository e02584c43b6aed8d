import { sign } from "node:crypto";
import { Signer } from "@signpdf/utils";
import forge from "node-forge";
import { decodedNames } from "./names";

const { asn1 } = forge;
/** id-aa-signingCertificateV2 (RFC 5035): the signer's certificate hash, which PAdES baseline-B requires. */
export const signingCertificateV2 = "1.2.840.113549.1.9.16.2.47";

/** The ESS signing-certificate-v2 attribute: the SHA-256 (the default algorithm, so omitted) of `der`. */
function essAttribute(der: string) {
  const hash = forge.md.sha256.create().update(der).digest().getBytes();
  const { Class, Type } = asn1;
  const sequence = (...value: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, value);
  return sequence(
    asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(signingCertificateV2).getBytes()),
    asn1.create(Class.UNIVERSAL, Type.SET, true, [
      sequence(sequence(sequence(asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, hash)))),
    ]),
  );
}

/**
 * @signpdf/signer-p12's signer (detached CMS, SHA-256, content type, signing time and message digest as
 * signed attributes, in that order), with two changes: the certificates' names are decoded before they
 * are written, and the signed attributes gain ESS signing-certificate-v2 (PAdES baseline-B). Forge knows
 * no such attribute, so it is added to forge's SignerInfo and the attributes are signed again.
 */
export class P12Signer extends Signer {
  constructor(
    private readonly p12: Uint8Array,
    private readonly passphrase: string,
  ) {
    super();
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const p12Asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(this.p12).toString("binary")));
    const p12 = forge.pkcs12.pkcs12FromAsn1(p12Asn1, false, this.passphrase);
    const certBag = forge.pki.oids.certBag as string;
    const shrouded = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const certificates = (p12.getBags({ bagType: certBag })[certBag] ?? []).flatMap((bag) =>
      bag.cert ? [decodedNames(bag.cert)] : [],
    );
    const key = p12.getBags({ bagType: shrouded })[shrouded]?.[0]?.key as
      | forge.pki.rsa.PrivateKey
      | undefined;
    if (!key) throw new Error("The PKCS#12 file has no private key");
    const signed = forge.pkcs7.createSignedData();
    signed.content = forge.util.createBuffer(pdf.toString("binary"));
    let own: forge.pki.Certificate | undefined;
    for (const certificate of certificates) {
      signed.addCertificate(certificate);
      const publicKey = certificate.publicKey as forge.pki.rsa.PublicKey;
      if (key.n.compareTo(publicKey.n) === 0 && key.e.compareTo(publicKey.e) === 0) own = certificate;
    }
    if (!own) throw new Error("No certificate of the PKCS#12 file matches its private key");
    signed.addSigner({
      key,
      certificate: own,
      digestAlgorithm: forge.pki.oids.sha256 as string,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType as string, value: forge.pki.oids.data as string },
        // The typings want a string; forge takes a Date here.
        {
          type: forge.pki.oids.signingTime as string,
          value: (signingTime ?? new Date()) as unknown as string,
        },
        { type: forge.pki.oids.messageDigest as string },
      ],
    });
    signed.sign({ detached: true });
    const contentInfo = signed.toAsn1();
    // ContentInfo { contentType, [0] SignedData { …, signerInfos SET { SignerInfo { …, [0] signedAttrs,
    // signatureAlgorithm, signature } } } }
    const signedData = (contentInfo.value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1;
    const signerInfos = signedData.value.at(-1) as forge.asn1.Asn1;
    const signerInfo = signerInfos.value[0] as forge.asn1.Asn1;
    const fields = signerInfo.value as forge.asn1.Asn1[];
    const attributes = fields.find(
      (field) => field.tagClass === asn1.Class.CONTEXT_SPECIFIC && field.type === 0,
    );
    const signature = fields.at(-1);
    if (!attributes || !signature || signature.type !== asn1.Type.OCTETSTRING)
      throw new Error("Unexpected CMS layout");
    (attributes.value as forge.asn1.Asn1[]).push(
      essAttribute(asn1.toDer(forge.pki.certificateToAsn1(own)).getBytes()),
    );
    // Signed as a SET OF (RFC 5652 §5.4), not under the [0] tag it is written with.
    const set = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attributes.value as forge.asn1.Asn1[]);
    const digestInput = Buffer.from(asn1.toDer(set).getBytes(), "binary");
    signature.value = sign("sha256", digestInput, forge.pki.privateKeyToPem(key)).toString("binary");
    return Buffer.from(asn1.toDer(contentInfo).getBytes(), "binary");
  }
}
