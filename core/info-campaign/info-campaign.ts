import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { formatInTimeZone } from "date-fns-tz";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId } from "../actor";
import { Audit } from "../audit";
import { sniff } from "../campaign/file-sniff";
import { isConditionalFailure, transactWrite, write } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Partner } from "../partner";
import { PartnerEntity } from "../partner/partner.entity";
import * as Storage from "../platform/storage";
import * as ScheduleWindow from "../schedule-window";
import { Usage } from "../usage";
import { safeName } from "../vault/files";
import * as Types from "../vault/types";
import { DocumentEntity } from "../vault/vault.entity";
import {
  categoriesOf,
  documentsOf,
  filesOf,
  InfoCampaignEntity,
  InfoCampaignReachEntity,
} from "./info-campaign.entity";
import {
  type Content,
  type Documents,
  limits,
  logoTypes,
  type Population,
  Settings,
  Step,
  Upload,
} from "./info-campaign.types";

export const useManager = Partner.useManager;

export type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof InfoCampaignEntity.get>["go"]>>["data"]>;

/** Partners' Document items of a campaign share this batch id: the byBatch index finds them all. */
export const batchIdOf = (campaignId: string) => `info-${campaignId}`;

/** Where the Scheduler keeps a campaign's start and end: named by campaign, so a retried launch replaces them. */
export const windowOf = (companyId: string, campaignId: string) =>
  ScheduleWindow.of(["info-campaign", companyId, campaignId], (edge) => ({
    kind: edge === "start" ? ("info-campaign.activate" as const) : ("info-campaign.close" as const),
    companyId,
    campaignId,
  }));

export const scheduleName = (companyId: string, campaignId: string, edge: ScheduleWindow.Edge) =>
  windowOf(companyId, campaignId).name(edge);

/** Random, never shown: documents/ so the workers' vault grant covers them. */
const objectKeyOf = (companyId: string, campaignId: string, what: string) =>
  `documents/${companyId}/campaigns/${campaignId}/${what}-${randomBytes(16).toString("hex")}`;

export const Info = z.object({
  campaignId: z.string(),
  title: z.string(),
  startAt: z.string(),
  endAt: z.string().optional(),
  trigger: z.enum(["document_type", "recipient_type"]).optional(),
  triggerTypeId: z.string().optional(),
  categoryIds: z.array(z.string()),
  files: z.array(z.object({ fileId: z.string(), fileName: z.string(), size: z.number() })),
  documents: z.array(
    z.object({
      fileId: z.string(),
      name: z.string(),
      fileName: z.string(),
      typeId: z.string(),
      typeName: z.string(),
      mustSign: z.boolean(),
      seal: z.boolean(),
      sealed: z.boolean(),
    }),
  ),
  hasLogo: z.boolean(),
  messageFr: z.string().optional(),
  messageEn: z.string().optional(),
  status: z.enum(["draft", "scheduled", "active", "closed"]),
  reached: z.number(),
  opened: z.number(),
  downloaded: z.number(),
  signed: z.number(),
  createdByName: z.string(),
  createdAt: z.string(),
  launchedAt: z.string().optional(),
  activatedAt: z.string().optional(),
  closedAt: z.string().optional(),
});
export type Info = z.infer<typeof Info>;

export const toInfo = (row: Row): Info => ({
  campaignId: row.campaignId,
  title: row.title,
  startAt: row.startAt,
  endAt: row.endAt,
  trigger: row.trigger,
  triggerTypeId: row.triggerTypeId,
  categoryIds: categoriesOf(row),
  files: filesOf(row).map(({ fileId, fileName, size }) => ({ fileId, fileName, size })),
  documents: documentsOf(row).map((doc) => ({
    fileId: doc.fileId,
    name: doc.name,
    fileName: doc.fileName,
    typeId: doc.typeId,
    typeName: doc.typeName,
    mustSign: doc.mustSign,
    seal: doc.seal,
    sealed: Boolean(doc.sealed),
  })),
  hasLogo: Boolean(row.logoKey),
  messageFr: row.messageFr,
  messageEn: row.messageEn,
  status: row.status,
  // Shown clamped, as campaign counters are: a count never reads negative.
  reached: Math.max(0, row.reached ?? 0),
  opened: Math.max(0, row.opened ?? 0),
  downloaded: Math.max(0, row.downloaded ?? 0),
  signed: Math.max(0, row.signed ?? 0),
  createdByName: row.createdByName,
  createdAt: row.createdAt,
  launchedAt: row.launchedAt,
  activatedAt: row.activatedAt,
  closedAt: row.closedAt,
});

