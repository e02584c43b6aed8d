import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { addMonths } from "date-fns";
import { formatInTimeZone } from "date-fns-tz";
import { ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency, forbidden } from "../access";
import { useCompanyId } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { MessageEntity } from "../campaign/campaign.entity";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Job from "../job";
import { Partner } from "../partner";
import * as Storage from "../platform/storage";
import { contentTypeOf, indexOf, limits, match, type Rule, rules, safeName } from "./files";
import * as Links from "./links";
import { stateOf } from "./signature-state";
import * as Types from "./types";
import { AccessEntity, BatchEntity, DocumentEntity, LinkEntity } from "./vault.entity";

export const useManager = Partner.useManager;

export const FileEntry = z.object({
  fileName: z.string().min(1).max(500),
  size: z.number().int().min(0),
  /** A single upload names its partner; a bulk upload leaves it to the rule. */
  partnerId: z.string().max(64).optional(),
});

export const PlanInput = z.object({
  typeId: z.string().max(64),
  rule: z.enum(rules).default("matricule"),
  files: z.array(FileEntry).min(1, "Pick at least one file").max(limits.filesPerBatch),
});

export type Planned = {
  index: number;
  fileName: string;
  status: "matched" | "unmatched" | "ambiguous" | "invalid";
  reason?: string;
  partner?: { partnerId: string; name: string; matricule?: string };
  candidates?: Array<{ partnerId: string; name: string; matricule?: string }>;
};

const shown = (partner: Partner.Row) => ({
  partnerId: partner.partnerId,
  name: Partner.nameOf(partner),
  matricule: partner.matricule,
});

/** The dry run: which partner each file goes to, and what stands in the way. Writes nothing. */
export const plan = fn(PlanInput, async (input) => {
  useManager();
  await Types.byId(input.typeId);
  const partners = await Partner.all();
  const byId = new Map(partners.map((partner) => [partner.partnerId, partner]));
  const index = indexOf(partners);
  const seen = new Map<string, number>();
  const files: Planned[] = input.files.map((file, position) => {
    const fileName = safeName(file.fileName);
    const base = { index: position, fileName };
    if (!contentTypeOf(fileName))
      return { ...base, status: "invalid", reason: "Only PDF, JPEG and PNG files can be filed" };
    if (file.size === 0) return { ...base, status: "invalid", reason: "This file is empty" };
    if (file.size > limits.bytes)
      return { ...base, status: "invalid", reason: "Each file must be under 20 MB" };
    const twice = seen.get(fileName);
    seen.set(fileName, position);
    if (twice !== undefined)
      return { ...base, status: "invalid", reason: "The same file name appears twice" };
    if (file.partnerId) {
      const partner = byId.get(file.partnerId);
      if (!partner) return { ...base, status: "invalid", reason: "Unknown partner" };
      return { ...base, status: "matched", partner: shown(partner) };
    }
    const found = match(fileName, input.rule as Rule, index);
    if (found.status === "matched")
      return { ...base, status: "matched", partner: shown(byId.get(found.partnerId)!) };
    if (found.status === "ambiguous")
      return {
        ...base,
        status: "ambiguous",
        reason: "Several partners match this name",
        candidates: found.partnerIds.map((id) => shown(byId.get(id)!)),
      };
    return {
      ...base,
      status: "unmatched",
      reason:
        input.rule === "matricule"
          ? "No partner has a matricule found in this name"
          : "No partner has this name",
    };
  });
  const count = (status: Planned["status"]) => files.filter((file) => file.status === status).length;
  return {
    files,
    matched: count("matched"),
    unmatched: count("unmatched"),
    ambiguous: count("ambiguous"),
    invalid: count("invalid"),
  };
});

export const NewBatch = PlanInput.extend({
  agencyId: z.string().max(64),
  notify: z.boolean().default(true),
  linkDays: z.number().int().min(1).max(365).default(Links.defaultDays),
});

/** Random, never shown: knowing a document id or a company id names no object. */
const objectKeyOf = (companyId: string, documentId: string) =>
  `documents/${companyId}/${documentId}-${randomBytes(16).toString("hex")}`;

/**
 * Registers the matched files of a plan as documents waiting for their bytes, and returns where the
 * browser posts each one (presigned POST: S3 enforces size and type). Unmatched files are left out.
 */
