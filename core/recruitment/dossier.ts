import type * as z from "zod";
import { forbidden } from "../access";
import { useUser } from "../actor";
import { Audit } from "../audit";
import { MessageEntity } from "../campaign/campaign.entity";
import { Contact } from "../contact";
import { isConditionalFailure, write } from "../db";
import { VisibleError } from "../error";
import { commit, type Received } from "../event";
import * as Storage from "../platform/storage";
import { fold } from "../text";
import { type Row as CampaignRow, row as campaignRow, canManage, managed, visible } from "./campaign";
import { DossierStatusChanged, type DossierSubmitted } from "./dossier.events";
import { type DossierRow, evaluatorsOf, fire, firing, recipientsOf, render, rulesOf } from "./emails";
import {
  DossierContactEntity,
  DossierEmailEntity,
  DossierEntity,
  DossierFileEntity,
} from "./recruitment.entity";
import {
  type DossierDetail,
  DossierFilters,
  type DossierSummary,
  type Field,
  limits,
  type Status,
  StatusChange,
  type StatusChanged,
  type StatusPreview,
  systemStatuses,
} from "./types";

export const notFound = () => new VisibleError("recruitment.dossier_not_found", "Dossier not found", 404);

export const fileKeyOf = (companyId: string, campaignId: string, dossierId: string, fileId: string) =>
  `recruitment/${companyId}/${campaignId}/${dossierId}/${fileId}`;

export const toSummary = (row: DossierRow): DossierSummary => ({
  dossierId: row.dossierId,
  campaignId: row.campaignId,
  statusId: row.statusId,
  firstName: row.firstName ?? "",
  lastName: row.lastName ?? "",
  email: row.email ?? "",
  mobile: row.mobile,
  contactId: row.contactId,
  evaluatorId: row.evaluatorId,
  submittedAt: row.submittedAt,
  updatedAt: row.updatedAt,
});

export async function list(
  campaignId: string,
  raw: z.input<typeof DossierFilters>,
): Promise<{ items: DossierSummary[]; cursor?: string }> {
  const filters = DossierFilters.parse(raw);
  const campaign = await visible(campaignId);
  const words = fold(filters.q ?? "")
    .split(/\s+/)
    .filter(Boolean);
  const status = filters.status;
  const draft: string = systemStatuses.draft;
  const from = filters.from ? new Date(filters.from).toISOString() : undefined;
  // A date without a time means the whole day.
  const to = filters.to
    ? new Date(
        /^\d{4}-\d{2}-\d{2}$/.test(filters.to) ? `${filters.to}T23:59:59.999Z` : filters.to,
      ).toISOString()
    : undefined;
  const { data, cursor } = await DossierEntity.query
    .byCampaign({ companyId: campaign.companyId, campaignId })
    .where((attr, op) =>
      [
        status ? op.eq(attr.statusId, status) : op.ne(attr.statusId, draft),
        filters.evaluatorId ? op.eq(attr.evaluatorId, filters.evaluatorId) : "",
        from ? op.gte(attr.submittedAt, from) : "",
        to ? op.lte(attr.submittedAt, to) : "",
        ...words.map((word) => op.contains(attr.searchText, word)),
      ]
        .filter(Boolean)
        .join(" AND "),
    )
    .go({ order: "desc", count: filters.limit ?? limits.pageSize, cursor: filters.cursor ?? null });
  return { items: data.map((found) => toSummary(found as DossierRow)), cursor: cursor ?? undefined };
}

async function dossierRow(companyId: string, campaignId: string, dossierId: string) {
  const { data } = await DossierEntity.get({ companyId, campaignId, dossierId }).go({ consistent: true });
  if (!data || data.erasedAt) throw notFound();
  return data as DossierRow;
}

