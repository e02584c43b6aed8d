import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

/** A recruitment campaign (« campagne d'appel »): its form, statuses and people. */
export const RecruitmentCampaignEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "recruitmentCampaign", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          title: { type: "string", required: true },
          agencyId: { type: "string", required: true },
          opensAt: { type: "string", required: true },
          closesAt: { type: "string", required: true },
          description: { type: "any", required: true },
          slug: { type: "string", required: true, readOnly: true },
          fields: { type: "any", required: true },
          statuses: { type: "any", required: true },
          managerIds: { type: "list", items: { type: "string" }, required: true },
          evaluatorIds: { type: "list", items: { type: "string" }, required: true },
          createdBy: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["campaignId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** The public form's address → its campaign: the one key read without a company (the slug is unguessable). */
export const RecruitmentSlugEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "recruitmentSlug", version: "1", service: "relais" },
        attributes: {
          slug: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          bySlug: { pk: { field: "pk", composite: ["slug"] }, sk: { field: "sk", composite: [] } },
        },
      },
      entityConfig(),
    ),
);

/** An automatic email rule of a campaign's « Emails » tab. */
export const RecruitmentRuleEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "recruitmentRule", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          ruleId: { type: "string", required: true, readOnly: true },
          section: { type: ["candidate", "manager"] as const, required: true },
          name: { type: "string", required: true },
          templateId: { type: "string" },
          statusId: { type: "string", required: true },
          recipients: { type: "any", required: true },
          enabled: { type: "boolean", required: true },
          builtIn: { type: "boolean", required: true, default: false },
        },
        indexes: {
          byCampaign: {
            pk: { field: "pk", composite: ["companyId", "campaignId"] },
            sk: { field: "sk", composite: ["ruleId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * A candidate's dossier: a draft (with a resume token's hash and a TTL) until submitted. The history of
 * its statuses is appended with each change, in the change's transaction.
 */
export const DossierEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "dossier", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          dossierId: { type: "string", required: true, readOnly: true },
          statusId: { type: "string", required: true },
          firstName: { type: "string" },
          lastName: { type: "string" },
          email: { type: "string" },
          mobile: { type: "string" },
          language: { type: ["fr", "en"] as const, required: true, default: "fr" },
          answers: { type: "any" },
          contactId: { type: "string" },
          evaluatorId: { type: "string" },
          resumeHash: { type: "string" },
          submittedAt: { type: "string" },
          history: {
            type: "list",
            items: {
              type: "map",
              properties: {
                at: { type: "string", required: true },
                from: { type: "string" },
                to: { type: "string", required: true },
                byUserId: { type: "string" },
                byName: { type: "string" },
              },
            },
          },
          /** Names, email and mobile folded, for the words filter. */
          searchText: { type: "string" },
          erasedAt: { type: "string" },
          createdAt: { type: "string", required: true, readOnly: true },
          updatedAt: { type: "string", required: true },
          /** Drafts only (TTL): a submitted dossier stays. */
          expiresAt: { type: "number" },
        },
        indexes: {
          byCampaign: {
            pk: { field: "pk", composite: ["companyId", "campaignId"] },
            sk: { field: "sk", composite: ["dossierId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A submit's Idempotency-Key (hashed) → the dossier it made, so a retry finds it. */
export const DossierClaimEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "dossierClaim", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          claim: { type: "string", required: true, readOnly: true },
          dossierId: { type: "string", required: true, readOnly: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byClaim: {
            pk: { field: "pk", composite: ["companyId", "campaignId", "claim"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A file uploaded for a dossier's file field (S3 key under the company, campaign and dossier). */
export const DossierFileEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "dossierFile", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          dossierId: { type: "string", required: true, readOnly: true },
          fileId: { type: "string", required: true, readOnly: true },
          fieldId: { type: "string", required: true, readOnly: true },
          fileName: { type: "string", required: true },
          contentType: { type: "string", required: true },
          size: { type: "number", required: true },
          checkedAt: { type: "string" },
          expiresAt: { type: "number" },
        },
        indexes: {
          byDossier: {
            pk: { field: "pk", composite: ["companyId", "dossierId"] },
            sk: { field: "sk", composite: ["fileId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** An email a rule fired for a dossier: its message (whose status is read live) and why. */
export const DossierEmailEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "dossierEmail", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          dossierId: { type: "string", required: true, readOnly: true },
          messageId: { type: "string", required: true, readOnly: true },
          /** The delivery campaign holding the message. */
          sendingId: { type: "string", required: true, readOnly: true },
          ruleId: { type: "string", required: true, readOnly: true },
          ruleName: { type: "string" },
          to: { type: "string", required: true },
          subject: { type: "string" },
          at: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byDossier: {
            pk: { field: "pk", composite: ["companyId", "dossierId"] },
            sk: { field: "sk", composite: ["messageId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** A contact's dossiers (written when a dossier is linked), for the contact's GDPR erasure. */
export const DossierContactEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "dossierContact", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", required: true, readOnly: true },
          dossierId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byContact: {
            pk: { field: "pk", composite: ["companyId", "contactId"] },
            sk: { field: "sk", composite: ["dossierId"] },
          },
        },
      },
      entityConfig(),
    ),
);
