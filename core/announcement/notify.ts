import { createHash, randomUUID } from "node:crypto";
import * as z from "zod";
import { useCompanyId } from "../actor";
import { Agency } from "../agency";
import { MessageEntity } from "../campaign/campaign.entity";
import { jobSize } from "../campaign/jobs";
import { launchWritten } from "../campaign/unattended";
import { CompanyEntity } from "../company/company.entity";
import { eachLimited } from "../concurrency";
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
import { AnnouncementChunkEntity, AnnouncementEntity, AnnouncementNoticeEntity } from "./announcement.entity";

/**
 * Telling employees that something was published: by Web Push to those who installed the space, else by
 * SMS or email through the delivery engine (an information campaign, not transactional, so opt-outs, caps
 * and statuses apply), with a link to the space. Inside the company's quiet window the publication shows
 * at once; the notifications wait for its end through a Scheduler `at()`.
 *
 * Fan-out, as a campaign launch does: `announcement.notify` plans (the targets hashed into chunks of about
 * 200, their number fixed on the announcement by the first planning) and enqueues one
 * `announcement.notify_chunk` per chunk; a single chunk runs inline. A chunk holds a lease while it works
 * (two deliveries at once: the second waits) and decides each of its employees once (10 pushes in
 * flight, the channel marker a conditional create), so a redelivered chunk skips whoever is decided. It
 * then writes the SMS and emails of every employee of the chunk decided so (BatchWriteItem, ids fixed,
 * so written again as they were: nothing is sent before every chunk is done). A chunk done
 * adds its index to a set on the announcement (adding twice changes nothing); whoever completes the set
 * launches the campaign and writes the counts, both idempotent. Chunks rather than a continuation chain:
 * they run side by side, and a redelivered one redoes only its own slice. Hashing rather than slicing
 * the sorted list: a member added or removed between a crashed planning and its redelivery moves no one
 * else to another chunk.
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
  run: async (job, context) => notify(job.announcementId, { timeLeft: context.timeLeft }),
});

export const ChunkJob = z.object({
  kind: z.literal("announcement.notify_chunk"),
  companyId: z.string(),
  announcementId: z.string(),
  chunk: z.number().int().min(0),
  partnerIds: z.array(z.string()).max(1000),
});
export type ChunkJob = z.infer<typeof ChunkJob>;

export const NotifyChunk = Job.define({
  kind: "announcement.notify_chunk",
  queue: "dispatch",
  schema: ChunkJob,
  run: async (job, context) => notifyChunk(job, { timeLeft: context.timeLeft }),
});

export type Options = {
  /** Employees a chunk holds on average (a chunk job must fit in SQS's 256 KB). */
  chunkSize?: number;
  /** Pushes in flight inside a chunk. */
  concurrency?: number;
  timeLeft?: () => number;
  /** Where chunk jobs go: the dispatch queue; tests collect them to deliver them as they choose. */
  enqueue?: (jobs: ChunkJob[], delaySeconds?: number) => Promise<void>;
  /** Web Push; tests wrap it to crash a chunk half-way. */
  push?: typeof push;
};
export const defaults = { chunkSize: 200, concurrency: 10 };
/**
 * A chunk stops starting pushes with less than this left, and hands the rest to a copy of itself: a push
 * may take 10 s a browser (its timeout), and the consumer stops at 60 s.
 */
const reserveMs = 25_000;
/** Longer than an invocation (60 s): a lease still held belongs to a live holder. */
const leaseMs = 70_000;

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

/** The chunk of an employee among `chunks`: fixed by the id, whoever else is targeted. */
export function chunkOf(partnerId: string, chunks: number) {
  return createHash("sha256").update(partnerId).digest().readUInt32BE(0) % chunks;
}

const enqueueChunks = async (jobs: ChunkJob[], delaySeconds?: number) =>
  Job.enqueueBatch(jobs.map((job) => ({ id: String(job.chunk), job, delaySeconds })));

/** Plans the notification of an announcement: its chunk jobs, or the only chunk at once. */
export async function notify(announcementId: string, options: Options = {}) {
  const companyId = useCompanyId();
  const { data: announcement } = await AnnouncementEntity.get({ companyId, announcementId }).go();
  if (!announcement || announcement.notifiedAt) return { outcome: "skipped" as const };
  if (new Date().toISOString() >= announcement.endsAt) return { outcome: "skipped" as const };
  const targets = (await StaffGroup.employeesOf(announcement.groupIds))
    .map((partner) => partner.partnerId)
    .sort();
  const chunkSize = options.chunkSize ?? defaults.chunkSize;
  let chunks = announcement.notifyChunks;
  if (chunks === undefined) {
    chunks = Math.max(1, Math.ceil(targets.length / chunkSize));
    try {
      await AnnouncementEntity.patch({ companyId, announcementId })
        .set({ notifyChunks: chunks })
        .where(({ notifyChunks }, { notExists }) => notExists(notifyChunks))
        .go({ response: "none" });
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // A concurrent planning fixed it first: its number stands.
      const { data } = await AnnouncementEntity.get({ companyId, announcementId }).go();
      chunks = data?.notifyChunks ?? chunks;
    }
  }
  const slices = Array.from({ length: chunks }, () => [] as string[]);
  for (const partnerId of targets) slices[chunkOf(partnerId, chunks)]!.push(partnerId);
  const jobs = slices.map(
    (partnerIds, chunk): ChunkJob => ({
      kind: "announcement.notify_chunk",
      companyId,
      announcementId,
      chunk,
      partnerIds,
    }),
  );
  if (jobs.length === 1) return notifyChunk(jobs[0]!, options);
  // A redelivered planning enqueues them all again: a chunk already done finds its employees decided.
  await (options.enqueue ?? enqueueChunks)(jobs);
  return { outcome: "planned" as const, chunks };
}

