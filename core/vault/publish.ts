import * as z from "zod";
import { Audit } from "../audit";
import { MessageEntity } from "../campaign/campaign.entity";
import { sniff } from "../campaign/file-sniff";
import { jobSize } from "../campaign/jobs";
import { launchWritten } from "../campaign/unattended";
import { CompanyEntity } from "../company/company.entity";
import { isConditionalFailure, type TransactItem, transactWrite, write } from "../db";
import { commit } from "../event";
import * as Job from "../job";
import { count as smsCount } from "../message/sms-segments";
import { nameOf } from "../partner/partner";
import { PartnerEntity } from "../partner/partner.entity";
import * as Storage from "../platform/storage";
import { escapeHtml } from "../text";
import { Usage } from "../usage";
import { channelOf } from "./channel";
import * as Links from "./links";
import * as Sealing from "./sealing";
import * as Reminders from "./signing-reminders";
import { BatchEntity, DocumentEntity, LinkEntity } from "./vault.entity";
import { DocumentPublished } from "./vault.events";

export const PublishJob = z.object({
  kind: z.literal("vault.publish"),
  companyId: z.string(),
  batchId: z.string(),
});
export type PublishJob = z.infer<typeof PublishJob>;

export const PublishBatch = Job.define({
  kind: "vault.publish",
  queue: "import",
  schema: PublishJob,
  run: async (job, context) => publishBatch(job, { timeLeft: context.timeLeft }),
});

type Partner = NonNullable<Awaited<ReturnType<ReturnType<typeof PartnerEntity.get>["go"]>>["data"]>;
export type Doc = NonNullable<Awaited<ReturnType<ReturnType<typeof DocumentEntity.get>["go"]>>["data"]>;

/** The text announcing a document, in the partner's language; GSM-7 only, so it stays one or two SMS. */
export function notice(language: "fr" | "en", company: string, typeName: string, url: string) {
  return language === "en"
    ? {
        sms: `${company}: a new document (${typeName}) is waiting for you: ${url}`,
        subject: `New document: ${typeName}`,
        html: `<p>${escapeHtml(company)} has put a new document in your space: <strong>${escapeHtml(typeName)}</strong>.</p><p><a href="${escapeHtml(url)}">Open my documents</a></p><p style="color:#6b7280;font-size:13px">This personal link works for 30 days. Do not forward it.</p>`,
      }
    : {
        sms: `${company} : un nouveau document (${typeName}) vous attend : ${url}`,
        subject: `Nouveau document : ${typeName}`,
        html: `<p>${escapeHtml(company)} a déposé un nouveau document dans votre espace : <strong>${escapeHtml(typeName)}</strong>.</p><p><a href="${escapeHtml(url)}">Ouvrir mes documents</a></p><p style="color:#6b7280;font-size:13px">Ce lien personnel est valable 30 jours. Ne le transférez pas.</p>`,
      };
}

// After the batch id, so the campaign sorts among the others by time (campaign lists are by id).
const campaignIdOf = (batchId: string) => `${batchId}-vault`;
const parallel = 25;

/**
 * Publishes a batch, each document exactly once, resumable after a crash or past the invocation's time:
 *  1. each document still `uploading` is checked (its first bytes, one ranged GET: missing, executable or
 *     not what its extension says is `rejected`, its object deleted);
 *  2. one transaction per document: uploading → published, the `document.published` event, the signed
 *     link and the message that announces it (scheduled, message id = document id). A redelivered job finds
 *     it published and skips it; nothing is announced twice, nothing is lost;
 *  3. once all are done, the announcement campaign (id from the batch, created once) goes to the delivery
 *     engine, which applies quiet hours, opt-outs, caps and statuses as for any campaign.
 */
export async function publishBatch(job: PublishJob, options: { timeLeft?: () => number } = {}) {
  const { companyId, batchId } = job;
  const { data: batch } = await BatchEntity.get({ companyId, batchId }).go();
  if (!batch || batch.status === "published") return { outcome: "skipped" as const };
  const { data: company } = await CompanyEntity.get({ companyId }).go();
  const companyName = company?.name ?? "";
  const docs = (await DocumentEntity.query.byBatch({ companyId, batchId }).go({ pages: "all" })).data;
  // Send jobs of 25 in document order, fixed by the whole batch so a retry assigns the same ones.
  const jobOf = new Map(
    docs.map((doc, index) => [doc.documentId, docs[index - (index % jobSize)]!.documentId]),
  );
  const partners = await partnersOf(companyId, docs);
  const campaignId = campaignIdOf(batchId);
  const waiting = docs.filter((doc) => doc.status === "uploading");
  let done = 0;
  for (let start = 0; start < waiting.length; start += parallel) {
    if (options.timeLeft && options.timeLeft() < 30_000) {
      await Job.enqueue(job);
      return { outcome: "continued" as const, done };
    }
    const chunk = waiting.slice(start, start + parallel);
    const outcomes = await Promise.all(
      chunk.map((doc) =>
        publishOne(doc, partners.get(doc.partnerId), {
          batch,
          companyName,
          campaignId,
          jobId: jobOf.get(doc.documentId)!,
        }),
      ),
    );
    const published = outcomes.filter((outcome) => outcome === "published").length;
    const rejected = outcomes.filter((outcome) => outcome === "rejected").length;
    if (published + rejected > 0)
      await BatchEntity.update({ companyId, batchId }).add({ published, rejected }).go({ response: "none" });
    done += chunk.length;
  }
  await finish(job, batch);
  return { outcome: "published" as const, done };
}