export const createBatch = fn(NewBatch, async (input) => {
  const actor = useManager();
  if (!canSeeAgency(actor, input.agencyId)) forbidden("You cannot send for this agency");
  await Agency.assertUsable([input.agencyId]);
  const type = await Types.byId(input.typeId);
  const planned = await plan(input);
  const matched = planned.files.filter((file) => file.status === "matched");
  if (matched.length === 0)
    throw new VisibleError("vault.nothing_matched", "No file could be matched to a partner", 400);
  const companyId = useCompanyId();
  const batchId = ulid();
  const now = new Date();
  const deleteAfter = addMonths(now, type.retentionMonths).toISOString();
  const docs = matched.map((file) => ({
    companyId,
    documentId: ulid(),
    partnerId: file.partner!.partnerId,
    batchId,
    typeId: type.typeId,
    typeName: type.name,
    typology: type.typology,
    mustSign: type.mustSign,
    companySeal: type.companySeal,
    signDays: type.signDays,
    fileName: file.fileName,
    contentType: contentTypeOf(file.fileName)!,
    size: input.files[file.index]!.size,
    objectKey: objectKeyOf(companyId, ""),
    status: "uploading" as const,
    uploadedBy: actor.userId,
    createdAt: now.toISOString(),
    deleteAfter,
    retentionDay: deleteAfter.slice(0, 10),
  }));
  for (const doc of docs) doc.objectKey = objectKeyOf(companyId, doc.documentId);
  for (let start = 0; start < docs.length; start += 25) {
    const result = await DocumentEntity.put(docs.slice(start, start + 25)).go();
    if (result.unprocessed.length > 0)
      throw new Error(`${result.unprocessed.length} document(s) not written`);
  }
  await BatchEntity.create({
    companyId,
    batchId,
    typeId: type.typeId,
    agencyId: input.agencyId,
    linkDays: input.linkDays,
    notify: input.notify,
    status: "uploading",
    files: docs.length,
    createdBy: actor.userId,
    createdByName: actor.name,
    createdAt: now.toISOString(),
  }).go();
  const uploads = await Promise.all(
    docs.map(async (doc) => {
      const post = await Storage.presignUpload("vault", doc.objectKey, {
        maxBytes: limits.bytes,
        contentType: doc.contentType,
      });
      return { documentId: doc.documentId, fileName: doc.fileName, url: post.url, fields: post.fields };
    }),
  );
  return { batchId, uploads, skipped: planned.files.filter((file) => file.status !== "matched") };
});

/** Publishes an uploaded batch in the background (job `vault.publish`): sniff, file, link, notify. */
export const publish = fn(z.string().max(64), async (batchId) => {
  useManager();
  const companyId = useCompanyId();
  try {
    await BatchEntity.patch({ companyId, batchId })
      .set({ status: "publishing" })
      .where(({ status }, { eq }) => eq(status, "uploading"))
      .go();
  } catch (error) {
    const { data } = await BatchEntity.get({ companyId, batchId }).go();
    if (!data) throw new VisibleError("vault.batch_not_found", "Upload not found", 404);
    if (data.status === "uploading") throw error;
    return batchOf(data);
  }
  await Job.enqueue({ kind: "vault.publish", companyId, batchId });
  return batch(batchId);
});

type BatchRow = NonNullable<Awaited<ReturnType<ReturnType<typeof BatchEntity.get>["go"]>>["data"]>;

const batchOf = (row: BatchRow) => ({
  batchId: row.batchId,
  typeId: row.typeId,
  status: row.status,
  files: row.files,
  published: row.published,
  rejected: row.rejected,
  campaignId: row.campaignId,
  createdAt: row.createdAt,
  createdByName: row.createdByName,
  publishedAt: row.publishedAt,
});

export const batch = fn(z.string().max(64), async (batchId) => {
  useManager();
  const { data } = await BatchEntity.get({ companyId: useCompanyId(), batchId }).go();
  if (!data) throw new VisibleError("vault.batch_not_found", "Upload not found", 404);
  return batchOf(data);
});

export const batches = async () => {
  useManager();
  const found = await BatchEntity.query
    .byCompany({ companyId: useCompanyId() })
    .go({ order: "desc", limit: 50 });
  return found.data.map(batchOf);
};

type DocumentRow = NonNullable<Awaited<ReturnType<ReturnType<typeof DocumentEntity.get>["go"]>>["data"]>;