const notFound = () => new VisibleError("info_campaign.not_found", "Campaign not found", 404);

export async function row(campaignId: string) {
  const { data } = await InfoCampaignEntity.get({ companyId: useCompanyId(), campaignId }).go();
  if (!data) throw notFound();
  return data;
}

async function draft(campaignId: string) {
  const found = await row(campaignId);
  if (found.status !== "draft")
    throw new VisibleError("info_campaign.launched", "A launched campaign cannot be changed", 409);
  return found;
}

export const list = async () => {
  useManager();
  const found = await InfoCampaignEntity.query
    .byCompany({ companyId: useCompanyId() })
    .go({ order: "desc", pages: "all" });
  return found.data.map(toInfo);
};

export const fromId = fn(z.string().max(64), async (campaignId) => {
  useManager();
  return toInfo(await row(campaignId));
});

/** Step 1 makes the draft; the others are saved on it one by one (`saveStep`). */
export const create = fn(Settings, async (settings) => {
  const actor = useManager();
  const campaignId = ulid();
  await InfoCampaignEntity.create({
    companyId: useCompanyId(),
    campaignId,
    title: settings.title,
    startAt: new Date(settings.startAt).toISOString(),
    endAt: settings.endAt ? new Date(settings.endAt).toISOString() : undefined,
    status: "draft",
    categoryIds: [],
    files: [],
    documents: [],
    createdBy: actor.userId,
    createdByName: actor.name,
    createdAt: new Date().toISOString(),
  }).go();
  await Audit.record("info_campaign.created", {
    target: { type: "info_campaign", id: campaignId, label: settings.title },
  });
  return toInfo(await row(campaignId));
});

/** Writes a draft only: a launch racing the wizard's last save wins, and the save is refused. */
const draftKey = (campaignId: string) => ({ companyId: useCompanyId(), campaignId });

async function savePopulation(current: Row, population: z.output<typeof Population>) {
  const known = new Set((await Partner.categories()).map((category) => category.categoryId));
  const unknown = population.categoryIds.find((categoryId) => !known.has(categoryId));
  if (unknown)
    throw new VisibleError("info_campaign.category_unknown", "Unknown partner category", 400, {
      fields: [{ path: "categoryIds", message: "Unknown partner category" }],
    });
  if (current.trigger === "document_type") {
    if (!population.triggerTypeId)
      throw new VisibleError("info_campaign.type_required", "Pick the document type that triggers it", 400, {
        fields: [{ path: "triggerTypeId", message: "Pick a document type" }],
      });
    await Types.byId(population.triggerTypeId);
  }
  const categoryIds = [...new Set(population.categoryIds)];
  if (current.trigger === "document_type" && population.triggerTypeId)
    await InfoCampaignEntity.patch(draftKey(current.campaignId))
      .set({ categoryIds, triggerTypeId: population.triggerTypeId })
      .where(({ status }, { eq }) => eq(status, "draft"))
      .go();
  else
    await InfoCampaignEntity.patch(draftKey(current.campaignId))
      .set({ categoryIds })
      .remove(["triggerTypeId"])
      .where(({ status }, { eq }) => eq(status, "draft"))
      .go();
}

