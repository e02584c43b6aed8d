import { addDays, addMonths } from "date-fns";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, usePartner } from "../actor";
import { isConditionalFailure, transactWrite, write } from "../db";
import { VisibleError } from "../error";
import type { Received } from "../event";
import { fn } from "../fn";
import { PartnerEntity } from "../partner/partner.entity";
import { safeName } from "../vault/files";
import { defaultSignDays } from "../vault/types";
import { DocumentEntity } from "../vault/vault.entity";
import type { DocumentPublished, DocumentSigned } from "../vault/vault.events";
import { batchIdOf, logoOf, type Row } from "./info-campaign";
import {
  activeTriggerOf,
  categoriesOf,
  documentsOf,
  InfoCampaignEntity,
  InfoCampaignReachEntity,
} from "./info-campaign.entity";

/**
 * How a campaign reaches partners: one conditional create of the reach (company, campaign, partner) in the
 * same transaction as the partner's Document items and the campaign's « atteints » counter, so whatever
 * repeats (a redelivered event, two dashboard loads at once) gives the documents once.
 */
type PartnerRow = NonNullable<Awaited<ReturnType<ReturnType<typeof PartnerEntity.get>["go"]>>["data"]>;

/** Active campaigns of one trigger, from the sparse index. */
async function activeFor(trigger: { typeId: string } | "recipients", now = new Date()) {
  const activeTrigger = activeTriggerOf(useCompanyId(), trigger);
  const found = await InfoCampaignEntity.query.byActiveTrigger({ activeTrigger }).go({ pages: "all" });
  // The index lags its table a little, and an end may fire late: the dates and the state decide.
  return found.data.filter(
    (campaign) =>
      campaign.status === "active" &&
      campaign.startAt <= now.toISOString() &&
      (!campaign.endAt || campaign.endAt > now.toISOString()),
  );
}

const targets = (campaign: Row, partner: PartnerRow) =>
  categoriesOf(campaign).some((categoryId) => categoriesOf(partner).includes(categoryId));

const fileNameOf = (name: string) => safeName(/\.pdf$/i.test(name) ? name : `${name}.pdf`);

/** Gives the campaign's documents to the partner, once; undefined when it had them already. */
export async function reach(campaign: Row, partner: PartnerRow, triggeredBy?: string) {
  const { companyId, campaignId } = campaign;
  const now = new Date();
  const docs = documentsOf(campaign).map((doc) => {
    const deleteAfter = addMonths(now, doc.retentionMonths).toISOString();
    return {
      companyId,
      documentId: ulid(),
      partnerId: partner.partnerId,
      batchId: batchIdOf(campaignId),
      typeId: doc.typeId,
      typeName: doc.typeName,
      typology: doc.typology,
      mustSign: doc.mustSign,
      fileName: fileNameOf(doc.name),
      contentType: "application/pdf",
      size: doc.size,
      objectKey: doc.objectKey,
      status: "published" as const,
      uploadedBy: campaign.createdBy,
      createdAt: now.toISOString(),
      publishedAt: now.toISOString(),
      deleteAfter,
      retentionDay: deleteAfter.slice(0, 10),
      infoCampaignId: campaignId,
      ...(doc.mustSign
        ? {
            signDays: doc.signDays ?? defaultSignDays,
            signDeadline: addDays(now, doc.signDays ?? defaultSignDays).toISOString(),
          }
        : {}),
    };
  });
  const reached = {
    campaignId,
    documentIds: docs.map((doc) => doc.documentId),
    reachedAt: now.toISOString(),
  };
  try {
    await transactWrite([
      write.put(
        InfoCampaignReachEntity.create({
          companyId,
          ...reached,
          partnerId: partner.partnerId,
          triggeredBy,
        }).params(),
      ),
      ...docs.map((doc) => write.put(DocumentEntity.create(doc).params())),
      write.update(
        InfoCampaignEntity.patch({ companyId, campaignId })
          .add({ reached: 1 })
          .where(({ status }, { eq }) => eq(status, "active"))
          .params(),
      ),
    ]);
    // To sign: reminders as for any published document (after the commit, so a repeat schedules none).
    for (const doc of docs.filter((candidate) => candidate.mustSign))
      await (await import("../vault/signing-reminders")).scheduleFirst(doc, now);
    return reached;
  } catch (error) {
    if (isConditionalFailure(error)) return undefined;
    throw error;
  }
}

export type Reached = { campaignId: string; documentIds: string[]; reachedAt: string };

/** By document type: the partner received a document of a targeted type (subscriber `info-campaigns`). */
export async function onDocumentPublished(event: Received<typeof DocumentPublished>) {
  const { partnerId, typeId, documentId } = event.payload;
  const campaigns = await activeFor({ typeId });
  if (campaigns.length === 0) return;
  const { data: partner } = await PartnerEntity.get({ companyId: useCompanyId(), partnerId }).go();
  if (!partner || partner.erasedAt) return;
  for (const campaign of campaigns)
    if (targets(campaign, partner)) await reach(campaign, partner, documentId);
}

