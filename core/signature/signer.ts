import { Signer } from "@signpdf/utils";
import forge from "node-forge";
import { decodedNames } from "./names";

/**
 * @signpdf/signer-p12's signer (detached CMS, SHA-256, content type, signing time and message digest as
 * signed attributes, in that order), with the certificates' names decoded before they are written.
 */
export class P12Signer extends Signer {
  constructor(
    private readonly p12: Uint8Array,
    private readonly passphrase: string,
  ) {
    super();
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(this.p12).toString("binary")));
    const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, this.passphrase);
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
    return Buffer.from(forge.asn1.toDer(signed.toAsn1()).getBytes(), "binary");
  }
}