export const DocumentInfo = z.object({
  documentId: z.string(),
  partnerId: z.string(),
  batchId: z.string(),
  typeId: z.string(),
  typeName: z.string(),
  typology: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  status: z.enum(["uploading", "published", "rejected", "deleted"]),
  rejectedReason: z.string().optional(),
  createdAt: z.string(),
  publishedAt: z.string().optional(),
  notification: z
    .object({ channel: z.enum(["sms", "email"]), status: z.string(), campaignId: z.string() })
    .optional(),
  firstOpenedAt: z.string().optional(),
  lastOpenedAt: z.string().optional(),
  opens: z.number(),
  firstDownloadedAt: z.string().optional(),
  lastDownloadedAt: z.string().optional(),
  downloads: z.number(),
  deleteAfter: z.string(),
  /** Types that require the partner's signature: « À signer », « Signé » or « Expiré ». */
  signature: z
    .object({
      state: z.enum(["to_sign", "signed", "expired"]),
      deadline: z.string().optional(),
      signedAt: z.string().optional(),
      remindersSent: z.number(),
    })
    .optional(),
  /** Sealed with the company's certificate at publication. */
  sealed: z.boolean(),
});
export type DocumentInfo = z.infer<typeof DocumentInfo>;

/** Documents as staff see them, with the status of the message that announced each one. */
async function withNotifications(rows: DocumentRow[]): Promise<DocumentInfo[]> {
  const keys = rows
    .filter((row) => row.campaignId)
    .map((row) => ({ companyId: row.companyId, campaignId: row.campaignId!, messageId: row.documentId }));
  const statuses = new Map<string, string>();
  if (keys.length > 0) {
    const found = await MessageEntity.get(keys).go({ attributes: ["messageId", "status"] });
    for (const message of found.data) statuses.set(message.messageId, message.status);
  }
  return rows.map((row) => ({
    documentId: row.documentId,
    partnerId: row.partnerId,
    batchId: row.batchId,
    typeId: row.typeId,
    typeName: row.typeName,
    typology: row.typology,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    status: row.deletedAt ? "deleted" : row.status,
    rejectedReason: row.rejectedReason,
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
    notification:
      row.campaignId && row.notifiedBy
        ? {
            channel: row.notifiedBy,
            status: statuses.get(row.documentId) ?? "scheduled",
            campaignId: row.campaignId,
          }
        : undefined,
    firstOpenedAt: row.firstOpenedAt,
    lastOpenedAt: row.lastOpenedAt,
    opens: row.opens ?? 0,
    firstDownloadedAt: row.firstDownloadedAt,
    lastDownloadedAt: row.lastDownloadedAt,
    downloads: row.downloads ?? 0,
    deleteAfter: row.deleteAfter,
    signature:
      row.status === "published" && row.mustSign
        ? {
            state: stateOf(row) ?? "to_sign",
            deadline: row.signDeadline,
            signedAt: row.signedAt,
            remindersSent: row.remindersSent ?? 0,
          }
        : undefined,
    sealed: Boolean(row.sealedObjectKey),
  }));
}

export const documentsOfBatch = fn(z.string().max(64), async (batchId) => {
  useManager();
  const found = await DocumentEntity.query
    .byBatch({ companyId: useCompanyId(), batchId })
    .go({ pages: "all" });
  return withNotifications(found.data);
});

export const documentsOfPartner = fn(z.string().max(64), async (partnerId) => {
  useManager();
  await Partner.row(partnerId);
  const found = await DocumentEntity.query
    .byPartner({ companyId: useCompanyId(), partnerId })
    .go({ pages: "all", order: "desc" });
  return withNotifications(found.data);
});