/** Reads messages by key, 100 a request, keys deduplicated (BatchGetItem refuses duplicates). */
async function messagesOf(companyId: string, refs: Array<{ sendingId: string; messageId: string }>) {
  const keys = [...new Map(refs.map((ref) => [ref.messageId, ref])).values()].map((ref) => ({
    companyId,
    campaignId: ref.sendingId,
    messageId: ref.messageId,
  }));
  const found = new Map<string, { status: string; statusReason?: string; updatedAt: string }>();
  for (let start = 0; start < keys.length; start += 100) {
    const { data } = await MessageEntity.get(keys.slice(start, start + 100)).go();
    for (const message of data) found.set(message.messageId, message);
  }
  return found;
}

export async function detail(campaignId: string, dossierId: string): Promise<DossierDetail> {
  const campaign = await visible(campaignId);
  const { companyId } = campaign;
  const dossier = await dossierRow(companyId, campaignId, dossierId);
  const [files, emails] = await Promise.all([
    DossierFileEntity.query.byDossier({ companyId, dossierId }).go({ pages: "all" }),
    DossierEmailEntity.query.byDossier({ companyId, dossierId }).go({ pages: "all" }),
  ]);
  const fileOf = new Map(files.data.map((file) => [file.fileId, file]));
  const answers = (dossier.answers ?? {}) as Record<string, string>;
  const messages = await messagesOf(companyId, emails.data);
  return {
    ...toSummary(dossier),
    language: dossier.language,
    answers: await Promise.all(
      (campaign.fields as Field[]).map(async (field) => {
        const value = answers[field.fieldId];
        const file = field.kind === "file" && value ? fileOf.get(value) : undefined;
        return {
          fieldId: field.fieldId,
          kind: field.kind,
          label: field.label,
          ...(value && field.kind !== "file" ? { value } : {}),
          ...(file
            ? {
                file: {
                  fileId: file.fileId,
                  fileName: file.fileName,
                  contentType: file.contentType,
                  size: file.size,
                  url: await Storage.presignDownload(
                    "attachments",
                    fileKeyOf(companyId, campaignId, dossierId, file.fileId),
                    { fileName: file.fileName, contentType: file.contentType, expiresIn: 300 },
                  ),
                },
              }
            : {}),
        };
      }),
    ),
    history: dossier.history ?? [],
    emails: emails.data
      .sort((a, b) => a.messageId.localeCompare(b.messageId))
      .map((email) => {
        const message = messages.get(email.messageId);
        return {
          messageId: email.messageId,
          ruleId: email.ruleId,
          ruleName: email.ruleName,
          to: email.to,
          subject: email.subject,
          status: message?.status ?? "scheduled",
          reason: message?.statusReason,
          at: message?.updatedAt ?? email.at,
        };
      }),
  };
}

export async function assign(
  campaignId: string,
  dossierId: string,
  evaluatorId: string | null,
): Promise<DossierSummary> {
  const campaign = await managed(campaignId);
  const { companyId } = campaign;
  const dossier = await dossierRow(companyId, campaignId, dossierId);
  if (evaluatorId && !campaign.evaluatorIds.includes(evaluatorId))
    throw new VisibleError("request.invalid", "Not an evaluator of this campaign", 400, {
      fields: [{ path: "evaluatorId", message: "Not an evaluator of this campaign" }],
    });
  const change = DossierEntity.patch({ companyId, campaignId, dossierId });
  const { data } = await (evaluatorId
    ? change.set({ evaluatorId, updatedAt: new Date().toISOString() })
    : change.set({ updatedAt: new Date().toISOString() }).remove(["evaluatorId"])
  ).go({ response: "all_new" });
  await Audit.record("recruitment.evaluator_assigned", {
    target: {
      type: "dossier",
      id: dossierId,
      label: `${dossier.firstName ?? ""} ${dossier.lastName ?? ""}`.trim(),
    },
    details: { campaignId, evaluatorId },
  });
  return toSummary(data as DossierRow);
}

/**
 * Which dossiers of a selection a status change moves, after the checks: the status exists and is not
 * Brouillon; drafts are not moved; an evaluator (not a manager) moves only dossiers assigned to them, and
 * never to a system status.
 */
