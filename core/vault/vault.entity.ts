import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/** The folders of the partner space; a document type files its documents under one of them. */
export const typologies = ["paie", "contrats", "attestations", "informations", "autres"] as const;
export type Typology = (typeof typologies)[number];

/** Company-defined kinds of documents (Bulletin de paie, Contrat de mission…). */
export const DocumentTypeEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "documentType", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          typeId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true },
          typology: { type: typologies, required: true },
          mustSign: { type: "boolean", required: true, default: false },
          /** « Signé par l'entreprise »: its PDFs are sealed with the company's certificate at publication. */
          companySeal: { type: "boolean" },
          /** Days a recipient has to sign (mustSign), from publication. */
          signDays: { type: "number" },
          retentionMonths: { type: "number", required: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["typeId"] },
          },
        },
      },
      entityConfig(),
    ),
);

export const documentStatuses = ["uploading", "published", "rejected"] as const;

/**
 * One file handed to one partner. Its object key is random and never shown; the partner reaches it through
 * the space or a signed link, each answered with a presigned URL valid a minute.
 */
export const DocumentEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "document", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          documentId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          batchId: { type: "string", required: true, readOnly: true },
          typeId: { type: "string", required: true, readOnly: true },
          typeName: { type: "string", required: true, readOnly: true },
          typology: { type: typologies, required: true, readOnly: true },
          mustSign: { type: "boolean", required: true, default: false },
          companySeal: { type: "boolean", readOnly: true },
          signDays: { type: "number", readOnly: true },
          fileName: { type: "string", required: true, readOnly: true },
          contentType: { type: "string", required: true, readOnly: true },
          size: { type: "number", required: true },
          objectKey: { type: "string", required: true, readOnly: true },
          status: { type: documentStatuses, required: true },
          rejectedReason: { type: "string" },
          uploadedBy: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          publishedAt: { type: "string" },
          /** The notification's campaign; its message id is the document id. */
          campaignId: { type: "string" },
          notifiedBy: { type: ["sms", "email"] as const },
          firstOpenedAt: { type: "string" },
          lastOpenedAt: { type: "string" },
          opens: { type: "number", required: true, default: 0 },
          firstDownloadedAt: { type: "string" },
          lastDownloadedAt: { type: "string" },
          downloads: { type: "number", required: true, default: 0 },
          /** When the type's retention ends (ISO date); the retention job deletes it then. */
          deleteAfter: { type: "string", required: true, readOnly: true },
          /** The day `deleteAfter` falls on, while the file exists: the retention job's sparse index. */
          retentionDay: { type: "string" },
          deletedAt: { type: "string" },
          /**
           * Given by an information campaign: its object is the campaign's, shared by every partner it
           * reached, so retention deletes this item only; the object goes when the campaign does.
           */
          infoCampaignId: { type: "string", readOnly: true },
          /** The company-sealed copy (companySeal), written once before publication; served instead of the upload. */
          sealedObjectKey: { type: "string" },
          /** mustSign: until when the partner may sign (ISO), set at publication. */
          signDeadline: { type: "string" },
          /** Set once, with the evidence, by the one conditional write of a signature. */
          signedAt: { type: "string" },
          signedObjectKey: { type: "string" },
          evidenceId: { type: "string" },
          remindersSent: { type: "number" },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["documentId"] },
          },
          byPartner: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "partnerId"] },
            sk: { field: "gsi1sk", composite: ["documentId"] },
          },
          byBatch: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["companyId", "batchId"] },
            sk: { field: "gsi2sk", composite: ["documentId"] },
          },
          /** Across companies, by day, as the sweeper's index is: one query a day finds what expires. */
          byRetention: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["retentionDay"] },
            sk: { field: "gsi3sk", composite: ["companyId", "documentId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A bulk upload (or a single one): its files, matched to partners, published together. */
export const BatchEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "documentBatch", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          batchId: { type: "string", required: true, readOnly: true },
          typeId: { type: "string", required: true, readOnly: true },
          agencyId: { type: "string", required: true, readOnly: true },
          linkDays: { type: "number", required: true, readOnly: true },
          notify: { type: "boolean", required: true, readOnly: true },
          status: { type: ["uploading", "publishing", "published"] as const, required: true },
          files: { type: "number", required: true, readOnly: true },
          published: { type: "number", required: true, default: 0 },
          rejected: { type: "number", required: true, default: 0 },
          campaignId: { type: "string" },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          publishedAt: { type: "string" },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["batchId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** What happened to a partner's documents, newest first: sign-ins, link opens, views, downloads, signatures. */
export const AccessEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "documentAccess", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          accessId: { type: "string", required: true, readOnly: true },
          action: {
            type: ["link_opened", "signed_in", "opened", "downloaded", "signed"] as const,
            required: true,
            readOnly: true,
          },
          documentId: { type: "string", readOnly: true },
          fileName: { type: "string", readOnly: true },
          via: { type: ["link", "code", "space"] as const, readOnly: true },
          at: { type: "string", required: true, readOnly: true },
          ip: { type: "string", readOnly: true },
          userAgent: { type: "string", readOnly: true },
        },
        indexes: {
          byPartner: {
            pk: { field: "pk", composite: ["companyId", "partnerId"] },
            sk: { field: "sk", composite: ["accessId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * A signed link (`/l/{token}`): keyed by the token's hash only, so a copy of the table opens nothing.
 * `expiresAt` lets TTL remove it a while after `validUntil`; reads check `validUntil` themselves.
 */
export const LinkEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "documentLink", version: "1", service: "relais" },
        attributes: {
          tokenHash: { type: "string", required: true, readOnly: true },
          linkId: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          documentIds: { type: "list", items: { type: "string" }, required: true, readOnly: true },
          validUntil: { type: "number", required: true, readOnly: true },
          maxUses: { type: "number", readOnly: true },
          uses: { type: "number", required: true, default: 0 },
          revokedAt: { type: "string" },
          createdBy: { type: "string", readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          lastUsedAt: { type: "string" },
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byToken: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
          byPartner: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "partnerId"] },
            sk: { field: "gsi1sk", composite: ["linkId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A one-time sign-in code for the partner space, keyed by the address it was sent to. */
export const SignInCodeEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "signInCode", version: "1", service: "relais" },
        attributes: {
          address: { type: "string", required: true, readOnly: true },
          codeHash: { type: "string", required: true },
          tries: { type: "number", required: true, default: 0 },
          validUntil: { type: "number", required: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byAddress: { pk: { field: "pk", composite: ["address"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

/**
 * After a right code for an address several companies know: which partner records it may open, for
 * 5 minutes, once. Ids only; the ticket itself is returned to the browser and stored hashed.
 */
export const SpaceChoiceEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "spaceChoice", version: "1", service: "relais" },
        attributes: {
          ticketHash: { type: "string", required: true, readOnly: true },
          options: {
            type: "list",
            required: true,
            items: {
              type: "map",
              properties: {
                companyId: { type: "string", required: true },
                partnerId: { type: "string", required: true },
              },
            },
          },
          validUntil: { type: "number", required: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byTicket: { pk: { field: "pk", composite: ["ticketHash"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

/** A partner's session in the space: as staff sessions, idle and absolute lifetimes, a CSRF token. */
export const PartnerSessionEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "partnerSession", version: "1", service: "relais" },
        attributes: {
          tokenHash: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          csrfToken: { type: "string", required: true, readOnly: true },
          via: { type: ["link", "code"] as const, required: true, readOnly: true },
          lastSeenAt: { type: "string", required: true },
          idleExpiresAt: { type: "string", required: true },
          absoluteExpiresAt: { type: "string", required: true, readOnly: true },
          expiresAt: { type: "number", required: true, readOnly: true },
        },
        indexes: {
          byToken: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

/** The one-time code confirming a signature: one per document, sent to the partner's sign-in channel. */
export const SigningCodeEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "signingCode", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          documentId: { type: "string", required: true, readOnly: true },
          codeHash: { type: "string", required: true },
          tries: { type: "number", required: true, default: 0 },
          channel: { type: ["sms", "email"] as const, required: true },
          /** The address, masked (06 •• •• •• 78, a•••@example.fr): what the evidence says it was sent to. */
          maskedAddress: { type: "string", required: true },
          validUntil: { type: "number", required: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byDocument: {
            pk: { field: "pk", composite: ["companyId", "documentId"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * What proves a partner's signature, kept with the document: who, when, from where, how the code was
 * sent, the SHA-256 of what they read and of the signed PDF. Written once, with the signature.
 */
export const EvidenceEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "signatureEvidence", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          documentId: { type: "string", required: true, readOnly: true },
          evidenceId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          signerName: { type: "string", required: true, readOnly: true },
          method: { type: ["typed", "drawn"] as const, required: true, readOnly: true },
          typedName: { type: "string", readOnly: true },
          /** The drawn signature, a PNG as base64 (≤ 60 KB). */
          drawing: { type: "string", readOnly: true },
          consent: { type: "string", required: true, readOnly: true },
          language: { type: ["fr", "en"] as const, required: true, readOnly: true },
          signedAt: { type: "string", required: true, readOnly: true },
          ip: { type: "string", readOnly: true },
          userAgent: { type: "string", readOnly: true },
          channel: { type: ["sms", "email"] as const, required: true, readOnly: true },
          maskedAddress: { type: "string", required: true, readOnly: true },
          fileName: { type: "string", required: true, readOnly: true },
          typeName: { type: "string", required: true, readOnly: true },
          originalSha256: { type: "string", required: true, readOnly: true },
          signedSha256: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byDocument: {
            pk: { field: "pk", composite: ["companyId", "documentId"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);