async function saveDocuments(current: Row, input: z.output<typeof Documents>) {
  const files = new Map(filesOf(current).map((file) => [file.fileId, file]));
  const types = await Types.list();
  const documents = [];
  for (const [index, entry] of input.documents.entries()) {
    const file = files.get(entry.fileId);
    const type = types.find((candidate) => candidate.typeId === entry.typeId);
    if (!file)
      throw new VisibleError("info_campaign.file_unknown", "Upload the file first", 400, {
        fields: [{ path: `documents.${index}.fileId`, message: "Upload the file first" }],
      });
    if (!type)
      throw new VisibleError("vault.type_unknown", "Unknown document type", 400, {
        fields: [{ path: `documents.${index}.typeId`, message: "Unknown document type" }],
      });
    await assertPdf(file.objectKey, file.fileName);
    documents.push({
      fileId: file.fileId,
      name: entry.name,
      fileName: file.fileName,
      size: file.size,
      typeId: type.typeId,
      typeName: type.name,
      typology: type.typology,
      mustSign: type.mustSign,
      retentionMonths: type.retentionMonths,
      signDays: type.signDays,
      // A « signé par l'entreprise » type is sealed whether ticked or not, as at publication.
      seal: entry.seal || type.companySeal,
      objectKey: file.objectKey,
    });
  }
  if (documents.some((doc) => doc.seal)) {
    const { hasCertificate } = await import("../signature/seal");
    if (!(await hasCertificate()))
      throw new VisibleError(
        "signature.no_certificate",
        "Your company has no electronic signature certificate yet: an Admin adds it before documents can be signed",
        409,
      );
  }
  await InfoCampaignEntity.patch(draftKey(current.campaignId))
    .set({ documents })
    .where(({ status }, { eq }) => eq(status, "draft"))
    .go();
}

/** The uploaded bytes must be a PDF (one ranged GET): a renamed program or page is refused. */
async function assertPdf(objectKey: string, fileName: string) {
  let head: Uint8Array;
  try {
    head = await Storage.readHead("vault", objectKey, 512);
  } catch (error) {
    if (!Storage.isMissing(error)) throw error;
    throw new VisibleError("info_campaign.file_missing", `${fileName} was not uploaded`, 400);
  }
  if (sniff(head, "application/pdf") !== "ok")
    throw new VisibleError("info_campaign.not_pdf", `${fileName} is not a PDF`, 400);
}

async function saveContent(current: Row, content: z.output<typeof Content>) {
  const messages = {
    messageFr: content.messageFr,
    ...(content.messageEn ? { messageEn: content.messageEn } : {}),
  };
  if (content.logo) {
    if (!current.logoKey)
      throw new VisibleError("info_campaign.logo_missing", "Upload the logo first", 400, {
        fields: [{ path: "logo", message: "Upload the logo first" }],
      });
    let size: number;
    try {
      size = await Storage.size("vault", current.logoKey);
    } catch (error) {
      if (!Storage.isMissing(error)) throw error;
      throw new VisibleError("info_campaign.logo_missing", "Upload the logo first", 400);
    }
    if (size > limits.logoBytes)
      throw new VisibleError("info_campaign.logo_too_big", "The logo must be under 1 MB", 400);
  }
  const removed: Array<"messageEn" | "logoKey" | "logoContentType"> = content.messageEn ? [] : ["messageEn"];
  if (!content.logo && current.logoKey) {
    await Storage.remove("vault", current.logoKey);
    removed.push("logoKey", "logoContentType");
  }
  const patch = InfoCampaignEntity.patch(draftKey(current.campaignId)).set(messages);
  await (removed.length > 0 ? patch.remove(removed) : patch)
    .where(({ status }, { eq }) => eq(status, "draft"))
    .go();
}

/** Saves one step of a draft (each validated with the wizard's own schema). */
export const saveStep = fn(
  z.object({ campaignId: z.string().max(64), input: Step }),
  async ({ campaignId, input }) => {
    useManager();
    const current = await draft(campaignId);
    try {
      switch (input.step) {
        case "settings":
          await InfoCampaignEntity.patch(draftKey(campaignId))
            .set({ title: input.settings.title, startAt: new Date(input.settings.startAt).toISOString() })
            .where(({ status }, { eq }) => eq(status, "draft"))
            .go();
          if (input.settings.endAt)
            await InfoCampaignEntity.patch(draftKey(campaignId))
              .set({ endAt: new Date(input.settings.endAt).toISOString() })
              .where(({ status }, { eq }) => eq(status, "draft"))
              .go();
          else
            await InfoCampaignEntity.patch(draftKey(campaignId))
              .remove(["endAt"])
              .where(({ status }, { eq }) => eq(status, "draft"))
              .go();
          break;
        case "trigger":
          await InfoCampaignEntity.patch(draftKey(campaignId))
            .set({ trigger: input.trigger.trigger })
            .where(({ status }, { eq }) => eq(status, "draft"))
            .go();
          break;
        case "population":
          await savePopulation(current, input.population);
          break;
        case "documents":
          await saveDocuments(current, input.documents);
          break;
        case "content":
          await saveContent(current, input.content);
          break;
      }
    } catch (error) {
      if (isConditionalFailure(error))
        throw new VisibleError("info_campaign.launched", "A launched campaign cannot be changed", 409);
      throw error;
    }
    return toInfo(await row(campaignId));
  },
);

