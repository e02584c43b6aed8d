import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/** The company's one sealing certificate: the PKCS#12 file and its password, both encrypted (envelope.ts). */
export const CertificateEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "signatureCertificate", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          p12: { type: "string", required: true },
          password: { type: "string", required: true },
          subject: { type: "string", required: true },
          issuer: { type: "string", required: true },
          validFrom: { type: "string", required: true },
          validTo: { type: "string", required: true },
          fingerprint: { type: "string", required: true },
          uploadedBy: { type: "string", required: true },
          uploadedAt: { type: "string", required: true },
        },
        indexes: {
          byCompany: { pk: { field: "pk", composite: ["companyId"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);
