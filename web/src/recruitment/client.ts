import type { InferRequestType, InferResponseType } from "hono/client";
import { api, filled, unwrap } from "../api";
import type { Locale } from "../i18n/messages";

/** Recruitment campaigns, dossiers and automatic emails (functions/api/recruitment.ts). */
const recruitment = api.api.recruitment;
const one = recruitment.campaigns[":campaignId"];
const dossierRoute = one.dossiers[":dossierId"];
const ruleRoute = one.rules[":ruleId"];

export type CampaignSummary = InferResponseType<typeof recruitment.campaigns.$get, 200>["items"][number];
export type Campaign = InferResponseType<typeof one.$get, 200>["campaign"];
export type CampaignState = Campaign["state"];
export type Field = Campaign["fields"][number];
export type FieldKind = Field["kind"];
export type Status = Campaign["statuses"][number];
export type Label = Status["label"];
export type NewCampaign = InferRequestType<typeof recruitment.campaigns.$post>["json"];
export type Rule = InferResponseType<typeof one.rules.$get, 200>["items"][number];
export type RuleSection = Rule["section"];
export type NewRule = InferRequestType<typeof one.rules.$post>["json"];
export type RulePatch = InferRequestType<typeof ruleRoute.$patch>["json"];
export type Dossier = InferResponseType<typeof one.dossiers.$get, 200>["items"][number];
export type DossierFilters = NonNullable<InferRequestType<typeof one.dossiers.$get>["query"]>;
export type DossierDetail = InferResponseType<typeof dossierRoute.$get, 200>["dossier"];
export type StatusPreview = InferResponseType<(typeof one.dossiers.status.preview)["$post"], 200>;

export const fieldKinds = [
  "text",
  "longText",
  "email",
  "mobile",
  "date",
  "choice",
  "file",
] as const satisfies readonly FieldKind[];
export const campaignStates = ["upcoming", "open", "closed"] as const satisfies readonly CampaignState[];
export const ruleSections = ["candidate", "manager"] as const satisfies readonly RuleSection[];

/** A label in the reader's language, French when no English was written. */
export function inLocale(label: Label, locale: Locale): string {
  return (locale === "en" && label.en) || label.fr;
}

const fresh = { init: { cache: "no-store" as const } };
const campaignParam = (campaignId: string) => ({ param: { campaignId } });

export const campaigns = {
  list: () => unwrap(recruitment.campaigns.$get(undefined, fresh)),
  get: (campaignId: string) => unwrap(one.$get(campaignParam(campaignId), fresh)),
  create: (json: NewCampaign) => unwrap(recruitment.campaigns.$post({ json })),
  update: (campaignId: string, json: Partial<NewCampaign>) =>
    unwrap(one.$patch({ ...campaignParam(campaignId), json })),
  remove: (campaignId: string) => unwrap(one.$delete(campaignParam(campaignId))),
  variables: () => unwrap(recruitment.variables.$get(undefined, fresh)),
};

export const rules = {
  list: (campaignId: string) => unwrap(one.rules.$get(campaignParam(campaignId), fresh)),
  create: (campaignId: string, json: NewRule) =>
    unwrap(one.rules.$post({ ...campaignParam(campaignId), json })),
  update: (campaignId: string, ruleId: string, json: RulePatch) =>
    unwrap(ruleRoute.$patch({ param: { campaignId, ruleId }, json })),
  remove: (campaignId: string, ruleId: string) =>
    unwrap(ruleRoute.$delete({ param: { campaignId, ruleId } })),
  test: (campaignId: string, ruleId: string) =>
    unwrap(ruleRoute.test.$post({ param: { campaignId, ruleId } })),
};

export const dossiers = {
  list: (campaignId: string, filters: Omit<DossierFilters, "limit">) =>
    unwrap(
      one.dossiers.$get({ ...campaignParam(campaignId), query: filled({ ...filters, limit: "50" }) }, fresh),
    ),
  get: (campaignId: string, dossierId: string) =>
    unwrap(dossierRoute.$get({ param: { campaignId, dossierId } }, fresh)),
  preview: (campaignId: string, json: { dossierIds: string[]; statusId: string }) =>
    unwrap(one.dossiers.status.preview.$post({ ...campaignParam(campaignId), json })),
  changeStatus: (campaignId: string, json: { dossierIds: string[]; statusId: string }) =>
    unwrap(one.dossiers.status.$post({ ...campaignParam(campaignId), json })),
  assign: (campaignId: string, dossierId: string, evaluatorId: string | null) =>
    unwrap(dossierRoute.evaluator.$put({ param: { campaignId, dossierId }, json: { evaluatorId } })),
};
