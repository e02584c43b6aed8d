import { PassThrough, type Readable } from "node:stream";
import { formatInTimeZone, fromZonedTime } from "date-fns-tz";
import { encodeTime, ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency, forbidden } from "../access";
import { type Role, useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { Company } from "../company";
import { isConditionalFailure } from "../db";
import { originationFor, settingsOf } from "../delivery/settings";
import { spentThisMonth } from "../delivery/spending";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import { Spreadsheet } from "../spreadsheet";
import { sanitize } from "../template/html";
import { fold } from "../text";
import { monthOf } from "../usage/month";
import * as Attachments from "./attachments";
import { CampaignEntity, campaignStatuses, MessageEntity } from "./campaign.entity";
import * as Excluded from "./excluded";
import { assignJobs } from "./jobs";
import { channelFor, Draft, renderFor } from "./preview";
import { shown, visible } from "./read";
import { resolve } from "./recipients";
import { Summary, summarize, summaryColumns } from "./summary";

export { Counts, counts, Recipient, recipients, reclassify, report, timeline } from "./results";
export { Summary, summarize } from "./summary";

export const Info = z.object({
  campaignId: z.string(),
  kind: z.enum(["yesno", "info"]),
  title: z.string(),
  reference: z.string().optional(),
  agencyId: z.string(),
  createdBy: z.object({ userId: z.string(), name: z.string() }),
  status: z.enum(campaignStatuses),
  sendAt: z.string(),
  urgent: z.boolean(),
  counts: z.object({
    recipients: z.number(),
    sms: z.number(),
    email: z.number(),
    excluded: z.number(),
    smsUnits: z.number(),
    costMillicents: z.number(),
  }),
  /** The campaign's numbers, the same everywhere (./summary.ts). */
  outcomes: Summary,
  attachments: z.array(z.object({ fileName: z.string(), contentType: z.string(), size: z.number() })),
  resentFrom: z.string().optional(),
  createdAt: z.string(),
});
export type Info = z.infer<typeof Info>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof CampaignEntity.get>["go"]>>["data"]>;

export const toInfo = (stored: Row): Info => infoOf(shown(stored));

const infoOf = (row: Row): Info => ({
  campaignId: row.campaignId,
  kind: row.kind,
  title: row.title,
  reference: row.reference,
  agencyId: row.agencyId,
  createdBy: { userId: row.createdBy, name: row.createdByName },
  status: row.status,
  sendAt: row.sendAt,
  urgent: row.urgent,
  counts: {
    recipients: row.recipients,
    sms: row.smsCount,
    email: row.emailCount,
    excluded: row.excluded,
    smsUnits: row.smsUnits,
    costMillicents: row.costMillicents,
  },
  outcomes: summarize(row),
  resentFrom: row.resentFrom,
  attachments: ((row.attachments ?? []) as Attachments.FileInfo[]).map(({ fileName, contentType, size }) => ({
    fileName,
    contentType,
    size,
  })),
  createdAt: row.createdAt,
});

export const NewCampaign = Draft.extend({
  title: z.string().trim().min(1, "Title is required").max(200),
  reference: z.string().trim().max(100).optional(),
  agencyId: z.string().max(64),
  /** Absent or past: now. Stored in UTC; the console shows Europe/Paris. */
  sendAt: z.iso.datetime({ offset: true }).optional(),
  urgent: z.boolean().default(false),
  /** Files uploaded with `Attachments.startUpload`; `attachments` (their count) follows from them. */
  attachmentIds: z.array(z.string().max(64)).max(Attachments.limits.files).default([]),
  /** A message typed in a conversation: sent from the number that takes replies, like a question. */
  conversation: z.boolean().default(false),
});

/** The job that launches a campaign, by the Scheduler at sendAt or at once (core/delivery/dispatch.ts). */
export const LaunchJob = z.object({
  kind: z.literal("campaign.launch"),
  companyId: z.string(),
  campaignId: z.string(),
  /**
   * The time the unattended run that opened it acted at (a Scheduler occurrence's time): quiet hours are
   * judged then, as the run judged them. Absent: now.
   */
  at: z.iso.datetime().optional(),
});
export type LaunchJob = z.infer<typeof LaunchJob>;

/**
 * Creates a campaign and its rendered messages, then hands it to the delivery engine: a one-time
 * EventBridge schedule at `sendAt`, or the dispatch queue now. Send stays refused while a custom
 * variable has no value for someone.
 */
export const create = fn(NewCampaign, async (input) => {
  const actor = useUser();
  if (!canSeeAgency(actor, input.agencyId)) forbidden("You cannot send for this agency");
  if (input.urgent) await assertUrgent(actor.role, input.sendAt);
  await Agency.assertUsable([input.agencyId]);
  const files = await Attachments.resolveFiles(input.attachmentIds);
  const draft = { ...input, emailHtml: sanitize(input.emailHtml), attachments: files.length };
  const { recipients } = await resolve(draft.recipients);
  const companyId = useCompanyId();
  const campaignId = ulid();
  const company = await Company.current();
  const linkCode =
    files.length > 0
      ? await Attachments.createLink({ companyId, campaignId, companyName: company.name, files })
      : undefined;
  const link = linkCode ? Attachments.linkOf(linkCode) : undefined;
  // Emails carry the files themselves unless they are too big; then the same link as the SMS.
  const filesInEmail =
    files.length > 0 &&
    files.reduce((sum, file) => sum + file.size, 0) <= Attachments.limits.inlineEmailBytes;
  // Added after rendering and sanitising: it is ours, and its inline style would not survive the sanitiser.
  const linkBlock = link && !filesInEmail ? Attachments.linkBlock(link, files) : "";
  const messages = [];
  const missing = new Set<string>();
  const counts = { sms: 0, email: 0, excluded: 0, smsUnits: 0 };
  const excludedRecipients: Excluded.Stored[] = [];
  for (const recipient of recipients) {
    const routed = channelFor(recipient, draft);
    if (!routed.channel) {
      counts.excluded++;
      if (excludedRecipients.length < Excluded.maxKept)
        excludedRecipients.push(Excluded.kept(recipient, routed.reason));
      continue;
    }
    const rendered = renderFor(recipient, draft, routed.channel, link);
    for (const name of rendered.missing) missing.add(name);
    const name = [recipient.firstName, recipient.lastName].filter(Boolean).join(" ") || undefined;
    if (rendered.channel === "sms") {
      counts.sms++;
      counts.smsUnits += rendered.sms.units;
      messages.push({
        companyId,
        campaignId,
        messageId: ulid(),
        contactId: recipient.contactId,
        name,
        channel: "sms" as const,
        to: recipient.mobile!,
        body: rendered.text,
        units: rendered.sms.units,
        status: "scheduled" as const,
      });
    } else {
      counts.email++;
      messages.push({
        companyId,
        campaignId,
        messageId: ulid(),
        contactId: recipient.contactId,
        name,
        channel: "email" as const,
        to: recipient.email!,
        subject: rendered.subject,
        html: `${rendered.html}${linkBlock}`,
        units: 0,
        status: "scheduled" as const,
      });
    }
  }
  if (missing.size > 0) {
    const names = [...missing].map((name) => `%${name}%`).join(", ");
    throw new VisibleError("template.variables_missing", `Fill ${names} before sending`, 400, {
      fields: [...missing].map((name) => ({ path: `values.${name}`, message: "Missing value" })),
    });
  }
  if (messages.length === 0)
    throw new VisibleError("campaign.no_recipient", "Nobody can receive this message", 400);

  const now = new Date();
  const sendAt = input.sendAt && new Date(input.sendAt) > now ? new Date(input.sendAt) : now;
  const price = company.smsUnitPriceMillicents;
  const settings = await settingsOf(companyId);
  // The send jobs stop at the cap anyway (delivery/spending.ts); saying so now spares a campaign that
  // would leave nothing this month.
  if (counts.sms > 0 && monthOf(sendAt) === monthOf(now)) {
    const spent = await spentThisMonth(companyId, now);
    if (spent >= settings.monthlyCapMillicents)
      throw new VisibleError(
        "campaign.cap_reached",
        "This month's SMS spending cap is reached: no SMS can leave before next month unless the operator raises it",
        409,
      );
  }
  await putMessages(messages);
  const created = await CampaignEntity.create({
    companyId,
    campaignId,
    kind: input.kind,
    title: input.title,
    reference: input.reference || undefined,
    agencyId: input.agencyId,
    createdBy: actor.userId,
    createdByName: actor.name,
    status: "scheduled",
    sendAt: sendAt.toISOString(),
    urgent: input.urgent,
    smsBody: draft.smsBody,
    emailSubject: draft.emailSubject,
    emailHtml: draft.emailHtml,
    attachments: files,
    filesInEmail,
    fileLinkCode: linkCode,
    // Fixed at creation: what was reviewed is what leaves, even if the Admin changes identities later.
    originationIdentity: originationFor(input.conversation ? "yesno" : input.kind, settings),
    recipients: recipients.length,
    smsCount: counts.sms,
    emailCount: counts.email,
    excluded: counts.excluded,
    excludedRecipients,
    smsUnits: counts.smsUnits,
    costMillicents: counts.smsUnits * price,
    searchText: fold(`${input.title} ${input.reference ?? ""}`),
  }).go();
  await start(companyId, campaignId, sendAt, now);
  return toInfo(created.data);
});

const urgentScheduled = () =>
  new VisibleError("campaign.urgent_scheduled", "An urgent send leaves now: it cannot be scheduled", 400, {
    fields: [{ path: "sendAt", message: "Urgent sends leave now" }],
  });

/** « Urgent » skips quiet hours: only now, and only for the roles the company allows (Admin, Manager). */
async function assertUrgent(role: Role, sendAt: string | undefined) {
  if (sendAt && new Date(sendAt).getTime() > Date.now()) throw urgentScheduled();
  if (!(await settingsOf(useCompanyId())).urgentRoles.includes(role))
    forbidden("Your role cannot send urgent campaigns in this company");
}

/**
 * Writes a new campaign's messages, each with its send job, before the campaign itself so a launch never
 * finds them missing.
 */
async function putMessages(written: Extract<Parameters<typeof MessageEntity.put>[0], unknown[]>) {
  const messages = assignJobs(written);
  for (let start = 0; start < messages.length; start += 500) {
    const result = await MessageEntity.put(messages.slice(start, start + 500)).go();
    if (result.unprocessed.length > 0) throw new Error(`${result.unprocessed.length} message(s) not written`);
  }
}

/** Hands a new campaign to the delivery engine: a one-time schedule at `sendAt`, or the queue now. */
async function start(companyId: string, campaignId: string, sendAt: Date, now: Date) {
  const job: LaunchJob = { kind: "campaign.launch", companyId, campaignId };
  if (sendAt > now) await Scheduler.at(scheduleName(campaignId), sendAt, job);
  else await Job.enqueue(job);
}

/** Who a follow-up goes to: those who did not answer a question, or those it never reached. */
export const resendAudiences = ["no_answer", "not_delivered"] as const;
const audienceStatuses: Record<(typeof resendAudiences)[number], readonly string[]> = {
  no_answer: ["sent", "delivered"],
  not_delivered: ["undeliverable", "failed"],
};

/**
 * « Relancer »: a new campaign with the same messages (as rendered for each person, link included) to
 * part of a sent campaign's recipients. Opt-outs since are skipped at send time like any other send.
 */
export const resend = fn(
  z.object({
    campaignId: z.string(),
    audience: z.enum(resendAudiences).default("no_answer"),
    sendAt: z.iso.datetime({ offset: true }).optional(),
  }),
  async (input) => {
    const source = await visible(input.campaignId);
    const actor = useUser();
    if (source.status === "scheduled" || source.status === "draft" || source.status === "cancelled")
      throw new VisibleError("campaign.not_sent", "This campaign has not been sent", 409);
    if (input.audience === "no_answer" && source.kind !== "yesno")
      throw new VisibleError(
        "campaign.no_question",
        "Only a Yes/No question has people who did not answer",
        400,
      );
    const companyId = useCompanyId();
    const campaignId = ulid();
    const wanted = audienceStatuses[input.audience];
    const { data } = await MessageEntity.query
      .byCampaign({ companyId, campaignId: source.campaignId })
      .go({ pages: "all" });
    const messages = data
      .filter((message) => wanted.includes(message.status))
      .map((message) => ({
        companyId,
        campaignId,
        messageId: ulid(),
        contactId: message.contactId,
        name: message.name,
        channel: message.channel,
        to: message.to,
        body: message.body,
        subject: message.subject,
        html: message.html,
        units: message.units,
        status: "scheduled" as const,
      }));
    if (messages.length === 0)
      throw new VisibleError(
        "campaign.no_recipient",
        input.audience === "no_answer" ? "Everybody answered" : "Every message was delivered",
        400,
      );
    await putMessages(messages);
    const now = new Date();
    const sendAt = input.sendAt && new Date(input.sendAt) > now ? new Date(input.sendAt) : now;
    const sms = messages.filter((message) => message.channel === "sms");
    const smsUnits = sms.reduce((sum, message) => sum + message.units, 0);
    const price = (await Company.current()).smsUnitPriceMillicents;
    const created = await CampaignEntity.create({
      companyId,
      campaignId,
      kind: source.kind,
      title: `${source.title} (relance)`.slice(0, 200),
      reference: source.reference,
      agencyId: source.agencyId,
      createdBy: actor.userId,
      createdByName: actor.name,
      status: "scheduled",
      sendAt: sendAt.toISOString(),
      urgent: false,
      smsBody: source.smsBody,
      emailSubject: source.emailSubject,
      emailHtml: source.emailHtml,
      attachments: source.attachments,
      filesInEmail: source.filesInEmail,
      fileLinkCode: source.fileLinkCode,
      originationIdentity: source.originationIdentity,
      resentFrom: source.campaignId,
      searchText: fold(`${source.title} relance ${source.reference ?? ""}`),
      recipients: messages.length,
      smsCount: sms.length,
      emailCount: messages.length - sms.length,
      excluded: 0,
      smsUnits,
      costMillicents: smsUnits * price,
    }).go();
    await start(companyId, campaignId, sendAt, now);
    return toInfo(created.data);
  },
);

/** Cancels a campaign that has not finished: its schedule is deleted, unsent messages stay unsent. */
export const cancel = fn(z.string(), async (campaignId) => {
  const row = await visible(campaignId);
  await CampaignEntity.patch({ companyId: row.companyId, campaignId })
    .set({ status: "cancelled" })
    .where((attr, { eq }) =>
      [eq(attr.status, "scheduled"), eq(attr.status, "paused"), eq(attr.status, "sending")].join(" OR "),
    )
    .go({ response: "none" })
    .catch((error: unknown) => {
      // Only a refused condition means "already finished"; a throttle or an outage stays a 500.
      if (!isConditionalFailure(error)) throw error;
      throw new VisibleError("campaign.not_cancellable", "This campaign can no longer be cancelled", 409);
    });
  await Scheduler.cancel(scheduleName(campaignId));
  await Audit.record("campaign.cancelled", {
    target: { type: "campaign", id: campaignId, label: row.title },
  });
  return { status: "cancelled" as const };
});

/** Moves a scheduled campaign to another time (quiet hours still apply when it fires). */
export const reschedule = fn(
  z.object({ campaignId: z.string(), sendAt: z.iso.datetime({ offset: true }) }),
  async ({ campaignId, sendAt }) => {
    const row = await visible(campaignId);
    if (row.urgent) throw urgentScheduled();
    const at = new Date(sendAt);
    if (at.getTime() < Date.now() - 60_000)
      throw new VisibleError("campaign.send_at_past", "Choose a time in the future", 400, {
        fields: [{ path: "sendAt", message: "In the past" }],
      });
    await CampaignEntity.patch({ companyId: row.companyId, campaignId })
      .set({ sendAt: at.toISOString() })
      .remove(["deferredTo"])
      .where((attr, { eq }) => eq(attr.status, "scheduled"))
      .go({ response: "none" })
      .catch((error: unknown) => {
        if (!isConditionalFailure(error)) throw error;
        throw new VisibleError("campaign.not_reschedulable", "Only a scheduled campaign can be moved", 409);
      });
    const job: LaunchJob = { kind: "campaign.launch", companyId: row.companyId, campaignId };
    await Scheduler.at(scheduleName(campaignId), at, job);
    await Audit.record("campaign.rescheduled", {
      target: { type: "campaign", id: campaignId, label: row.title },
      details: { sendAt: at.toISOString() },
    });
    return { sendAt: at.toISOString() };
  },
);

export const scheduleName = (campaignId: string) => Scheduler.nameOf("campaign", campaignId);

export const fromId = fn(z.string(), async (campaignId) => toInfo(await visible(campaignId)));

/** What the campaign page shows beyond the Info: the text as written, and who was left out and why. */
export const Details = z.object({
  message: z.object({ smsBody: z.string(), emailSubject: z.string() }),
  excluded: z.object({ total: z.number(), items: z.array(Excluded.Shown) }),
});

/** One campaign as its page reads it, from a single read: the Info and the Details. */
export const withDetails = fn(
  z.string(),
  async (campaignId): Promise<{ campaign: Info } & z.infer<typeof Details>> => {
    const row = await visible(campaignId);
    return {
      campaign: toInfo(row),
      message: { smsBody: row.smsBody, emailSubject: row.emailSubject },
      excluded: {
        total: row.excluded,
        items: await Excluded.shown((row.excludedRecipients ?? []) as Excluded.Stored[]),
      },
    };
  },
);

export const Filters = z.object({
  agencyId: z.string().max(64).optional(),
  createdBy: z.string().max(64).optional(),
  kind: z.enum(["yesno", "info"]).optional(),
  status: z.enum(campaignStatuses).optional(),
  /** Created on or after / on or before these days (Europe/Paris). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Words of the title or reference, accents and case ignored. */
  q: z.string().trim().max(100).optional(),
});
export type Filters = z.infer<typeof Filters>;

/**
 * The campaigns of my agencies matching the filters, newest first. Campaign ids are ULIDs, so the
 * date range is a key range; the rest are filters DynamoDB applies while paging.
 */
function query(filters: Filters) {
  const actor = useUser();
  const parisMidnight = (day: string, plusDays = 0) =>
    fromZonedTime(`${day}T00:00:00`, "Europe/Paris").getTime() + plusDays * 86_400_000;
  const low = filters.from ? `${encodeTime(parisMidnight(filters.from), 10)}${"0".repeat(16)}` : "0";
  const high = filters.to ? `${encodeTime(parisMidnight(filters.to, 1) - 1, 10)}${"Z".repeat(16)}` : "Z";
  const words = filters.q ? fold(filters.q).split(/\s+/).filter(Boolean) : [];
  return CampaignEntity.query
    .byCompany({ companyId: useCompanyId() })
    .between({ campaignId: low }, { campaignId: high })
    .where(({ agencyId, createdBy, kind, status, searchText }, { eq, contains }) =>
      [
        actor.role === "admin"
          ? ""
          : `(${actor.agencyIds.map((id) => eq(agencyId, id)).join(" OR ") || "false"})`,
        filters.agencyId ? eq(agencyId, filters.agencyId) : "",
        filters.createdBy ? eq(createdBy, filters.createdBy) : "",
        filters.kind ? eq(kind, filters.kind) : "",
        filters.status ? eq(status, filters.status) : "",
        ...words.map((word) => contains(searchText, word)),
      ]
        .filter(Boolean)
        .join(" AND "),
    );
}

/** Campaigns of the agencies I see, newest first, filtered. */
export const list = fn(
  Filters.extend({
    cursor: z.string().max(2000).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  }),
  async ({ cursor, limit, ...filters }) => {
    const page = await query(filters).go({ order: "desc", cursor: cursor ?? null, count: limit });
    return { items: page.data.map((row) => toInfo(row as Row)), cursor: page.cursor ?? undefined };
  },
);

/**
 * Every campaign of my agencies matching the filters, newest first, counters as shown: Accueil and
 * Rapports read the same rows, with the same visibility, as Envois.
 */
export async function* visibleRows(filters: Filters, pageSize = 200) {
  const pages = query(Filters.parse(filters));
  let cursor: string | null = null;
  do {
    const page: { data: Row[]; cursor: string | null } = await pages.go({
      order: "desc",
      cursor,
      count: pageSize,
    });
    for (const stored of page.data) yield shown(stored);
    cursor = page.cursor;
  } while (cursor);
}

/** Rows of one export at most: beyond, the console asks to narrow the filters. */
export const exportLimit = 20_000;

const campaignStatusLabels: Record<string, string> = {
  draft: "Brouillon",
  scheduled: "Programmé",
  sending: "En cours",
  sent: "Envoyé",
  paused: "En pause",
  cancelled: "Annulé",
};

/** « Exporter » on Envois: every matching campaign with its counts, a streamed .xlsx with no formulas. */
export const exportAll = fn(Filters, async (filters) => {
  const paris = (at: string) => formatInTimeZone(new Date(at), "Europe/Paris", "dd/MM/yyyy HH:mm");
  const agencies = new Map(
    (await Agency.list({ includeArchived: true })).map((agency) => [agency.agencyId, agency.name]),
  );
  const pages = query(filters);
  async function* rows() {
    let cursor: string | null = null;
    let written = 0;
    do {
      const page: { data: Row[]; cursor: string | null } = await pages.go({
        order: "desc",
        cursor,
        count: 500,
      });
      for (const stored of page.data) {
        if (written++ >= exportLimit) return;
        const row = shown(stored);
        const summary = summarize(row);
        yield {
          title: row.title,
          reference: row.reference ?? "",
          kind: row.kind === "yesno" ? "Oui/Non" : "Info",
          agency: agencies.get(row.agencyId) ?? row.agencyId,
          createdBy: row.createdByName,
          status: campaignStatusLabels[row.status] ?? row.status,
          sendAt: summary.departure ? paris(summary.departure) : "",
          recipients: row.recipients,
          sms: row.smsCount,
          email: row.emailCount,
          units: row.smsUnits,
          cost: row.costMillicents / 100_000,
          ...Object.fromEntries(summaryColumns.map(({ key }) => [key, summary[key]])),
        };
      }
      cursor = page.cursor;
    } while (cursor);
  }
  const output = new PassThrough();
  Spreadsheet.writeXlsx(output, [
    {
      name: "Envois",
      columns: [
        { header: "Titre", key: "title", width: 32 },
        { header: "Référence", key: "reference", width: 14 },
        { header: "Type", key: "kind", width: 9 },
        { header: "Agence", key: "agency", width: 22 },
        { header: "Envoyé par", key: "createdBy", width: 20 },
        { header: "Statut", key: "status", width: 11 },
        { header: "Date d'envoi", key: "sendAt", width: 17 },
        { header: "Destinataires", key: "recipients", width: 12 },
        { header: "SMS", key: "sms", width: 8 },
        { header: "E-mails", key: "email", width: 8 },
        { header: "Unités SMS", key: "units", width: 10 },
        { header: "Coût (€)", key: "cost", width: 10 },
        ...summaryColumns.map(({ header, key }) => ({ header, key, width: Math.max(8, header.length + 2) })),
      ],
      rows: rows(),
    },
  ]).catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return { fileName: `envois-${new Date().toISOString().slice(0, 10)}.xlsx`, stream: output as Readable };
});

export const Message = z.object({
  messageId: z.string(),
  contactId: z.string().optional(),
  name: z.string().optional(),
  channel: z.enum(["sms", "email"]),
  to: z.string(),
  status: z.string(),
  statusReason: z.string().optional(),
  units: z.number(),
  updatedAt: z.string(),
});

export const messages = fn(
  z.object({
    campaignId: z.string(),
    cursor: z.string().max(2000).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  async (input) => {
    await visible(input.campaignId);
    const page = await MessageEntity.query
      .byCampaign({ companyId: useCompanyId(), campaignId: input.campaignId })
      .go({ cursor: input.cursor ?? null, limit: input.limit });
    return {
      items: page.data.map((row) => ({
        messageId: row.messageId,
        contactId: row.contactId,
        name: row.name,
        channel: row.channel,
        to: row.to,
        status: row.status,
        statusReason: row.statusReason,
        units: row.units,
        updatedAt: row.updatedAt,
      })),
      cursor: page.cursor ?? undefined,
    };
  },
);