async function partnersOf(companyId: string, docs: Doc[]) {
  const ids = [...new Set(docs.map((doc) => doc.partnerId))];
  const found = new Map<string, Partner>();
  for (let start = 0; start < ids.length; start += 100) {
    const result = await PartnerEntity.get(
      ids.slice(start, start + 100).map((partnerId) => ({ companyId, partnerId })),
    ).go();
    for (const partner of result.data) found.set(partner.partnerId, partner);
  }
  return found;
}

type Context = {
  batch: { batchId: string; agencyId: string; linkDays: number; notify: boolean };
  companyName: string;
  campaignId: string;
  jobId: string;
};

async function publishOne(doc: Doc, partner: Partner | undefined, context: Context) {
  const key = { companyId: doc.companyId, documentId: doc.documentId };
  let reason = !partner || partner.erasedAt ? "The partner no longer exists" : await contentProblem(doc);
  const sealed = reason ? undefined : await Sealing.sealedCopy(doc);
  if (sealed && "problem" in sealed) reason = sealed.problem;
  if (reason) {
    try {
      await DocumentEntity.patch(key)
        .set({ status: "rejected", rejectedReason: reason })
        .where(({ status }, { eq }) => eq(status, "uploading"))
        .go();
      return "rejected" as const;
    } catch (error) {
      if (isConditionalFailure(error)) return "skipped" as const;
      throw error;
    }
  }
  const now = new Date();
  const link = Links.newLink({
    companyId: doc.companyId,
    partnerId: doc.partnerId,
    documentIds: [doc.documentId],
    days: context.batch.linkDays,
    now,
  });
  const channel = context.batch.notify ? channelOf(partner!) : undefined;
  // Scheduled before the commit (same name, so a retry replaces it): a crash after it loses no reminder.
  const signDeadline = doc.mustSign ? await Reminders.scheduleFirst(doc, now) : undefined;
  const writes: TransactItem[] = [
    write.update(
      DocumentEntity.patch(key)
        .set({
          status: "published",
          publishedAt: now.toISOString(),
          ...(channel ? { campaignId: context.campaignId, notifiedBy: channel } : {}),
          ...(sealed && "key" in sealed ? { sealedObjectKey: sealed.key } : {}),
          ...(signDeadline ? { signDeadline } : {}),
        })
        .where(({ status }, { eq }) => eq(status, "uploading"))
        .params(),
    ),
    write.put(LinkEntity.create(link.item).params()),
    // Its bytes count in the company's storage with the change that keeps them: once.
    Usage.storageWrite(doc.companyId, doc.size, 1),
  ];
  if (channel) {
    const text = notice(partner!.language, context.companyName, doc.typeName, link.url);
    const message = {
      companyId: doc.companyId,
      campaignId: context.campaignId,
      messageId: doc.documentId,
      jobId: context.jobId,
      contactId: partner!.contactId,
      name: nameOf(partner!),
      channel,
      status: "scheduled" as const,
      ...(channel === "sms"
        ? { to: partner!.mobile!, body: text.sms, units: smsCount(text.sms).segments }
        : { to: partner!.email!, subject: text.subject, html: text.html, units: 0 }),
    };
    writes.push(write.put(MessageEntity.create(message).params()));
  }
  try {
    await commit(writes, [
      DocumentPublished.create({
        documentId: doc.documentId,
        partnerId: doc.partnerId,
        typeId: doc.typeId,
        batchId: doc.batchId,
      }),
    ]);
    await Usage.snapshotStorage(doc.companyId, now);
    return "published" as const;
  } catch (error) {
    if (isConditionalFailure(error)) return "skipped" as const;
    throw error;
  }
}

/** Why the uploaded bytes cannot be filed, or undefined when they can (one ranged GET). */
async function contentProblem(doc: Doc) {
  let head: Uint8Array;
  try {
    head = await Storage.readHead("vault", doc.objectKey, 512);
  } catch (error) {
    if (Storage.isMissing(error)) return "The file was not uploaded";
    throw error;
  }
  const verdict = sniff(head, doc.contentType);
  if (verdict === "ok") return undefined;
  await Storage.remove("vault", doc.objectKey);
  return verdict === "executable"
    ? "Programs cannot be filed"
    : `The content of ${doc.fileName} is not what its name says (${doc.contentType})`;
}

async function finish(
  job: PublishJob,
  batch: { createdBy: string; createdByName: string; agencyId: string; typeId: string; files: number },
) {
  const { companyId, batchId } = job;
  const docs = (await DocumentEntity.query.byBatch({ companyId, batchId }).go({ pages: "all" })).data;
  const published = docs.filter((doc) => doc.status === "published");
  const announced = published.filter((doc) => doc.campaignId);
  const campaignId = campaignIdOf(batchId);
  if (announced.length > 0)
    await launchWritten({
      companyId,
      campaignId,
      title: `Documents : ${published[0]?.typeName ?? ""} (${published.length})`,
      agencyId: batch.agencyId,
      createdBy: batch.createdBy,
      createdByName: batch.createdByName,
      excluded: published.length - announced.length,
    });
  const rejected = docs.filter((doc) => doc.status === "rejected").length;
  try {
    // « Publié » and its audit entry appear together, once.
    await transactWrite([
      write.update(
        BatchEntity.patch({ companyId, batchId })
          .set({
            status: "published",
            published: published.length,
            rejected,
            publishedAt: new Date().toISOString(),
            ...(announced.length > 0 ? { campaignId } : {}),
          })
          .where(({ status }, { eq }) => eq(status, "publishing"))
          .params(),
      ),
      Audit.entry("vault.published", {
        target: { type: "batch", id: batchId, label: published[0]?.typeName ?? batchId },
        details: { published: published.length, rejected, announced: announced.length },
        onBehalfOf: { userId: batch.createdBy, name: batch.createdByName },
      }),
    ]);
  } catch (error) {
    if (isConditionalFailure(error)) return;
    throw error;
  }
}
