import { createHash } from "node:crypto";
import * as z from "zod";
import { useCompanyId } from "../actor";
import { Agency } from "../agency";
import { MessageEntity } from "../campaign/campaign.entity";
import { jobSize } from "../campaign/jobs";
import { launchWritten } from "../campaign/unattended";
import { CompanyEntity } from "../company/company.entity";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { Employee } from "../employee";
import { push } from "../employee/push";
import * as Job from "../job";
import { count as smsCount } from "../message/sms-segments";
import { Partner } from "../partner";
import * as Scheduler from "../platform/scheduler";
import { StaffGroup } from "../staff-group";
import { escapeHtml } from "../text";
import { AnnouncementEntity, AnnouncementNoticeEntity } from "./announcement.entity";

/**
 * Telling employees that something was published: by SMS or email through the delivery engine (an
 * information campaign, not transactional, so opt-outs, caps and statuses apply), with a link to the
 * space. Inside the company's quiet window the publication shows at once; the notifications wait for
 * its end through a Scheduler `at()`.
 */
export const NotifyJob = z.object({
  kind: z.literal("announcement.notify"),
  companyId: z.string(),
  announcementId: z.string(),
});
export type NotifyJob = z.infer<typeof NotifyJob>;

export const Notify = Job.define({
  kind: "announcement.notify",
  queue: "dispatch",
  schema: NotifyJob,
  run: async (job) => notify(job.announcementId),
});

export const notifyScheduleName = (announcementId: string) =>
  Scheduler.nameOf("announcement", announcementId, "notify");