/** A partner signed a document: a campaign's counts its partner once (subscriber `info-campaigns`). */
export async function onDocumentSigned(event: Received<typeof DocumentSigned>) {
  const { data: doc } = await DocumentEntity.get({
    companyId: useCompanyId(),
    documentId: event.payload.documentId,
  }).go();
  if (doc?.infoCampaignId) await track(doc, "signed", new Date(event.occurredAt));
}

/**
 * By recipient type: on the partner's dashboard read, the active campaigns for their categories they have
 * not received yet are given now (lazily: activation never scans the partners). Returns what it gave, which
 * the indexes read right after may not show yet.
 */
export async function materialise(partner: PartnerRow): Promise<Reached[]> {
  const targeted = (await activeFor("recipients")).filter((campaign) => targets(campaign, partner));
  if (targeted.length === 0) return [];
  const { companyId, partnerId } = partner;
  const reached = await InfoCampaignReachEntity.query
    .byPartner({ companyId, partnerId })
    .go({ pages: "all" });
  const known = new Set(reached.data.map((row) => row.campaignId));
  const added: Reached[] = [];
  for (const campaign of targeted) {
    if (known.has(campaign.campaignId)) continue;
    const given = await reach(campaign, partner);
    if (given) added.push(given);
  }
  return added;
}

export const SpaceCampaign = z.object({
  campaignId: z.string(),
  title: z.string(),
  message: z.string(),
  hasLogo: z.boolean(),
  documentIds: z.array(z.string()),
  reachedAt: z.string(),
});

/** The campaigns that reached the signed-in partner, newest first, with the message in their language. */
export async function ofPartner(language: "fr" | "en", fresh: Reached[] = []) {
  const { companyId, partnerId } = usePartner();
  const indexed = (
    await InfoCampaignReachEntity.query.byPartner({ companyId, partnerId }).go({ pages: "all" })
  ).data;
  const reached: Reached[] = [
    ...indexed,
    ...fresh.filter((given) => !indexed.some((row) => row.campaignId === given.campaignId)),
  ];
  if (reached.length === 0) return [];
  const ids = [...new Set(reached.map((row) => row.campaignId))];
  const campaigns = new Map<string, Row>();
  for (let start = 0; start < ids.length; start += 100) {
    const found = await InfoCampaignEntity.get(
      ids.slice(start, start + 100).map((campaignId) => ({ companyId, campaignId })),
    ).go();
    for (const campaign of found.data) campaigns.set(campaign.campaignId, campaign);
  }
  return reached
    .flatMap((row) => {
      const campaign = campaigns.get(row.campaignId);
      if (!campaign) return [];
      return [
        {
          campaignId: row.campaignId,
          title: campaign.title,
          message: (language === "en" && campaign.messageEn) || campaign.messageFr || "",
          hasLogo: Boolean(campaign.logoKey),
          documentIds: row.documentIds,
          reachedAt: row.reachedAt,
        },
      ];
    })
    .sort((a, b) => b.reachedAt.localeCompare(a.reachedAt));
}

/** A campaign's logo, for a partner it reached only. */
export const partnerLogo = fn(z.string().max(64), async (campaignId) => {
  const { companyId, partnerId } = usePartner();
  const [{ data: reached }, { data: campaign }] = await Promise.all([
    InfoCampaignReachEntity.get({ companyId, campaignId, partnerId }).go(),
    InfoCampaignEntity.get({ companyId, campaignId }).go(),
  ]);
  if (!reached || !campaign) throw new VisibleError("space.campaign_not_found", "Campaign not found", 404);
  return logoOf(campaign);
});

/**
 * A partner's first opening, download or signature of one of a campaign's documents: set on the reach
 * once (conditional) with the campaign's counter in the same transaction, so each counts a partner once.
 */
export async function track(
  doc: { companyId: string; partnerId: string; infoCampaignId?: string },
  kind: "opened" | "downloaded" | "signed",
  at = new Date(),
) {
  if (!doc.infoCampaignId) return;
  const key = { companyId: doc.companyId, campaignId: doc.infoCampaignId, partnerId: doc.partnerId };
  const now = at.toISOString();
  const reachWrite =
    kind === "opened"
      ? InfoCampaignReachEntity.patch(key)
          .set({ openedAt: now })
          .where(({ openedAt }, { notExists }) => notExists(openedAt))
      : kind === "downloaded"
        ? InfoCampaignReachEntity.patch(key)
            .set({ downloadedAt: now })
            .where(({ downloadedAt }, { notExists }) => notExists(downloadedAt))
        : InfoCampaignReachEntity.patch(key)
            .set({ signedAt: now })
            .where(({ signedAt }, { notExists }) => notExists(signedAt));
  const counter =
    kind === "opened" ? { opened: 1 } : kind === "downloaded" ? { downloaded: 1 } : { signed: 1 };
  try {
    await transactWrite([
      write.update(reachWrite.params()),
      write.update(
        InfoCampaignEntity.patch({ companyId: doc.companyId, campaignId: doc.infoCampaignId })
          .add(counter)
          .params(),
      ),
    ]);
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}