export const Access = z.object({
  accessId: z.string(),
  action: z.enum(["link_opened", "signed_in", "opened", "downloaded", "signed"]),
  documentId: z.string().optional(),
  fileName: z.string().optional(),
  via: z.enum(["link", "code", "space"]).optional(),
  at: z.string(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
});

/** Everything that happened to a partner's documents, newest first. */
export const history = fn(z.string().max(64), async (partnerId) => {
  useManager();
  await Partner.row(partnerId);
  const found = await AccessEntity.query
    .byPartner({ companyId: useCompanyId(), partnerId })
    .go({ order: "desc", pages: "all" });
  return found.data.map(({ accessId, action, documentId, fileName, via, at, ip, userAgent }) => ({
    accessId,
    action,
    documentId,
    fileName,
    via,
    at,
    ip,
    userAgent,
  }));
});

/** The same history as a spreadsheet (cells go through the export's formula neutralisation). */
export const exportHistory = fn(z.string().max(64), async (partnerId) => {
  const partner = Partner.toInfo(await Partner.row(partnerId));
  const entries = await history(partnerId);
  const { Spreadsheet } = await import("../spreadsheet");
  const labels: Record<string, string> = {
    link_opened: "Lien ouvert",
    signed_in: "Connexion",
    opened: "Ouvert",
    downloaded: "Téléchargé",
    signed: "Signé",
  };
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Historique",
      columns: [
        { header: "Date (Europe/Paris)", key: "at", width: 22 },
        { header: "Action", key: "action", width: 16 },
        { header: "Document", key: "fileName", width: 40 },
        { header: "Via", key: "via", width: 10 },
        { header: "IP", key: "ip", width: 18 },
        { header: "Navigateur", key: "userAgent", width: 50 },
      ],
      rows: entries.map((entry) => ({
        at: formatInTimeZone(new Date(entry.at), "Europe/Paris", "dd/MM/yyyy HH:mm:ss"),
        action: labels[entry.action] ?? entry.action,
        fileName: entry.fileName,
        via: entry.via,
        ip: entry.ip,
        userAgent: entry.userAgent,
      })),
    },
  ]);
  const bytes = Buffer.concat(chunks);
  await Audit.record("vault.history_exported", {
    target: { type: "partner", id: partnerId, label: partner.name },
  });
  return { bytes, fileName: `historique-${partner.name.replace(/[^\p{L}\p{N}]+/gu, "-")}.xlsx` };
});

export const NewLink = z.object({
  partnerId: z.string().max(64),
  /** Absent: every published document of the partner (a personal sign-in link). */
  documentIds: z.array(z.string().max(64)).max(50).optional(),
  days: z.number().int().min(1).max(365).default(Links.defaultDays),
  maxUses: z.number().int().min(1).max(1000).optional(),
});

/** A signed link for a partner, shown once to the staff member who made it. */
export const createLink = fn(NewLink, async (input) => {
  const actor = useManager();
  const companyId = useCompanyId();
  const partner = await Partner.row(input.partnerId);
  const documentIds = input.documentIds ?? [];
  for (const documentId of documentIds) {
    const { data } = await DocumentEntity.get({ companyId, documentId }).go();
    if (!data || data.partnerId !== input.partnerId || data.status !== "published" || data.deletedAt)
      throw new VisibleError("vault.document_not_found", "Document not found", 404);
  }
  const link = Links.newLink({
    companyId,
    partnerId: partner.partnerId,
    documentIds,
    days: input.days,
    maxUses: input.maxUses,
    createdBy: actor.userId,
  });
  await LinkEntity.create(link.item).go();
  await Audit.record("vault.link_created", {
    target: { type: "partner", id: partner.partnerId, label: Partner.nameOf(partner) },
    details: { linkId: link.linkId, days: input.days, maxUses: input.maxUses ?? null },
  });
  return {
    linkId: link.linkId,
    url: link.url,
    validUntil: new Date(link.item.validUntil * 1000).toISOString(),
  };
});

export const links = fn(z.string().max(64), async (partnerId) => {
  useManager();
  await Partner.row(partnerId);
  const found = await LinkEntity.query
    .byPartner({ companyId: useCompanyId(), partnerId })
    .go({ order: "desc", pages: "all" });
  return found.data.map((link) => ({
    linkId: link.linkId,
    documentIds: link.documentIds,
    createdAt: link.createdAt,
    validUntil: new Date(link.validUntil * 1000).toISOString(),
    maxUses: link.maxUses,
    uses: link.uses,
    lastUsedAt: link.lastUsedAt,
    status: Links.Link.status(link),
  }));
});

export const revokeLink = fn(
  z.object({ partnerId: z.string().max(64), linkId: z.string().max(64) }),
  async (input) => {
    useManager();
    const companyId = useCompanyId();
    const partner = await Partner.row(input.partnerId);
    const found = await LinkEntity.query
      .byPartner({ companyId, partnerId: input.partnerId, linkId: input.linkId })
      .go();
    const link = found.data[0];
    if (!link) throw new VisibleError("vault.link_not_found", "Link not found", 404);
    if (!link.revokedAt)
      await LinkEntity.patch({ tokenHash: link.tokenHash }).set({ revokedAt: new Date().toISOString() }).go();
    await Audit.record("vault.link_revoked", {
      target: { type: "partner", id: partner.partnerId, label: Partner.nameOf(partner) },
      details: { linkId: link.linkId },
    });
    return { linkId: link.linkId, status: "revoked" as const };
  },
);
