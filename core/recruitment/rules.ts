import { ulid } from "ulid";
import type * as z from "zod";
import { useUser } from "../actor";
import { Audit } from "../audit";
import { MessageEntity } from "../campaign/campaign.entity";
import { launchWritten } from "../campaign/unattended";
import { VisibleError } from "../error";
import { TemplateEntity } from "../template/template.entity";
import { UserEntity } from "../user/user.entity";
import { managed, visible } from "./campaign";
import { render, rulesOf, toRule } from "./emails";
import { DossierEntity, RecruitmentRuleEntity } from "./recruitment.entity";
import { type EmailPreview, limits, NewRule, type Rule, RulePatch, type Status } from "./types";

const notFound = () => new VisibleError("recruitment.rule_not_found", "Rule not found", 404);
const invalid = (path: string, message: string) =>
  new VisibleError("request.invalid", message, 400, { fields: [{ path, message }] });

async function checkRule(
  campaign: { companyId: string; statuses: unknown },
  rule: { statusId?: string; templateId?: string | null },
) {
  if (rule.statusId && !(campaign.statuses as Status[]).some((status) => status.statusId === rule.statusId))
    throw invalid("statusId", "Not a status of this campaign");
  if (rule.templateId) {
    const { data } = await TemplateEntity.get({
      companyId: campaign.companyId,
      templateId: rule.templateId,
    }).go();
    if (!data?.emailHtml) throw invalid("templateId", "Unknown template, or one without an email");
  }
}

export async function list(campaignId: string): Promise<Rule[]> {
  const campaign = await visible(campaignId);
  return rulesOf(campaign.companyId, campaignId);
}

export async function create(campaignId: string, raw: z.input<typeof NewRule>): Promise<Rule> {
  const input = NewRule.parse(raw);
  const campaign = await managed(campaignId);
  await checkRule(campaign, input);
  const existing = await rulesOf(campaign.companyId, campaignId);
  if (existing.length >= limits.rules) throw invalid("ruleId", `At most ${limits.rules} rules`);
  const { data } = await RecruitmentRuleEntity.create({
    companyId: campaign.companyId,
    campaignId,
    ruleId: ulid(),
    ...input,
    builtIn: false,
  }).go();
  await Audit.record("recruitment.rule_created", {
    target: { type: "recruitmentRule", id: data.ruleId, label: input.name },
    details: { campaignId },
  });
  return toRule(data as Parameters<typeof toRule>[0]);
}

async function ruleRow(companyId: string, campaignId: string, ruleId: string) {
  const { data } = await RecruitmentRuleEntity.get({ companyId, campaignId, ruleId }).go();
  if (!data) throw notFound();
  return data;
}

export async function update(
  campaignId: string,
  ruleId: string,
  raw: z.input<typeof RulePatch>,
): Promise<Rule> {
  const patch = RulePatch.parse(raw);
  const campaign = await managed(campaignId);
  await ruleRow(campaign.companyId, campaignId, ruleId);
  await checkRule(campaign, patch);
  const { templateId, ...rest } = patch;
  let change = RecruitmentRuleEntity.patch({ companyId: campaign.companyId, campaignId, ruleId }).set({
    ...rest,
    ...(templateId ? { templateId } : {}),
  });
  if (templateId === null) change = change.remove(["templateId"]);
  const { data } = await change.go({ response: "all_new" });
  await Audit.record("recruitment.rule_updated", {
    target: { type: "recruitmentRule", id: ruleId, label: data.name },
    details: { campaignId, changed: Object.keys(patch) },
  });
  return toRule(data as Parameters<typeof toRule>[0]);
}

export async function remove(campaignId: string, ruleId: string): Promise<void> {
  const campaign = await managed(campaignId);
  const rule = await ruleRow(campaign.companyId, campaignId, ruleId);
  await RecruitmentRuleEntity.delete({ companyId: campaign.companyId, campaignId, ruleId }).go();
  await Audit.record("recruitment.rule_deleted", {
    target: { type: "recruitmentRule", id: ruleId, label: rule.name },
    details: { campaignId },
  });
}

/** « Tester »: the rule's email, filled with the latest dossier (or sample values), to my own address only. */
export async function test(
  campaignId: string,
  ruleId: string,
): Promise<{ sentTo: string; preview: z.infer<typeof EmailPreview> }> {
  const actor = useUser();
  const campaign = await managed(campaignId);
  const rule = toRule(await ruleRow(campaign.companyId, campaignId, ruleId));
  const { data: me } = await UserEntity.get({ companyId: actor.companyId, userId: actor.userId }).go();
  if (!me) throw new VisibleError("auth.required", "Please log in", 401);
  const latest = await DossierEntity.query
    .byCampaign({ companyId: actor.companyId, campaignId })
    .go({ order: "desc", limit: 1 });
  const dossier = latest.data[0] ?? {
    dossierId: "exemple",
    firstName: "Camille",
    lastName: "Martin",
    email: "camille.martin@example.com",
  };
  const email = await render(
    rule,
    { campaign, dossier, statusId: rule.statusId },
    { address: me.email.toLowerCase(), kind: "fixed", language: me.language ?? "fr" },
  );
  const sendingId = `${ulid()}-rectest`;
  await MessageEntity.create({
    companyId: actor.companyId,
    campaignId: sendingId,
    messageId: ulid(),
    name: actor.name,
    channel: "email",
    to: email.to,
    subject: `[Test] ${email.subject}`,
    html: email.html,
    units: 0,
    status: "scheduled",
  }).go({ response: "none" });
  await launchWritten({
    companyId: actor.companyId,
    campaignId: sendingId,
    title: `Test · ${rule.name}`,
    agencyId: campaign.agencyId,
    createdBy: actor.userId,
    createdByName: actor.name,
  });
  await Audit.record("recruitment.rule_tested", {
    target: { type: "recruitmentRule", id: ruleId, label: rule.name },
    details: { campaignId },
  });
  return { sentTo: email.to, preview: email };
}
