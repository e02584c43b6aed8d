import { subDays } from "date-fns";
import * as z from "zod";
import { withActor } from "../actor";
import { Audit } from "../audit";
import { isConditionalFailure, transactWrite, write } from "../db";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import * as Storage from "../platform/storage";
import { Usage } from "../usage";
import { retentionCron, retentionJob, retentionScheduleName } from "./retention-schedule";
import { DocumentEntity } from "./vault.entity";

/**
 * Documents past their type's retention are deleted once a day (03:00, Europe/Paris): the file from S3
 * (its older versions expire with the bucket's lifecycle), the document marked deleted, each deletion in
 * its company's audit log. The schedule is pure data: the Scheduler stack creates it on AWS and the local
 * cloud at start, from these same values. Days missed (an outage) are caught up: it looks a week back.
 */
const catchUpDays = 7;

export const RetentionJob = z.object({
  kind: z.literal("vault.retention"),
  companyId: z.string(),
  day: z.string().optional(),
});

export const ApplyRetention = Job.define({
  kind: "vault.retention",
  queue: "import",
  schema: RetentionJob,
  run: async (job) => applyRetention(job.day ? new Date(job.day) : new Date()),
});

export async function applyRetention(now = new Date()) {
  let deleted = 0;
  for (let back = catchUpDays; back >= 0; back--) {
    const retentionDay = subDays(now, back).toISOString().slice(0, 10);
    const found = await DocumentEntity.query.byRetention({ retentionDay }).go({ pages: "all" });
    for (const doc of found.data) {
      if (doc.deleteAfter > now.toISOString() || doc.deletedAt) continue;
      // A campaign's object is shared by every partner it reached: it goes with the campaign.
      if (!doc.infoCampaignId) {
        await Storage.remove("vault", doc.objectKey);
        if (doc.sealedObjectKey) await Storage.remove("vault", doc.sealedObjectKey);
      }
      // The partner's own signed copy is theirs alone, campaign document or not.
      if (doc.signedObjectKey) await Storage.remove("vault", doc.signedObjectKey);
      // Conditional, with the storage it frees in the same transaction: a second pass frees nothing.
      const deletion = DocumentEntity.patch({ companyId: doc.companyId, documentId: doc.documentId })
        .set({ deletedAt: now.toISOString() })
        .remove(["retentionDay"])
        .where((attr, { notExists }) => notExists(attr.deletedAt));
      const freed =
        doc.status === "published" && !doc.infoCampaignId
          ? [Usage.storageWrite(doc.companyId, -doc.size, -1)]
          : [];
      try {
        await transactWrite([write.update(deletion.params()), ...freed]);
      } catch (error) {
        if (isConditionalFailure(error)) continue;
        throw error;
      }
      if (freed.length > 0) await Usage.snapshotStorage(doc.companyId, now);
      await withActor({ type: "system", companyId: doc.companyId, reason: "retention" }, () =>
        Audit.record("vault.document_deleted", {
          target: { type: "document", id: doc.documentId, label: doc.fileName },
          details: { typeName: doc.typeName, partnerId: doc.partnerId, deleteAfter: doc.deleteAfter },
          actorName: "Conservation / Retention",
        }),
      );
      deleted++;
    }
  }
  return { deleted };
}

/** The local cloud's copy of the AWS schedule (the Scheduler stack declares the same one). */
export async function scheduleRetention() {
  await Scheduler.cron(retentionScheduleName, retentionCron, retentionJob);
}