async function plan(campaignId: string, raw: z.input<typeof StatusChange>) {
  const input = StatusChange.parse(raw);
  const actor = useUser();
  const campaign = await visible(campaignId);
  const target = (campaign.statuses as Status[]).find((status) => status.statusId === input.statusId);
  if (!target || target.statusId === systemStatuses.draft)
    throw new VisibleError("request.invalid", "Not a status a dossier can be moved to", 400, {
      fields: [{ path: "statusId", message: "Unknown status, or Brouillon" }],
    });
  const manager = canManage(actor, campaign);
  if (!manager && target.system) forbidden("Evaluators cannot move dossiers to Soumis");
  const ids = [...new Set(input.dossierIds)];
  const dossiers: DossierRow[] = [];
  for (let start = 0; start < ids.length; start += 100) {
    const { data } = await DossierEntity.get(
      ids
        .slice(start, start + 100)
        .map((dossierId) => ({ companyId: campaign.companyId, campaignId, dossierId })),
    ).go({ consistent: true });
    dossiers.push(...(data as DossierRow[]));
  }
  const live = dossiers.filter((dossier) => !dossier.erasedAt && dossier.statusId !== systemStatuses.draft);
  if (live.length !== ids.length) throw notFound();
  if (!manager && live.some((dossier) => dossier.evaluatorId !== actor.userId))
    forbidden("Evaluators move only the dossiers assigned to them");
  const moving = live.filter((dossier) => dossier.statusId !== target.statusId);
  return { actor, campaign, target, moving, unchanged: live.length - moving.length };
}

/** The emails a change would send, by the same resolution as the sending (emails.ts `recipientsOf`). */
async function emailsOf(campaign: CampaignRow, statusId: string, dossiers: DossierRow[]) {
  const rules = firing(await rulesOf(campaign.companyId, campaign.campaignId), "manager", statusId);
  const evaluators = rules.some((rule) => rule.recipients.evaluators) ? await evaluatorsOf(campaign) : [];
  return rules.map((rule) => ({
    rule,
    recipients: dossiers.map((dossier) => ({ dossier, to: recipientsOf(rule, dossier, evaluators) })),
  }));
}

export async function previewStatus(
  campaignId: string,
  input: z.input<typeof StatusChange>,
): Promise<z.infer<typeof StatusPreview>> {
  const { campaign, target, moving } = await plan(campaignId, input);
  const planned = await emailsOf(campaign, target.statusId, moving);
  const counts = planned.map(({ rule, recipients }) => ({
    ruleId: rule.ruleId,
    name: rule.name,
    emails: recipients.reduce((sum, { to }) => sum + to.length, 0),
  }));
  const first = planned.flatMap(({ rule, recipients }) =>
    recipients.flatMap(({ dossier, to }) => to.map((recipient) => ({ rule, dossier, recipient }))),
  )[0];
  return {
    dossiers: moving.length,
    emails: counts.reduce((sum, rule) => sum + rule.emails, 0),
    rules: counts,
    ...(first
      ? {
          preview: await render(
            first.rule,
            { campaign, dossier: first.dossier, statusId: target.statusId },
            first.recipient,
          ),
        }
      : {}),
  };
}

/**
 * Each dossier moves in its own transaction with its `dossier.status_changed` event, on condition that its
 * status is still the one read: the event is recorded if and only if the change is. The emails follow
 * from the event (reactions.ts), once.
 */