/** At the start edge: notify now, or at the end of the quiet window. Returns when. */
export async function plan(announcementId: string, at: Date) {
  const companyId = useCompanyId();
  const when = Employee.notifyAt(at, await Employee.settings());
  await AnnouncementEntity.patch({ companyId, announcementId })
    .set({ notifyAt: when.toISOString() })
    .go({ response: "none" });
  const job: NotifyJob = { kind: "announcement.notify", companyId, announcementId };
  if (when.getTime() > at.getTime()) await Scheduler.at(notifyScheduleName(announcementId), when, job);
  else await Job.enqueue(job);
  return when;
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A ULID-shaped id fixed by the announcement and the person: a retried job writes the same messages. */
function messageIdOf(announcementId: string, partnerId: string) {
  const hash = createHash("sha256").update(`${announcementId}:${partnerId}`).digest();
  let tail = "";
  for (let index = 0; index < 16; index++) tail += crockford[hash[index]! % 32];
  return `${announcementId.slice(0, 10)}${tail}`;
}

const typeNames = {
  fr: { message: "un message", advantage: "un avantage", deal: "un bon plan", document: "un document" },
  en: { message: "a message", advantage: "an advantage", deal: "a deal", document: "a document" },
} as const;

export function notice(
  language: "fr" | "en",
  company: string,
  type: keyof (typeof typeNames)["fr"],
  title: string,
  url: string,
) {
  const what = typeNames[language][type];
  return language === "en"
    ? {
        sms: `${company}: ${what} for you, "${title}": ${url}`,
        subject: `${company}: ${title}`,
        html: `<p>${escapeHtml(company)} has published ${what} for you: <strong>${escapeHtml(title)}</strong>.</p><p><a href="${escapeHtml(url)}">Open my space</a></p>`,
      }
    : {
        sms: `${company} : ${what} pour vous, « ${title} » : ${url}`,
        subject: `${company} : ${title}`,
        html: `<p>${escapeHtml(company)} a publié ${what} pour vous : <strong>${escapeHtml(title)}</strong>.</p><p><a href="${escapeHtml(url)}">Ouvrir mon espace</a></p>`,
      };
}

type Channel = "sms" | "email";
const channelOf = (partner: Partner.Row): Channel | undefined => {
  const preferred = partner.preferredChannel ?? (partner.mobile ? "sms" : "email");
  if (preferred === "sms" && partner.mobile) return "sms";
  if (partner.email) return "email";
  return partner.mobile ? "sms" : undefined;
};

/** Writes one message per targeted employee (ids fixed, so a retry rewrites the same), then launches once. */
export async function notify(announcementId: string) {
  const companyId = useCompanyId();
  const { data: announcement } = await AnnouncementEntity.get({ companyId, announcementId }).go();
  if (!announcement || announcement.notifiedAt) return { outcome: "skipped" as const };
  if (new Date().toISOString() >= announcement.endsAt) return { outcome: "skipped" as const };
  const [{ data: company }, targets, agencies] = await Promise.all([
    CompanyEntity.get({ companyId }).go(),
    StaffGroup.employeesOf(announcement.groupIds),
    Agency.all(),
  ]);
  const campaignId = `${announcementId}-annonce`;
  const url = `${config("PUBLIC_URL")}/espace`;
  const counts = { push: 0, sms: 0, email: 0 };
  // Web Push first, for those who installed the space and allowed it; the others by SMS or email. Each
  // employee's channel is written once (a conditional create) and read back by a retried job: a push
  // sent again before its marker is one notification on the phone (same tag, same topic).
  const decided = new Map(
    (
      await AnnouncementNoticeEntity.query.byAnnouncement({ companyId, announcementId }).go({ pages: "all" })
    ).data.map((row) => [row.partnerId, row.channel] as const),
  );
  const channels = new Map<string, "push" | Channel | "none">();
  for (const partner of targets) {
    const known = decided.get(partner.partnerId);
    if (known) {
      channels.set(partner.partnerId, known);
      continue;
    }
    const title = partner.language === "en" ? announcement.titleEn : announcement.titleFr;
    const delivered = await push(
      companyId,
      partner.partnerId,
      {
        title: company?.name ?? "",
        body: title,
        url: `/espace?annonce=${announcementId}`,
        tag: announcementId,
      },
      { topic: announcementId },
    );
    const channel = delivered ? "push" : (channelOf(partner) ?? "none");
    try {
      await AnnouncementNoticeEntity.create({
        companyId,
        announcementId,
        partnerId: partner.partnerId,
        channel,
        at: new Date().toISOString(),
      }).go({ response: "none" });
      channels.set(partner.partnerId, channel);
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // Another delivery of the job decided first: its choice stands.
      const { data } = await AnnouncementNoticeEntity.get({
        companyId,
        announcementId,
        partnerId: partner.partnerId,
      }).go();
      channels.set(partner.partnerId, data?.channel ?? channel);
    }
  }
  const pushed = new Set(
    targets.filter((partner) => channels.get(partner.partnerId) === "push").map((p) => p.partnerId),
  );
  counts.push = pushed.size;
  const messages = targets.flatMap((partner) => {
    const channel = channels.get(partner.partnerId);
    if (channel !== "sms" && channel !== "email") return [];
    counts[channel]++;
    const title = partner.language === "en" ? announcement.titleEn : announcement.titleFr;
    const text = notice(partner.language, company?.name ?? "", announcement.type, title, url);
    return [
      {
        companyId,
        campaignId,
        messageId: messageIdOf(announcementId, partner.partnerId),
        contactId: partner.contactId,
        name: Partner.nameOf(partner),
        channel,
        status: "scheduled" as const,
        ...(channel === "sms"
          ? { to: partner.mobile!, body: text.sms, units: smsCount(text.sms).segments }
          : { to: partner.email!, subject: text.subject, html: text.html, units: 0 }),
      },
    ];
  });
  messages.sort((a, b) => a.messageId.localeCompare(b.messageId));
  const withJobs = messages.map((message, index) => ({
    ...message,
    jobId: messages[index - (index % jobSize)]!.messageId,
  }));
  if (withJobs.length > 0) await MessageEntity.put(withJobs).go();
  const agencyId = agencies[0]?.agencyId;
  if (withJobs.length > 0 && agencyId)
    await launchWritten({
      companyId,
      campaignId,
      title: `Annonce : ${announcement.titleFr}`,
      agencyId,
      createdBy: announcement.createdBy,
      createdByName: announcement.createdByName,
      excluded: targets.length - pushed.size - withJobs.length,
    });
  // Last: a job that crashed before this point runs again and rewrites, relaunches the same campaign.
  try {
    await AnnouncementEntity.patch({ companyId, announcementId })
      .set({
        notifiedAt: new Date().toISOString(),
        notifiedPush: counts.push,
        notifiedSms: counts.sms,
        notifiedEmail: counts.email,
      })
      .where(({ notifiedAt }, { notExists }) => notExists(notifiedAt))
      .go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
  return { outcome: "notified" as const, ...counts };
}