/** Step 4's upload: one presigned POST for one PDF (S3 enforces its size and type). */
export const presignFile = fn(
  z.object({ campaignId: z.string().max(64), file: Upload }),
  async ({ campaignId, file }) => {
    useManager();
    const current = await draft(campaignId);
    const fileName = safeName(file.fileName);
    if (!/\.pdf$/i.test(fileName))
      throw new VisibleError("info_campaign.not_pdf", "Campaign documents are PDF files", 400);
    if (file.size > limits.documentBytes)
      throw new VisibleError("info_campaign.too_big", "Each file must be under 20 MB", 400);
    if (filesOf(current).length >= limits.documents * 3)
      throw new VisibleError("info_campaign.too_many_files", "Too many files for one campaign", 400);
    const companyId = useCompanyId();
    const fileId = ulid();
    const objectKey = objectKeyOf(companyId, campaignId, fileId);
    await InfoCampaignEntity.patch(draftKey(campaignId))
      .append({ files: [{ fileId, fileName, size: file.size, objectKey }] })
      .where(({ status }, { eq }) => eq(status, "draft"))
      .go();
    const post = await Storage.presignUpload("vault", objectKey, {
      maxBytes: limits.documentBytes,
      contentType: "application/pdf",
    });
    return { fileId, fileName, url: post.url, fields: post.fields };
  },
);

/** Step 5's logo: PNG or JPEG under 1 MB, replacing the previous one. */
export const presignLogo = fn(
  z.object({ campaignId: z.string().max(64), file: Upload }),
  async ({ campaignId, file }) => {
    useManager();
    const current = await draft(campaignId);
    const extension = file.fileName.split(".").pop()?.toLowerCase() ?? "";
    const contentType = (logoTypes as Record<string, string>)[extension];
    if (!contentType)
      throw new VisibleError("info_campaign.logo_type", "The logo must be a PNG or JPEG image", 400);
    if (file.size > limits.logoBytes)
      throw new VisibleError("info_campaign.logo_too_big", "The logo must be under 1 MB", 400);
    const logoKey = objectKeyOf(useCompanyId(), campaignId, "logo");
    if (current.logoKey) await Storage.remove("vault", current.logoKey);
    await InfoCampaignEntity.patch(draftKey(campaignId))
      .set({ logoKey, logoContentType: contentType })
      .where(({ status }, { eq }) => eq(status, "draft"))
      .go();
    const post = await Storage.presignUpload("vault", logoKey, { maxBytes: limits.logoBytes, contentType });
    return { url: post.url, fields: post.fields };
  },
);

/** The logo's bytes (≤ 1 MB), served by the API so the pages' CSP needs no bucket origin. */
export async function logoOf(current: Row) {
  if (!current.logoKey) throw new VisibleError("info_campaign.no_logo", "No logo", 404);
  const bytes = await Storage.readBytes("vault", current.logoKey);
  return { bytes, contentType: current.logoContentType ?? "image/png" };
}

export const logo = fn(z.string().max(64), async (campaignId) => {
  useManager();
  return logoOf(await row(campaignId));
});

const storedBytes = (campaign: Row) => documentsOf(campaign).reduce((total, doc) => total + doc.size, 0);

