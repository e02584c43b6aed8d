import forge from "node-forge";

/**
 * Forge reads a UTF8String name attribute as its raw bytes but encodes it again on the way out, so a
 * signer whose name has an accent (« Intérim Démo », UTF8String as CAs write it) got an issuer in the
 * SignerInfo that matched no certificate: PDF readers called the signature invalid. Decoded here first.
 */
export function decodedNames(certificate: forge.pki.Certificate) {
  for (const name of [certificate.subject, certificate.issuer])
    for (const attribute of name.attributes)
      if (
        (attribute.valueTagClass as unknown) === forge.asn1.Type.UTF8 &&
        typeof attribute.value === "string"
      )
        try {
          attribute.value = forge.util.decodeUtf8(attribute.value);
        } catch {
          // Not UTF-8 after all: left as it is.
        }
  return certificate;
}
