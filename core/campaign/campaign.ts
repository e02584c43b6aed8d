import { ulid } from "ulid";
import { z } from "zod";
import { canSeeAgency, forbidden } from "../access";
import { useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { Company } from "../company";
import { config } from "../config";
import { originationFor, settingsOf } from "../delivery/settings";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Queue from "../platform/queue";
import * as Scheduler from "../platform/scheduler";
import { sanitize } from "../template/html";
import * as Attachments from "./attachments";
import { CampaignEntity, campaignStatuses, MessageEntity } from "./campaign.entity";
import { channelFor, Draft, renderFor } from "./preview";
import { resolve } from "./recipients";

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
  attachments: z.array(z.object({ fileName: z.string(), contentType: z.string(), size: z.number() })),
  createdAt: z.string(),
});
export type Info = z.infer<typeof Info>;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof CampaignEntity.get>["go"]>>["data"]>;

export const toInfo = (row: Row): Info => ({
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
});

/** The message launched on the dispatch queue, by the Scheduler at sendAt or at once. */
export const LaunchJob = z.object({
  kind: z.literal("campaign.launch"),
  companyId: z.string(),
  campaignId: z.string(),
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
  const emailHtml =
    link && !filesInEmail ? `${draft.emailHtml}${Attachments.linkBlock(link, files)}` : draft.emailHtml;
  const messages = [];
  const missing = new Set<string>();
  const counts = { sms: 0, email: 0, excluded: 0, smsUnits: 0 };
  for (const recipient of recipients) {
    const routed = channelFor(recipient, draft);
    if (!routed.channel) {
      counts.excluded++;
      continue;
    }
    const rendered = renderFor(recipient, { ...draft, emailHtml }, routed.channel, link);
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
        html: rendered.html,
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
  for (let start = 0; start < messages.length; start += 500) {
    const result = await MessageEntity.put(messages.slice(start, start + 500)).go();
    if (result.unprocessed.length > 0) throw new Error(`${result.unprocessed.length} message(s) not written`);
  }
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
    originationIdentity: originationFor(input.kind, await settingsOf(companyId)),
    recipients: recipients.length,
    smsCount: counts.sms,
    emailCount: counts.email,
    excluded: counts.excluded,
    smsUnits: counts.smsUnits,
    costMillicents: counts.smsUnits * price,
  }).go();
  const job: LaunchJob = { kind: "campaign.launch", companyId, campaignId };
  if (sendAt > now) await Scheduler.scheduleOnce({ name: scheduleName(campaignId), at: sendAt, input: job });
  else await Queue.send(config("DISPATCH_QUEUE_URL"), job);
  return toInfo(created.data);
});

export const scheduleName = (campaignId: string) => `campaign-${campaignId}`;

async function visible(campaignId: string) {
  const actor = useUser();
  const found = await CampaignEntity.get({ companyId: useCompanyId(), campaignId }).go();
  if (!found.data || !canSeeAgency(actor, found.data.agencyId)) {
    throw new VisibleError("campaign.not_found", "Campaign not found", 404);
  }
  return found.data;
}

export const fromId = fn(z.string(), async (campaignId) => toInfo(await visible(campaignId)));

/** Campaigns of the agencies I see, newest first. */
export const list = fn(
  z.object({ cursor: z.string().max(2000).optional(), limit: z.number().int().min(1).max(100).default(50) }),
  async (input) => {
    const actor = useUser();
    const page = await CampaignEntity.query
      .byCompany({ companyId: useCompanyId() })
      .where(({ agencyId }, { eq }) =>
        actor.role === "admin" ? "" : actor.agencyIds.map((id) => eq(agencyId, id)).join(" OR ") || "false",
      )
      .go({ order: "desc", cursor: input.cursor ?? null, count: input.limit });
    return { items: page.data.map((row) => toInfo(row as Row)), cursor: page.cursor ?? undefined };
  },
);

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