export async function changeStatus(
  campaignId: string,
  input: z.input<typeof StatusChange>,
): Promise<z.infer<typeof StatusChanged>> {
  const { actor, campaign, target, moving, unchanged } = await plan(campaignId, input);
  const planned = await emailsOf(campaign, target.statusId, moving);
  const now = new Date().toISOString();
  let changed = 0;
  let raced = 0;
  const moved = new Set<string>();
  for (let start = 0; start < moving.length; start += 10) {
    await Promise.all(
      moving.slice(start, start + 10).map(async (dossier) => {
        const key = { companyId: campaign.companyId, campaignId, dossierId: dossier.dossierId };
        const previous = dossier.statusId;
        try {
          await commit(
            [
              write.update(
                DossierEntity.patch(key)
                  .set({ statusId: target.statusId, updatedAt: now })
                  .append({
                    history: [
                      {
                        at: now,
                        from: previous,
                        to: target.statusId,
                        byUserId: actor.userId,
                        byName: actor.name,
                      },
                    ],
                  })
                  .where(({ statusId }, { eq }) => eq(statusId, previous))
                  .params(),
              ),
            ],
            [
              DossierStatusChanged.create({
                dossierId: dossier.dossierId,
                campaignId,
                status: target.statusId,
                previousStatus: previous,
                changedBy: actor.userId,
              }),
            ],
          );
          changed++;
          moved.add(dossier.dossierId);
        } catch (error) {
          // Moved by someone else meanwhile: left as they put it.
          if (!isConditionalFailure(error)) throw error;
          raced++;
        }
      }),
    );
  }
  const emails = planned.reduce(
    (sum, { recipients }) =>
      sum +
      recipients
        .filter(({ dossier }) => moved.has(dossier.dossierId))
        .reduce((n, { to }) => n + to.length, 0),
    0,
  );
  await Audit.record("recruitment.status_changed", {
    target: { type: "recruitmentCampaign", id: campaignId, label: campaign.title },
    details: { statusId: target.statusId, dossiers: changed, emails },
  });
  return { changed, unchanged: unchanged + raced, emails };
}

/** Links a submitted dossier to the contact with its email or mobile in the campaign's agency, or a new one. */
export async function linkContact(campaign: CampaignRow, dossier: DossierRow) {
  if (dossier.contactId) return dossier.contactId;
  const attempt = async (withMobile: boolean) => {
    const { value, issues } = Contact.normalize({
      firstName: dossier.firstName,
      lastName: dossier.lastName,
      email: dossier.email,
      ...(withMobile && dossier.mobile ? { mobile: dossier.mobile } : {}),
    });
    if (issues.length > 0 && withMobile) return undefined;
    // Typed on a public form: it may link to the person's contact, never rename or reshape it.
    const [outcome] = await Contact.upsertBatch([{ index: 0, value }], [campaign.agencyId], {
      fillOnly: true,
    });
    return outcome?.contactId;
  };
  const contactId = (await attempt(true)) ?? (await attempt(false));
  if (!contactId) return undefined;
  await DossierContactEntity.put({
    companyId: campaign.companyId,
    contactId,
    dossierId: dossier.dossierId,
    campaignId: campaign.campaignId,
  }).go({ response: "none" });
  await DossierEntity.patch({
    companyId: campaign.companyId,
    campaignId: campaign.campaignId,
    dossierId: dossier.dossierId,
  })
    .set({ contactId })
    .go({ response: "none" });
  return contactId;
}

/** The subscriber's reaction: the rules of the event's status send their emails, once per event. */
export async function react(event: Received<typeof DossierSubmitted | typeof DossierStatusChanged>) {
  const { companyId } = event;
  const { dossierId, campaignId, status } = event.payload;
  const campaign = await campaignRow(campaignId, companyId).catch(() => undefined);
  if (!campaign) return;
  const { data } = await DossierEntity.get({ companyId, campaignId, dossierId }).go({ consistent: true });
  if (!data || data.erasedAt) return;
  let dossier = data as DossierRow;
  if (event.name === "dossier.submitted" && !dossier.contactId) {
    const contactId = await linkContact(campaign, dossier);
    dossier = { ...dossier, contactId };
  }
  await fire({
    eventId: event.id,
    section: event.name === "dossier.submitted" ? "candidate" : "manager",
    statusId: status,
    campaign,
    dossier,
    changedBy: "changedBy" in event.payload ? event.payload.changedBy : undefined,
  });
}
