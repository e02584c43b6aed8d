import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";
import { typologies } from "../vault/vault.entity";
import { states, triggers } from "./info-campaign.types";

/**
 * An information campaign (« Campagne d'information »): documents and a message added to targeted partners'
 * spaces, when they receive a document of a type or when they next sign in. Its files are shared by every
 * partner's Document item (`infoCampaignId`): they go when the campaign does, never with one partner's item.
 */
export const InfoCampaignEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "infoCampaign", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          title: { type: "string", required: true },
          startAt: { type: "string", required: true },
          endAt: { type: "string" },
          trigger: { type: triggers },
          triggerTypeId: { type: "string" },
          categoryIds: { type: "list", items: { type: "string" }, required: true, default: () => [] },
          /** Every file uploaded for it (presigned POST), chosen or not; the documents name some of them. */
          files: {
            type: "list",
            required: true,
            default: () => [],
            items: {
              type: "map",
              properties: {
                fileId: { type: "string", required: true },
                fileName: { type: "string", required: true },
                size: { type: "number", required: true },
                objectKey: { type: "string", required: true },
              },
            },
          },
          documents: {
            type: "list",
            required: true,
            default: () => [],
            items: {
              type: "map",
              properties: {
                fileId: { type: "string", required: true },
                name: { type: "string", required: true },
                fileName: { type: "string", required: true },
                size: { type: "number", required: true },
                typeId: { type: "string", required: true },
                typeName: { type: "string", required: true },
                typology: { type: typologies, required: true },
                mustSign: { type: "boolean", required: true },
                retentionMonths: { type: "number", required: true },
                /** Days a recipient has to sign, for a type they must sign. */
                signDays: { type: "number" },
                seal: { type: "boolean", required: true },
                /** What partners receive: the upload, or its sealed copy made at launch. */
                objectKey: { type: "string", required: true },
                sealed: { type: "boolean" },
              },
            },
          },
          logoKey: { type: "string" },
          logoContentType: { type: "string" },
          messageFr: { type: "string" },
          messageEn: { type: "string" },
          status: { type: states, required: true, default: "draft" },
          /**
           * While active: `<companyId>#type#<typeId>` or `<companyId>#recipients` (see `activeTriggerOf`),
           * with `activeSince`, the sparse `byActiveTrigger` index that finds the active campaigns of a
           * published document's type, or of a signed-in partner, without a scan.
           */
          activeTrigger: { type: "string" },
          activeSince: { type: "string" },
          reached: { type: "number", required: true, default: 0 },
          opened: { type: "number", required: true, default: 0 },
          downloaded: { type: "number", required: true, default: 0 },
          signed: { type: "number", required: true, default: 0 },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          createdAt: { type: "string", required: true, readOnly: true },
          launchedAt: { type: "string" },
          activatedAt: { type: "string" },
          closedAt: { type: "string" },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["campaignId"] },
          },
          byActiveTrigger: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["activeTrigger"] },
            sk: { field: "gsi1sk", composite: ["activeSince"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * A campaign reached a partner: created once (conditionally), in the transaction that gives the partner
 * its Document items, so a redelivered event or a second dashboard load adds nothing. Its times are the
 * export's row and each first time moves the campaign's counter once.
 */
export const InfoCampaignReachEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "infoCampaignReach", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          documentIds: { type: "list", items: { type: "string" }, required: true, readOnly: true },
          /** The partner's document whose publication triggered it (document trigger). */
          triggeredBy: { type: "string", readOnly: true },
          reachedAt: { type: "string", required: true, readOnly: true },
          openedAt: { type: "string" },
          downloadedAt: { type: "string" },
          signedAt: { type: "string" },
        },
        indexes: {
          byCampaign: {
            pk: { field: "pk", composite: ["companyId", "campaignId"] },
            sk: { field: "sk", composite: ["partnerId"] },
          },
          byPartner: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["companyId", "partnerId"] },
            sk: { field: "gsi1sk", composite: ["campaignId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** ElectroDB leaves lists of maps untyped here: their shapes, as the entity declares them. */
export type CampaignFile = { fileId: string; fileName: string; size: number; objectKey: string };
export type CampaignDocument = {
  fileId: string;
  name: string;
  fileName: string;
  size: number;
  typeId: string;
  typeName: string;
  typology: (typeof typologies)[number];
  mustSign: boolean;
  retentionMonths: number;
  signDays?: number;
  seal: boolean;
  objectKey: string;
  sealed?: boolean;
};
export const filesOf = (row: { files?: unknown }) => (row.files ?? []) as CampaignFile[];
export const documentsOf = (row: { documents?: unknown }) => (row.documents ?? []) as CampaignDocument[];
export const categoriesOf = (row: { categoryIds?: unknown }) => (row.categoryIds ?? []) as string[];

/** The sparse index's partition: the company first, as every key. */
export const activeTriggerOf = (companyId: string, trigger: { typeId: string } | "recipients") =>
  trigger === "recipients" ? `${companyId}#recipients` : `${companyId}#type#${trigger.typeId}`;
