import * as z from "zod";
import { MessageEntity } from "../campaign/campaign.entity";
import { launchWritten } from "../campaign/unattended";
import { CompanyEntity } from "../company/company.entity";
import { isConditionalFailure, transactWrite, write } from "../db";
import * as Job from "../job";
import { count as smsCount } from "../message/sms-segments";
import { nameOf as partnerNameOf } from "../partner/partner";
import { PartnerEntity } from "../partner/partner.entity";
import * as Scheduler from "../platform/scheduler";
import { escapeHtml } from "../text";
import { channelOf } from "./channel";
import * as Links from "./links";
import { defaultSignDays } from "./types";
import { BatchEntity, DocumentEntity, LinkEntity } from "./vault.entity";

/**
 * Reminders of a document waiting for its partner's signature: at most 3, at a quarter, half and three
 * quarters of the time to sign, each one a message through the delivery engine (quiet hours, opt-outs,
 * caps, statuses as any campaign). One schedule per document, named for it, carries the next reminder:
 * a retried schedule replaces itself, and the signature cancels it.
 */
export const maxReminders = 3;

export const ReminderJob = z.object({
  kind: z.literal("vault.sign_reminder"),
  companyId: z.string(),
  documentId: z.string(),
  number: z.number().int().min(1).max(maxReminders),
  /** The occurrence's scheduled time (Scheduler context attribute); absent or unreplaced: now. */
  at: z.string().optional(),
});
export type ReminderJob = z.infer<typeof ReminderJob>;

export const SendReminder = Job.define({
  kind: "vault.sign_reminder",
  // With publication, whose consumer knows the vault, the public URL and the schedules.
  queue: "import",
  schema: ReminderJob,
  run: (job) => sendReminder(job),
});

export const scheduleNameOf = (documentId: string) => Scheduler.nameOf("vault-sign", documentId);

const dayMs = 86_400_000;
const reminderAt = (publishedAt: Date, signDays: number, number: number) =>
  new Date(publishedAt.getTime() + (number * signDays * dayMs) / (maxReminders + 1));

/** At publication: the deadline (returned, ISO) and the first reminder's schedule. */
export async function scheduleFirst(
  doc: { companyId: string; documentId: string; signDays?: number },
  publishedAt: Date,
) {
  const signDays = doc.signDays ?? defaultSignDays;
  await schedule(doc, 1, reminderAt(publishedAt, signDays, 1));
  return new Date(publishedAt.getTime() + signDays * dayMs).toISOString();
}

async function schedule(doc: { companyId: string; documentId: string }, number: number, date: Date) {
  await Scheduler.at(scheduleNameOf(doc.documentId), date, {
    kind: "vault.sign_reminder",
    companyId: doc.companyId,
    documentId: doc.documentId,
    number,
    at: "<aws.scheduler.scheduled-time>",
  } satisfies ReminderJob);
}

/** Signed: no more reminders. Cancelling one already fired is not an error. */
export async function cancel(documentId: string) {
  await Scheduler.cancel(scheduleNameOf(documentId));
}

const timeOf = (at: string | undefined) => {
  const time = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(time) ? new Date() : new Date(time);
};

function reminderText(
  language: "fr" | "en",
  company: string,
  typeName: string,
  deadline: string,
  url: string,
) {
  const day = new Intl.DateTimeFormat(language === "en" ? "en-GB" : "fr-FR", {
    timeZone: "Europe/Paris",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(new Date(deadline));
  return language === "en"
    ? {
        sms: `${company}: your document (${typeName}) is waiting for your signature until ${day}: ${url}`,
        subject: `To sign: ${typeName}`,
        html: `<p>${escapeHtml(company)} is waiting for your signature on <strong>${escapeHtml(typeName)}</strong>, until ${day}.</p><p><a href="${escapeHtml(url)}">Read and sign</a></p>`,
      }
    : {
        sms: `${company} : votre document (${typeName}) attend votre signature jusqu'au ${day} : ${url}`,
        subject: `À signer : ${typeName}`,
        html: `<p>${escapeHtml(company)} attend votre signature sur <strong>${escapeHtml(typeName)}</strong>, jusqu'au ${day}.</p><p><a href="${escapeHtml(url)}">Lire et signer</a></p>`,
      };
}

/**
 * Sends reminder `number` once: its message id comes from the document and the number, written with
 * the counter in one conditional transaction; a redelivered job finds it written and only relaunches
 * (idempotent). Nothing is sent for a document signed, withdrawn or past its deadline.
 */
export async function sendReminder(job: ReminderJob) {
  const { companyId, documentId, number } = job;
  const now = timeOf(job.at);
  const { data: doc } = await DocumentEntity.get({ companyId, documentId }).go();
  if (doc?.status !== "published" || doc.deletedAt || !doc.mustSign || doc.signedAt)
    return { outcome: "skipped" as const };
  if (!doc.signDeadline || doc.signDeadline <= now.toISOString()) return { outcome: "expired" as const };
  const { data: partner } = await PartnerEntity.get({ companyId, partnerId: doc.partnerId }).go();
  const channel = partner && !partner.erasedAt ? channelOf(partner) : undefined;
  const campaignId = `${documentId}-sign-${number}`;
  if (partner && channel && (doc.remindersSent ?? 0) < number) {
    const { data: company } = await CompanyEntity.get({ companyId }).go();
    const days = Math.max(1, Math.ceil((Date.parse(doc.signDeadline) - now.getTime()) / dayMs));
    const link = Links.newLink({ companyId, partnerId: doc.partnerId, documentIds: [documentId], days, now });
    const text = reminderText(
      partner.language,
      company?.name ?? "",
      doc.typeName,
      doc.signDeadline,
      link.url,
    );
    const message = {
      companyId,
      campaignId,
      messageId: campaignId,
      jobId: campaignId,
      contactId: partner.contactId,
      name: partnerNameOf(partner),
      channel,
      status: "scheduled" as const,
      ...(channel === "sms"
        ? { to: partner.mobile!, body: text.sms, units: smsCount(text.sms).segments }
        : { to: partner.email!, subject: text.subject, html: text.html, units: 0 }),
    };
    try {
      await transactWrite([
        write.update(
          DocumentEntity.patch({ companyId, documentId })
            .set({ remindersSent: number })
            .where(
              ({ remindersSent }, { notExists, lt }) =>
                `${notExists(remindersSent)} OR ${lt(remindersSent, number)}`,
            )
            .params(),
        ),
        write.put(MessageEntity.create(message).params()),
        write.put(LinkEntity.create(link.item).params()),
      ]);
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
  await launchWritten({
    companyId,
    campaignId,
    title: `Relance signature : ${doc.typeName} (${number}/${maxReminders})`,
    agencyId: await agencyOf(companyId, doc.batchId),
    createdBy: doc.uploadedBy,
    createdByName: "Relance signature",
    at: now.toISOString(),
  });
  if (number < maxReminders && doc.publishedAt) {
    const signDays = doc.signDays ?? defaultSignDays;
    const next = reminderAt(new Date(doc.publishedAt), signDays, number + 1);
    if (next.toISOString() < doc.signDeadline) await schedule(doc, number + 1, next);
  }
  return { outcome: "reminded" as const, number };
}

async function agencyOf(companyId: string, batchId: string) {
  const { data } = await BatchEntity.get({ companyId, batchId }).go({ attributes: ["agencyId"] });
  return data?.agencyId ?? "";
}
