import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, usePartner, useRole } from "../actor";
import { Audit } from "../audit";
import { isConditionalFailure } from "../db";
import { Employee } from "../employee";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import * as ScheduleWindow from "../schedule-window";
import { StaffGroup } from "../staff-group";
import { graphemes } from "../text";
import { AnnouncementEntity, AnnouncementOpenEntity, announcementTypes } from "./announcement.entity";

export const titleMax = 40;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof AnnouncementEntity.get>["go"]>>["data"]>;

/** A title of at most 40 characters as people see them (an emoji with its skin tone is one). */
export const Title = z
  .string()
  .trim()
  .min(1, "A title is required")
  .refine((title) => graphemes(title) <= titleMax, { message: `${titleMax} characters at most` });

/** `www.site.fr` and `site.fr/page` become https:// addresses; anything but http(s) is refused. */
export function normaliseLink(typed: string): string | undefined {
  const trimmed = typed.trim();
  if (!trimmed) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (!url.hostname.includes(".")) return undefined;
  return url.href;
}

const Link = z
  .string()
  .max(2000)
  .optional()
  .transform((typed, context) => {
    if (!typed?.trim()) return undefined;
    const link = normaliseLink(typed);
    if (!link) context.addIssue({ code: "custom", message: "Not a web address" });
    return link;
  });

export const Input = z
  .object({
    type: z.enum(announcementTypes),
    titleFr: Title,
    titleEn: Title,
    description: z.string().trim().max(5000).optional(),
    link: Link,
    groupIds: z.array(z.string().max(64)).min(1, "Pick at least one group").max(50),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
  })
  .refine((input) => !input.startsAt || Date.parse(input.endsAt) > Date.parse(input.startsAt), {
    message: "The end must come after the start",
    path: ["endsAt"],
  });

