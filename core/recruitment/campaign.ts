import { randomBytes } from "node:crypto";
import { ulid } from "ulid";
import type * as z from "zod";
import { canSeeAgency, forbidden } from "../access";
import { type Actor, useActor, useCompanyId, useUser } from "../actor";
import { Agency } from "../agency";
import { Audit } from "../audit";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fold } from "../text";
import { UserEntity } from "../user/user.entity";
import {
  DossierEntity,
  RecruitmentCampaignEntity,
  RecruitmentRuleEntity,
  RecruitmentSlugEntity,
} from "./recruitment.entity";
import {
  type Campaign as CampaignInfo,
  CampaignPatch,
  type CampaignSummary,
  defaultStatuses,
  type Field,
  type Label,
  NewCampaign,
  type Status,
  type StatusInput,
  systemStatuses,
} from "./types";

export type Row = NonNullable<
  Awaited<ReturnType<ReturnType<typeof RecruitmentCampaignEntity.get>["go"]>>["data"]
>;

export const publicUrlOf = (slug: string) => `${config("PUBLIC_URL")}/candidater/${slug}`;

export function stateOf(row: Pick<Row, "opensAt" | "closesAt">, now = new Date()) {
  if (now < new Date(row.opensAt)) return "upcoming" as const;
  if (now >= new Date(row.closesAt)) return "closed" as const;
  return "open" as const;
}

/** Admins; Managers of the campaign's agency; the users named its managers. */
export function canManage(actor: Actor, row: Pick<Row, "agencyId" | "managerIds">) {
  if (actor.type === "system") return true;
  if (actor.type !== "user") return false;
  if (actor.role === "admin") return true;
  if (actor.role === "manager" && canSeeAgency(actor, row.agencyId)) return true;
  return row.managerIds.includes(actor.userId);
}

export function canEvaluate(actor: Actor, row: Pick<Row, "agencyId" | "managerIds" | "evaluatorIds">) {
  return canManage(actor, row) || (actor.type === "user" && row.evaluatorIds.includes(actor.userId));
}

export const notFound = () => new VisibleError("recruitment.not_found", "Campaign not found", 404);

export const toInfo = (row: Row, actor: Actor = useActor()): CampaignInfo => ({
  campaignId: row.campaignId,
  title: row.title,
  agencyId: row.agencyId,
  opensAt: row.opensAt,
  closesAt: row.closesAt,
  description: row.description as Label,
  slug: row.slug,
  publicUrl: publicUrlOf(row.slug),
  state: stateOf(row),
  fields: row.fields as Field[],
  statuses: row.statuses as Status[],
  managerIds: row.managerIds,
  evaluatorIds: row.evaluatorIds,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  canManage: canManage(actor, row),
});

/** The campaign as a verb of this company reads it, without checking who asks. */
export async function row(campaignId: string, companyId = useCompanyId()) {
  const { data } = await RecruitmentCampaignEntity.get({ companyId, campaignId }).go();
  if (!data) throw notFound();
  return data;
}

/** A campaign the actor evaluates or manages (404 otherwise: another's campaign is not announced). */
export async function visible(campaignId: string) {
  const found = await row(campaignId);
  if (!canEvaluate(useActor(), found)) throw notFound();
  return found;
}

export async function managed(campaignId: string) {
  const found = await visible(campaignId);
  if (!canManage(useActor(), found)) forbidden("Only the campaign's managers can do this");
  return found;
}

export async function list(): Promise<z.infer<typeof CampaignSummary>[]> {
  const actor = useUser();
  const { data } = await RecruitmentCampaignEntity.query
    .byCompany({ companyId: actor.companyId })
    .go({ pages: "all", order: "desc" });
  return data
    .filter((found) => canEvaluate(actor, found))
    .map((found) => {
      const info = toInfo(found, actor);
      return {
        campaignId: info.campaignId,
        title: info.title,
        agencyId: info.agencyId,
        opensAt: info.opensAt,
        closesAt: info.closesAt,
        slug: info.slug,
        publicUrl: info.publicUrl,
        state: info.state,
        createdAt: info.createdAt,
        canManage: info.canManage,
      };
    });
}

const invalid = (path: string, message: string) =>
  new VisibleError("request.invalid", message, 400, { fields: [{ path, message }] });