/**
 * Decides each employee of one chunk once, then marks the chunk done; the last chunk done launches.
 * Whoever is decided already (an earlier delivery) is skipped. The one duplicate possible: a push sent,
 * then a crash before its marker; sent again, it carries the same tag and Topic, so it replaces itself.
 */
export async function notifyChunk(job: ChunkJob, options: Options = {}) {
  const { companyId, announcementId } = job;
  const { data: announcement } = await AnnouncementEntity.get({ companyId, announcementId }).go();
  if (!announcement || announcement.notifiedAt) return { outcome: "skipped" as const };
  const enqueue = options.enqueue ?? enqueueChunks;
  // Done before (its end crashed before the launch, or a planning delivered again): only the end again.
  if (announcement.notifiedChunks?.includes(job.chunk)) return chunkDone(job);
  const lease = await takeLease(job);
  if (!lease.taken) {
    await enqueue([job], lease.recheckSeconds);
    return { outcome: "held" as const };
  }
  let handedOver = false;
  let newlyDecided = 0;
  try {
    // Read again under the lease: a holder before this one may have finished the chunk meanwhile, and
    // its messages must not be written again once they may be sending.
    const { data: now } = await AnnouncementEntity.get({ companyId, announcementId }).go({
      consistent: true,
    });
    if (!now || now.notifiedAt || now.notifiedChunks?.includes(job.chunk)) return chunkDone(job);
    ({ handedOver, newlyDecided } = await decideChunk(job, announcement, options));
    if (!handedOver)
      await AnnouncementEntity.update({ companyId, announcementId })
        .add({ notifiedChunks: [job.chunk] })
        .go({ response: "none" });
  } finally {
    // Thrown (not a crash: nothing is left in flight) or ended: the next delivery need not wait.
    await releaseLease(job, lease.attemptId);
  }
  if (handedOver) {
    // Out of time: a copy of this job goes on with those still undecided.
    await enqueue([job]);
    return { outcome: "continued" as const, decided: newlyDecided };
  }
  return chunkDone(job, newlyDecided);
}

type Announcement = NonNullable<Awaited<ReturnType<ReturnType<typeof AnnouncementEntity.get>["go"]>>["data"]>;