/** What launching needs; each missing piece names its step. */
function assertComplete(current: Row, now: Date) {
  const missing = (step: string, message: string) =>
    new VisibleError("info_campaign.incomplete", message, 400, { step });
  if (current.endAt && current.endAt <= now.toISOString())
    throw missing("settings", "The end date has passed");
  if (!current.trigger) throw missing("trigger", "Choose the trigger");
  if (categoriesOf(current).length === 0) throw missing("population", "Pick the partner categories");
  if (current.trigger === "document_type" && !current.triggerTypeId)
    throw missing("population", "Pick the document type that triggers it");
  if (documentsOf(current).length === 0) throw missing("documents", "Add at least one document");
  if (!current.messageFr) throw missing("content", "Write the message");
}

/**
 * Ticked documents are sealed with the company's certificate, once: each sealed copy is stored under a new
 * key and recorded before the next, so a retried launch seals only what is left.
 */
async function sealDocuments(current: Row) {
  const documents = [...documentsOf(current)];
  if (!documents.some((doc) => doc.seal && !doc.sealed)) return;
  const { sealPdf } = await import("../signature/seal");
  for (const [index, doc] of documents.entries()) {
    if (!doc.seal || doc.sealed) continue;
    const original = await Storage.readBytes("vault", doc.objectKey);
    const sealed = await sealPdf({ pdf: original, reason: `${current.title} — ${doc.name}` });
    const objectKey = objectKeyOf(current.companyId, current.campaignId, `${doc.fileId}-sealed`);
    await Storage.put("vault", objectKey, sealed, "application/pdf");
    documents[index] = { ...doc, objectKey, size: sealed.byteLength, sealed: true };
    await InfoCampaignEntity.patch(draftKey(current.campaignId))
      .set({ documents })
      .where(({ status }, { eq }) => eq(status, "draft"))
      .go();
  }
}

/**
 * « Lancer la campagne »: seals what is ticked, then programmée; start and end are Scheduler schedules
 * (a start already past activates now). Named by campaign: a retried launch replaces its schedules.
 */
export const launch = fn(z.string().max(64), async (campaignId) => {
  useManager();
  const current = await draft(campaignId);
  const now = new Date();
  assertComplete(current, now);
  await sealDocuments(current);
  const companyId = useCompanyId();
  try {
    await transactWrite([
      write.update(
        InfoCampaignEntity.patch({ companyId, campaignId })
          .set({ status: "scheduled", launchedAt: now.toISOString() })
          .where(({ status }, { eq }) => eq(status, "draft"))
          .params(),
      ),
      // What partners receive is stored once for all of them: counted once, in the company's storage.
      Usage.storageWrite(companyId, storedBytes(await row(campaignId)), documentsOf(current).length),
      Audit.entry("info_campaign.launched", {
        target: { type: "info_campaign", id: campaignId, label: current.title },
        details: { startAt: current.startAt, endAt: current.endAt ?? null, trigger: current.trigger ?? null },
      }),
    ]);
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    throw new VisibleError("info_campaign.launched", "This campaign is already launched", 409);
  }
  await Usage.snapshotStorage(companyId, now);
  const { activate } = await import("./window");
  const endsAt = current.endAt ? new Date(current.endAt) : undefined;
  await windowOf(companyId, campaignId).schedule({ startsAt: new Date(current.startAt), endsAt, now }, () =>
    activate(campaignId),
  );
  return toInfo(await row(campaignId));
});

/** « Clôturer »: terminée now; its schedules are cancelled. Partners keep what they received. */
export const closeEarly = fn(z.string().max(64), async (campaignId) => {
  useManager();
  const current = await row(campaignId);
  if (current.status === "draft")
    throw new VisibleError("info_campaign.not_launched", "A draft is deleted, not closed", 409);
  const { close } = await import("./window");
  await close(campaignId);
  await Audit.record("info_campaign.closed", {
    target: { type: "info_campaign", id: campaignId, label: current.title },
  });
  return toInfo(await row(campaignId));
});

/**
 * Deletes a campaign: schedules cancelled, the partners' Document items it gave marked deleted, then its
 * objects (they are shared by those items), its reaches and itself.
 */