/** Readable and unguessable: `cariste-venissieux-k3x9qa` (36⁶ endings, so slugs of others cannot be listed). */
export function newSlug(title: string) {
  const readable =
    fold(title)
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "candidature";
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const ending = [...randomBytes(6)].map((byte) => alphabet[byte % alphabet.length]).join("");
  return `${readable}-${ending}`;
}

/** System statuses first, then the campaign's own (ids from the label when not given). */
export function statusesOf(input: z.infer<typeof StatusInput>[] | undefined): Status[] {
  if (!input) return defaultStatuses;
  const system = defaultStatuses.filter((status) => status.system);
  const own: Status[] = [];
  for (const status of input) {
    let statusId =
      status.statusId ??
      (fold(status.label.fr)
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 40) ||
        "statut");
    if (statusId === systemStatuses.draft || statusId === systemStatuses.submitted) continue;
    while ([...system, ...own].some((known) => known.statusId === statusId))
      statusId = `${statusId}-2`.slice(-40);
    own.push({ statusId, label: status.label, system: false });
  }
  if (own.length === 0) throw invalid("statuses", "At least one status besides Brouillon and Soumis");
  return [...system, ...own];
}

function checkFields(fields: Field[]) {
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    if (seen.has(field.fieldId)) throw invalid(`fields.${index}.fieldId`, "Two fields have this id");
    seen.add(field.fieldId);
    if (field.kind === "choice" && !field.options?.length)
      throw invalid(`fields.${index}.options`, "A choice needs options");
  });
}

function checkDates(opensAt: string, closesAt: string) {
  if (new Date(closesAt) <= new Date(opensAt)) throw invalid("closesAt", "Closes after it opens");
}

async function checkUsers(companyId: string, ids: string[], path: string) {
  const unique = [...new Set(ids)];
  for (const userId of unique) {
    const { data } = await UserEntity.get({ companyId, userId }).go();
    if (data?.status !== "active") throw invalid(path, `Unknown user ${userId}`);
  }
  return unique;
}

function mayCreateIn(agencyId: string) {
  const actor = useUser();
  if (actor.role === "user" || !canSeeAgency(actor, agencyId))
    forbidden("Admins, and Managers of this agency, create recruitment campaigns");
  return actor;
}

/** The « Accusé de réception » every campaign starts with: on submit, to the candidate, built-in text. */
export const acknowledgmentRule = (companyId: string, campaignId: string) => ({
  companyId,
  campaignId,
  ruleId: "accuse-de-reception",
  section: "candidate" as const,
  name: "Accusé de réception",
  statusId: systemStatuses.submitted,
  recipients: { candidate: true, evaluators: false, addresses: [] },
  enabled: true,
  builtIn: true,
});

export async function create(raw: z.input<typeof NewCampaign>): Promise<CampaignInfo> {
  const input = NewCampaign.parse(raw);
  const actor = mayCreateIn(input.agencyId);
  await Agency.assertUsable([input.agencyId]);
  checkDates(input.opensAt, input.closesAt);
  checkFields(input.fields);
  const companyId = actor.companyId;
  const managerIds = await checkUsers(companyId, input.managerIds, "managerIds");
  const evaluatorIds = await checkUsers(companyId, input.evaluatorIds, "evaluatorIds");
  const campaignId = ulid();
  let slug = "";
  for (let attempt = 0; !slug; attempt++) {
    const candidate = newSlug(input.title);
    try {
      await RecruitmentSlugEntity.create({ slug: candidate, companyId, campaignId }).go({ response: "none" });
      slug = candidate;
    } catch (error) {
      if (!isConditionalFailure(error) || attempt > 5) throw error;
    }
  }
  const created = {
    companyId,
    campaignId,
    title: input.title,
    agencyId: input.agencyId,
    opensAt: new Date(input.opensAt).toISOString(),
    closesAt: new Date(input.closesAt).toISOString(),
    description: input.description,
    slug,
    fields: input.fields,
    statuses: statusesOf(input.statuses),
    managerIds,
    evaluatorIds,
    createdBy: actor.userId,
    createdAt: new Date().toISOString(),
  };
  await RecruitmentCampaignEntity.create(created).go({ response: "none" });
  await RecruitmentRuleEntity.create(acknowledgmentRule(companyId, campaignId)).go({ response: "none" });
  await Audit.record("recruitment.campaign_created", {
    target: { type: "recruitmentCampaign", id: campaignId, label: input.title },
  });
  return toInfo(created as Row, actor);
}