export const Info = z.object({
  announcementId: z.string(),
  type: z.enum(announcementTypes),
  titleFr: z.string(),
  titleEn: z.string(),
  description: z.string().optional(),
  link: z.string().optional(),
  groupIds: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(["scheduled", "live", "ended"]),
  hasImage: z.boolean(),
  attachmentName: z.string().optional(),
  targeted: z.number().optional(),
  notified: z.object({ push: z.number(), sms: z.number(), email: z.number() }),
  notifyAt: z.string().optional(),
  opened: z.number(),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type Info = z.infer<typeof Info>;

const toInfo = (row: Row): Info => ({
  announcementId: row.announcementId,
  type: row.type,
  titleFr: row.titleFr,
  titleEn: row.titleEn,
  description: row.description,
  link: row.link,
  groupIds: row.groupIds,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  status: row.status,
  hasImage: Boolean(row.imagePrefix),
  attachmentName: row.attachmentName,
  targeted: row.targeted,
  notified: { push: row.notifiedPush ?? 0, sms: row.notifiedSms ?? 0, email: row.notifiedEmail ?? 0 },
  notifyAt: row.notifyAt,
  opened: row.opened,
  createdByName: row.createdByName,
  createdAt: row.createdAt,
});

export const notFound = () => new VisibleError("announcement.not_found", "Announcement not found", 404);

/** Who manages announcements: Admins and Managers. */
export const useManager = () => useRole("admin", "manager");

export const WindowJob = z.object({
  kind: z.literal("announcement.window"),
  companyId: z.string(),
  announcementId: z.string(),
  edge: ScheduleWindow.Edge,
});
export type WindowJob = z.infer<typeof WindowJob>;

/** An announcement's two edges (ULIDs are unique across companies, so the names hold no company). */
const windowOf = (announcementId: string) =>
  ScheduleWindow.of(
    ["announcement", announcementId],
    (edge): WindowJob => ({ kind: "announcement.window", companyId: useCompanyId(), announcementId, edge }),
  );

export const scheduleName = (announcementId: string, edge: ScheduleWindow.Edge) =>
  windowOf(announcementId).name(edge);

export const Window = Job.define({
  kind: "announcement.window",
  queue: "dispatch",
  schema: WindowJob,
  run: async (job) => (job.edge === "start" ? start(job.announcementId) : end(job.announcementId)),
});

/**
 * Publishes (now or at `startsAt`): the announcement is written, then the Scheduler gets its start (when
 * in the future) and its end. A start already past runs at once.
 */
export const create = fn(Input, async (input) => {
  const user = useManager();
  const companyId = useCompanyId();
  await StaffGroup.assertExist(input.groupIds);
  const now = new Date();
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const endsAt = new Date(input.endsAt);
  if (endsAt <= now)
    throw new VisibleError("announcement.ended", "The end date is already past", 400, {
      fields: [{ path: "endsAt", message: "Already past" }],
    });
  const announcementId = ulid();
  await AnnouncementEntity.create({
    companyId,
    announcementId,
    type: input.type,
    titleFr: input.titleFr,
    titleEn: input.titleEn,
    description: input.description || undefined,
    link: input.link,
    groupIds: [...new Set(input.groupIds)],
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: user.userId,
    createdByName: user.name,
  }).go();
  await windowOf(announcementId).schedule({ startsAt, endsAt, now }, () => start(announcementId, now));
  await Audit.record("announcement.published", {
    target: { type: "announcement", id: announcementId, label: input.titleFr },
  });
  return toInfo(await row(announcementId));
});

async function row(announcementId: string) {
  const { data } = await AnnouncementEntity.get({ companyId: useCompanyId(), announcementId }).go();
  if (!data) throw notFound();
  return data;
}

/** The start edge: live once (a repeated job finds it live and does nothing), targeted counted, notified. */
export async function start(announcementId: string, at = new Date()) {
  const companyId = useCompanyId();
  const announcement = await AnnouncementEntity.get({ companyId, announcementId })
    .go()
    .then((found) => found.data);
  if (!announcement) return { outcome: "gone" as const };
  const targeted = (await StaffGroup.employeesOf(announcement.groupIds)).length;
  const moved = await ScheduleWindow.move("started", () =>
    AnnouncementEntity.patch({ companyId, announcementId })
      .set({ status: "live", targeted })
      .where(({ status }, { eq }) => eq(status, "scheduled"))
      .go(),
  );
  if (moved.outcome === "skipped") return moved;
  // Loaded here only: publishing from the API must not load the delivery engine up front.
  const { plan } = await import("./notify");
  await plan(announcementId, at);
  return { outcome: "started" as const, targeted };
}

export async function end(announcementId: string) {
  const companyId = useCompanyId();
  return ScheduleWindow.move(
    "ended",
    () => AnnouncementEntity.patch({ companyId, announcementId }).set({ status: "ended" }).go(),
    "gone",
  );
}

export const list = async () => {
  useManager();
  const found = await AnnouncementEntity.query
    .byCompany({ companyId: useCompanyId() })
    .go({ order: "desc", pages: "all" });
  return found.data.map(toInfo);
};

export const fromId = fn(z.string().max(64), async (announcementId) => {
  useManager();
  return toInfo(await row(announcementId));
});

/** Withdraws an announcement: its schedules are cancelled and employees no longer see it. */
export const remove = fn(z.string().max(64), async (announcementId) => {
  useManager();
  const found = await row(announcementId);
  await Promise.all([
    windowOf(announcementId).cancel(),
    Scheduler.cancel(Scheduler.nameOf("announcement", announcementId, "notify")),
  ]);
  await AnnouncementEntity.delete({ companyId: found.companyId, announcementId }).go();
  await (await import("./image")).removeAll(found);
  await Audit.record("announcement.deleted", {
    target: { type: "announcement", id: announcementId, label: found.titleFr },
  });
});

/* The employee's side (partner space). */

export const SpaceAnnouncement = z.object({
  announcementId: z.string(),
  type: z.enum(announcementTypes),
  title: z.string(),
  description: z.string().optional(),
  link: z.string().optional(),
  startsAt: z.string(),
  endsAt: z.string(),
  imageWidths: z.array(z.number()),
  attachmentName: z.string().optional(),
  read: z.boolean(),
});
export type SpaceAnnouncement = z.infer<typeof SpaceAnnouncement>;

export const inWindow = (row: { startsAt: string; endsAt: string }, now = new Date()) => {
  const iso = now.toISOString();
  return row.startsAt <= iso && iso < row.endsAt;
};

const visibleTo = (row: Row, groups: Set<string>, now: Date) =>
  inWindow(row, now) && row.groupIds.some((groupId: string) => groups.has(groupId));

async function myGroups() {
  const employee = await Employee.useEmployee();
  return { employee, groups: await StaffGroup.groupsOf(employee.partnerId, true) };
}

const toSpace = (row: Row, language: "fr" | "en", read: boolean): SpaceAnnouncement => ({
  announcementId: row.announcementId,
  type: row.type,
  title: language === "en" ? row.titleEn : row.titleFr,
  description: row.description,
  link: row.link,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  imageWidths: row.imagePrefix ? (row.imageWidths ?? []) : [],
  attachmentName: row.attachmentName,
  read,
});

/** The signed-in employee's announcements of the moment, newest first. */
export async function mine() {
  const { employee, groups } = await myGroups();
  const { companyId, partnerId } = employee;
  const now = new Date();
  const found = await AnnouncementEntity.query.byCompany({ companyId }).go({ order: "desc", pages: "all" });
  const visible = found.data.filter((row) => visibleTo(row, groups, now));
  const read = new Set<string>();
  for (let start = 0; start < visible.length; start += 100) {
    const opened = await AnnouncementOpenEntity.get(
      visible
        .slice(start, start + 100)
        .map(({ announcementId }) => ({ companyId, announcementId, partnerId })),
    ).go();
    for (const item of opened.data) read.add(item.announcementId);
  }
  return visible.map((row) => toSpace(row, employee.language, read.has(row.announcementId)));
}

/** One announcement the employee may see; outside the groups or the window it does not exist. */
export async function visible(announcementId: string) {
  const { employee, groups } = await myGroups();
  const { data } = await AnnouncementEntity.get({ companyId: employee.companyId, announcementId }).go();
  if (!data || !visibleTo(data, groups, new Date())) throw notFound();
  return { employee, row: data };
}

/** Opens an announcement: counted once per employee, however often it is opened. */
export const open = fn(z.string().max(64), async (announcementId) => {
  const { employee, row: found } = await visible(announcementId);
  const { companyId, partnerId } = usePartner();
  try {
    await AnnouncementOpenEntity.create({
      companyId,
      announcementId,
      partnerId,
      openedAt: new Date().toISOString(),
    }).go();
    await AnnouncementEntity.patch({ companyId, announcementId }).add({ opened: 1 }).go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
  return toSpace(found, employee.language, true);
});