export const remove = fn(z.string().max(64), async (campaignId) => {
  useManager();
  const companyId = useCompanyId();
  const current = await row(campaignId);
  await windowOf(companyId, campaignId).cancel();
  await InfoCampaignEntity.patch({ companyId, campaignId })
    .set({ status: "closed", closedAt: current.closedAt ?? new Date().toISOString() })
    .remove(["activeTrigger", "activeSince"])
    .go();
  const now = new Date().toISOString();
  const docs = await DocumentEntity.query
    .byBatch({ companyId, batchId: batchIdOf(campaignId) })
    .go({ pages: "all" });
  for (const doc of docs.data.filter((candidate) => !candidate.deletedAt))
    await DocumentEntity.patch({ companyId, documentId: doc.documentId })
      .set({ deletedAt: now })
      .remove(["retentionDay"])
      .go({ response: "none" });
  const keys = new Set([
    ...filesOf(current).map((file) => file.objectKey),
    ...documentsOf(current).map((doc) => doc.objectKey),
    ...(current.logoKey ? [current.logoKey] : []),
  ]);
  for (const key of keys) await Storage.remove("vault", key);
  const reaches = await InfoCampaignReachEntity.query
    .byCampaign({ companyId, campaignId })
    .go({ pages: "all" });
  for (let start = 0; start < reaches.data.length; start += 25)
    await InfoCampaignReachEntity.delete(
      reaches.data.slice(start, start + 25).map(({ partnerId }) => ({ companyId, campaignId, partnerId })),
    ).go();
  try {
    await transactWrite([
      write.remove(InfoCampaignEntity.remove({ companyId, campaignId }).params()),
      ...(current.launchedAt
        ? [Usage.storageWrite(companyId, -storedBytes(current), -documentsOf(current).length)]
        : []),
      Audit.entry("info_campaign.deleted", {
        target: { type: "info_campaign", id: campaignId, label: current.title },
        details: { reached: current.reached ?? 0 },
      }),
    ]);
  } catch (error) {
    // Deleted meanwhile by another request: its storage and audit entry are written once.
    if (!isConditionalFailure(error)) throw error;
  }
  await Usage.snapshotStorage(companyId);
  return { campaignId, deleted: true };
});

/** One row per partner reached: when, and when they first opened, downloaded and signed (audited). */
export const exportReaches = fn(z.string().max(64), async (campaignId) => {
  useManager();
  const companyId = useCompanyId();
  const current = await row(campaignId);
  const reaches = (
    await InfoCampaignReachEntity.query.byCampaign({ companyId, campaignId }).go({ pages: "all" })
  ).data;
  const partners = new Map<string, Partner.Row>();
  const ids = [...new Set(reaches.map((reach) => reach.partnerId))];
  for (let start = 0; start < ids.length; start += 100) {
    const found = await PartnerEntity.get(
      ids.slice(start, start + 100).map((partnerId) => ({ companyId, partnerId })),
    ).go();
    for (const partner of found.data) partners.set(partner.partnerId, partner);
  }
  const when = (iso?: string) =>
    iso ? formatInTimeZone(new Date(iso), "Europe/Paris", "dd/MM/yyyy HH:mm") : "";
  const { Spreadsheet } = await import("../spreadsheet");
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Partenaires",
      columns: [
        { header: "Partenaire", key: "name", width: 30 },
        { header: "Matricule", key: "matricule", width: 14 },
        { header: "Atteint le", key: "reachedAt", width: 18 },
        { header: "Ouvert le", key: "openedAt", width: 18 },
        { header: "Téléchargé le", key: "downloadedAt", width: 18 },
        { header: "Signé le", key: "signedAt", width: 18 },
      ],
      rows: reaches.map((reach) => {
        const partner = partners.get(reach.partnerId);
        return {
          name: partner && !partner.erasedAt ? Partner.nameOf(partner) : "",
          matricule: partner?.erasedAt ? "" : partner?.matricule,
          reachedAt: when(reach.reachedAt),
          openedAt: when(reach.openedAt),
          downloadedAt: when(reach.downloadedAt),
          signedAt: when(reach.signedAt),
        };
      }),
    },
  ]);
  await Audit.record("info_campaign.exported", {
    target: { type: "info_campaign", id: campaignId, label: current.title },
    details: { rows: reaches.length },
  });
  const slug = current.title.replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 60);
  return { bytes: Buffer.concat(chunks), fileName: `campagne-${slug}.xlsx` };
});