export async function get(campaignId: string): Promise<CampaignInfo> {
  const found = await visible(campaignId);
  const ids = [...new Set([...found.managerIds, ...found.evaluatorIds])];
  const { data } = ids.length
    ? await UserEntity.get(ids.map((userId) => ({ companyId: found.companyId, userId }))).go()
    : { data: [] };
  const people = data.map((user) => ({
    userId: user.userId,
    name: `${user.firstName} ${user.lastName}`.trim(),
  }));
  return { ...toInfo(found), people };
}

async function statusInUse(companyId: string, campaignId: string, statusId: string) {
  const { data } = await DossierEntity.query
    .byCampaign({ companyId, campaignId })
    .where(({ statusId: status }, { eq }) => eq(status, statusId))
    .go({ count: 1, pages: "all", attributes: ["dossierId"] });
  return data.length > 0;
}

export async function update(campaignId: string, raw: z.input<typeof CampaignPatch>): Promise<CampaignInfo> {
  const patch = CampaignPatch.parse(raw);
  const before = await managed(campaignId);
  const companyId = before.companyId;
  if (patch.agencyId && patch.agencyId !== before.agencyId) {
    mayCreateIn(patch.agencyId);
    await Agency.assertUsable([patch.agencyId]);
  }
  checkDates(patch.opensAt ?? before.opensAt, patch.closesAt ?? before.closesAt);
  if (patch.fields) checkFields(patch.fields);
  const set: Partial<Row> = {};
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.agencyId !== undefined) set.agencyId = patch.agencyId;
  if (patch.opensAt !== undefined) set.opensAt = new Date(patch.opensAt).toISOString();
  if (patch.closesAt !== undefined) set.closesAt = new Date(patch.closesAt).toISOString();
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.fields !== undefined) set.fields = patch.fields;
  if (patch.managerIds !== undefined)
    set.managerIds = await checkUsers(companyId, patch.managerIds, "managerIds");
  if (patch.evaluatorIds !== undefined)
    set.evaluatorIds = await checkUsers(companyId, patch.evaluatorIds, "evaluatorIds");
  if (patch.statuses !== undefined) {
    const statuses = statusesOf(patch.statuses);
    for (const old of before.statuses as Status[]) {
      if (statuses.some((status) => status.statusId === old.statusId)) continue;
      if (await statusInUse(companyId, campaignId, old.statusId))
        throw new VisibleError(
          "recruitment.status_in_use",
          `Dossiers have the status « ${old.label.fr} »`,
          409,
        );
    }
    set.statuses = statuses;
  }
  const { data } = await RecruitmentCampaignEntity.patch({ companyId, campaignId })
    .set(set)
    .go({ response: "all_new" });
  await Audit.record("recruitment.campaign_updated", {
    target: { type: "recruitmentCampaign", id: campaignId, label: data.title },
    details: { changed: Object.keys(set) },
  });
  return toInfo(data as Row);
}

export async function remove(campaignId: string): Promise<void> {
  const found = await managed(campaignId);
  const { companyId } = found;
  const draft: string = systemStatuses.draft;
  const { data } = await DossierEntity.query
    .byCampaign({ companyId, campaignId })
    .where(({ statusId }, { ne }) => ne(statusId, draft))
    .go({ count: 1, pages: "all", attributes: ["dossierId"] });
  if (data.length > 0)
    throw new VisibleError("recruitment.has_dossiers", "This campaign has submitted dossiers", 409);
  const rules = await RecruitmentRuleEntity.query.byCampaign({ companyId, campaignId }).go({ pages: "all" });
  if (rules.data.length) await RecruitmentRuleEntity.delete(rules.data).go();
  await RecruitmentSlugEntity.delete({ slug: found.slug }).go();
  await RecruitmentCampaignEntity.delete({ companyId, campaignId }).go();
  await Audit.record("recruitment.campaign_deleted", {
    target: { type: "recruitmentCampaign", id: campaignId, label: found.title },
  });
}