async function decideChunk(job: ChunkJob, announcement: Announcement, options: Options) {
  const { companyId, announcementId } = job;
  const ids = [...new Set(job.partnerIds)].sort();
  const [{ data: company }, partners, channels] = await Promise.all([
    CompanyEntity.get({ companyId }).go(),
    StaffGroup.employeesById(ids),
    decidedAmong(companyId, announcementId, ids),
  ]);
  // Send jobs of 25 employees' positions in the chunk (fewer messages where some were pushed).
  const jobIdOf = new Map(
    ids.map((partnerId, index) => [partnerId, messageIdOf(announcementId, ids[index - (index % jobSize)]!)]),
  );
  const send = options.push ?? push;
  const url = `${config("PUBLIC_URL")}/espace`;
  const timeLeft = options.timeLeft ?? (() => Number.POSITIVE_INFINITY);
  let handedOver = false;
  let newlyDecided = 0;
  const started = Date.now();
  await eachLimited(
    partners.filter((partner) => !channels.has(partner.partnerId)),
    options.concurrency ?? defaults.concurrency,
    async (partner) => {
      // Out of time, or the lease half gone (a stalled holder must not push after it runs out).
      if (handedOver || timeLeft() < reserveMs || Date.now() - started > leaseMs / 2) {
        handedOver = true;
        return;
      }
      const title = partner.language === "en" ? announcement.titleEn : announcement.titleFr;
      const delivered = await send(
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
        newlyDecided++;
      } catch (error) {
        // Decided first by a holder whose lease ran out: its choice stands.
        if (!isConditionalFailure(error)) throw error;
        const { data } = await AnnouncementNoticeEntity.get({
          companyId,
          announcementId,
          partnerId: partner.partnerId,
        }).go({ consistent: true });
        if (data) channels.set(partner.partnerId, data.channel);
      }
    },
  );
  if (handedOver) return { handedOver, newlyDecided };
  // Everyone of the chunk decided: the messages of those told by SMS or email (again, for those decided
  // by an attempt that crashed before this point; the same ids and content).
  const messages = partners.flatMap((partner) => {
    const channel = channels.get(partner.partnerId);
    if (channel !== "sms" && channel !== "email") return [];
    const title = partner.language === "en" ? announcement.titleEn : announcement.titleFr;
    const text = notice(partner.language, company?.name ?? "", announcement.type, title, url);
    return [
      {
        companyId,
        campaignId: campaignIdOf(announcementId),
        messageId: messageIdOf(announcementId, partner.partnerId),
        jobId: jobIdOf.get(partner.partnerId)!,
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
  if (messages.length > 0) {
    const result = await MessageEntity.put(messages).go();
    if (result.unprocessed.length > 0) throw new Error(`${result.unprocessed.length} message(s) not written`);
  }
  return { handedOver, newlyDecided };
}

/** After a chunk is marked done: the one that finds every chunk done finishes. */
async function chunkDone(job: ChunkJob, decided = 0) {
  const { data: after } = await AnnouncementEntity.get({
    companyId: job.companyId,
    announcementId: job.announcementId,
  }).go({ consistent: true });
  const done = after?.notifiedChunks?.length ?? 0;
  if (!after || after.notifiedAt || done < (after.notifyChunks ?? 1))
    return { outcome: "chunk_done" as const, decided };
  return finish(job.announcementId);
}

const chunkKey = (job: ChunkJob) => ({
  companyId: job.companyId,
  announcementId: job.announcementId,
  chunk: job.chunk,
});

/** Takes the chunk's lease if it is free, released or over (as a send job's, core/delivery/send.ts). */
async function takeLease(job: ChunkJob) {
  const attemptId = randomUUID();
  const at = Date.now();
  try {
    await AnnouncementChunkEntity.update(chunkKey(job))
      .set({ attemptId, leaseUntil: at + leaseMs, expiresAt: Math.floor(at / 1000) + 7 * 86_400 })
      .where((attr, { notExists, lt }) => `${notExists(attr.leaseUntil)} OR ${lt(attr.leaseUntil, at)}`)
      .go({ response: "none" });
    return { taken: true as const, attemptId };
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
    const { data } = await AnnouncementChunkEntity.get(chunkKey(job)).go({ consistent: true });
    const left = Math.ceil(((data?.leaseUntil ?? at) - at) / 1000) + 1;
    return { taken: false as const, recheckSeconds: Math.min(900, Math.max(1, left)) };
  }
}

async function releaseLease(job: ChunkJob, attemptId: string) {
  try {
    await AnnouncementChunkEntity.patch(chunkKey(job))
      .set({ leaseUntil: 0 })
      .where((attr, { eq }) => eq(attr.attemptId, attemptId))
      .go({ response: "none" });
  } catch (error) {
    // Taken over after this attempt stalled past its lease: the new holder releases it.
    if (!isConditionalFailure(error)) throw error;
  }
}

const campaignIdOf = (announcementId: string) => `${announcementId}-annonce`;

/** The channel of each employee of `ids` decided already. */
async function decidedAmong(companyId: string, announcementId: string, ids: string[]) {
  const decided = new Map<string, "push" | Channel | "none">();
  for (let start = 0; start < ids.length; start += 100) {
    const found = await AnnouncementNoticeEntity.get(
      ids.slice(start, start + 100).map((partnerId) => ({ companyId, announcementId, partnerId })),
    ).go({ consistent: true });
    if (found.unprocessed.length > 0) throw new Error(`${found.unprocessed.length} marker(s) not read`);
    for (const row of found.data) decided.set(row.partnerId, row.channel);
  }
  return decided;
}

/**
 * Every chunk done: the counts from the markers, the campaign of the SMS and emails launched. Two chunks
 * finishing together may both get here: the campaign is created once and launched once (launchWritten,
 * the launch's own condition), and `notifiedAt` is written once.
 */
async function finish(announcementId: string) {
  const companyId = useCompanyId();
  const [{ data: announcement }, notices, agencies] = await Promise.all([
    AnnouncementEntity.get({ companyId, announcementId }).go(),
    AnnouncementNoticeEntity.query
      .byAnnouncement({ companyId, announcementId })
      .go({ pages: "all", attributes: ["channel"] }),
    Agency.all(),
  ]);
  if (!announcement) return { outcome: "skipped" as const };
  const counts = { push: 0, sms: 0, email: 0 };
  let none = 0;
  for (const { channel } of notices.data) {
    if (channel === "none") none++;
    else counts[channel]++;
  }
  const agencyId = agencies[0]?.agencyId;
  if (counts.sms + counts.email > 0 && agencyId)
    await launchWritten({
      companyId,
      campaignId: campaignIdOf(announcementId),
      title: `Annonce : ${announcement.titleFr}`,
      agencyId,
      createdBy: announcement.createdBy,
      createdByName: announcement.createdByName,
      excluded: none,
    });
  // Last: a chunk that crashed before this point runs again, finds every chunk done and gets here again.
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
