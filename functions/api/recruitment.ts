import { createRoute, z } from "@hono/zod-openapi";
import { Campaigns, Dossiers, Rules } from "../../core/recruitment";
import * as T from "../../core/recruitment/types";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Recruitment"];
const secured = router();
secured.use("*", authenticated());

const CampaignParam = IdParam("campaignId");
const DossierParams = z.object({ ...IdParam("campaignId").shape, ...IdParam("dossierId").shape });
const RuleParams = z.object({ ...IdParam("campaignId").shape, ...IdParam("ruleId").shape });

/**
 * Recruitment campaigns (« campagnes d'appel »), staff side: campaigns (Admins, Managers), their
 * dossiers (managers and evaluators), status changes and the automatic emails they fire.
 */
export const recruitment = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/variables",
      tags,
      summary:
        "Variables an email template can use for a dossier (%Prénom %Nom %campagne% %statut% %lien_dossier%…)",
      responses: { 200: json(z.object({ items: z.array(z.string()) }), "Variables"), ...errors },
    }),
    async (c) => c.json({ items: [...T.dossierVariables] }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/campaigns",
      tags,
      summary: "Campaigns I manage or evaluate, newest first",
      responses: { 200: json(z.object({ items: z.array(T.CampaignSummary) }), "Campaigns"), ...errors },
    }),
    async (c) => c.json({ items: await Campaigns.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/campaigns",
      tags,
      summary:
        "Create a campaign (Admins, Managers of its agency); it gets a public slug and the « Accusé de réception » rule",
      request: body(T.NewCampaign),
      responses: { 201: json(z.object({ campaign: T.Campaign }), "Created"), ...errors },
    }),
    async (c) => c.json({ campaign: await Campaigns.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/campaigns/{campaignId}",
      tags,
      summary: "A campaign, with its fields and statuses",
      request: { params: CampaignParam },
      responses: { 200: json(z.object({ campaign: T.Campaign }), "Campaign"), ...errors },
    }),
    async (c) => c.json({ campaign: await Campaigns.get(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/campaigns/{campaignId}",
      tags,
      summary: "Edit a campaign (its slug never changes; a status in use cannot be removed)",
      request: { params: CampaignParam, ...body(T.CampaignPatch) },
      responses: { 200: json(z.object({ campaign: T.Campaign }), "Updated"), ...errors },
    }),
    async (c) =>
      c.json({ campaign: await Campaigns.update(c.req.valid("param").campaignId, c.req.valid("json")) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/campaigns/{campaignId}",
      tags,
      summary: "Delete a campaign that has no submitted dossier",
      request: { params: CampaignParam },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      await Campaigns.remove(c.req.valid("param").campaignId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/campaigns/{campaignId}/rules",
      tags,
      summary: "The « Emails » tab: automatic email rules, sections candidate and manager",
      request: { params: CampaignParam },
      responses: { 200: json(z.object({ items: z.array(T.Rule) }), "Rules"), ...errors },
    }),
    async (c) => c.json({ items: await Rules.list(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/campaigns/{campaignId}/rules",
      tags,
      summary: "Add an automatic email rule",
      request: { params: CampaignParam, ...body(T.NewRule) },
      responses: { 201: json(z.object({ rule: T.Rule }), "Created"), ...errors },
    }),
    async (c) =>
      c.json({ rule: await Rules.create(c.req.valid("param").campaignId, c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/campaigns/{campaignId}/rules/{ruleId}",
      tags,
      summary: "Edit a rule or switch it on/off (templateId null: back to the built-in text)",
      request: { params: RuleParams, ...body(T.RulePatch) },
      responses: { 200: json(z.object({ rule: T.Rule }), "Updated"), ...errors },
    }),
    async (c) => {
      const { campaignId, ruleId } = c.req.valid("param");
      return c.json({ rule: await Rules.update(campaignId, ruleId, c.req.valid("json")) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/campaigns/{campaignId}/rules/{ruleId}",
      tags,
      summary: "Delete a rule",
      request: { params: RuleParams },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      const { campaignId, ruleId } = c.req.valid("param");
      await Rules.remove(campaignId, ruleId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/campaigns/{campaignId}/rules/{ruleId}/test",
      tags,
      summary: "« Tester »: send the rule's email, filled with sample values, to my own address only",
      request: { params: RuleParams },
      responses: {
        202: json(z.object({ sentTo: z.string(), preview: T.EmailPreview }), "Sent to me"),
        ...errors,
      },
    }),
    async (c) => {
      const { campaignId, ruleId } = c.req.valid("param");
      return c.json(await Rules.test(campaignId, ruleId), 202);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/campaigns/{campaignId}/dossiers",
      tags,
      summary:
        "Submitted dossiers, newest first; filters status, evaluator, submitted date range, words (status=brouillon lists drafts)",
      request: { params: CampaignParam, query: T.DossierFilters },
      responses: {
        200: json(z.object({ items: z.array(T.DossierSummary), cursor: z.string().optional() }), "Dossiers"),
        ...errors,
      },
    }),
    async (c) => c.json(await Dossiers.list(c.req.valid("param").campaignId, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/campaigns/{campaignId}/dossiers/status/preview",
      tags,
      summary:
        "Before a status change: how many emails it will send and one rendered (« Cette action enverra un e-mail… »)",
      request: { params: CampaignParam, ...body(T.StatusChange) },
      responses: { 200: json(T.StatusPreview, "What would happen"), ...errors },
    }),
    async (c) =>
      c.json(await Dossiers.previewStatus(c.req.valid("param").campaignId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/campaigns/{campaignId}/dossiers/status",
      tags,
      summary:
        "Move one dossier or a selection (up to 500) to a status; the rules of that status send their emails, once",
      request: { params: CampaignParam, ...body(T.StatusChange) },
      responses: { 200: json(T.StatusChanged, "Changed"), ...errors },
    }),
    async (c) =>
      c.json(await Dossiers.changeStatus(c.req.valid("param").campaignId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/campaigns/{campaignId}/dossiers/{dossierId}",
      tags,
      summary:
        "A dossier: answers, files (signed links valid 5 minutes), status history, emails with their delivery",
      request: { params: DossierParams },
      responses: { 200: json(z.object({ dossier: T.DossierDetail }), "Dossier"), ...errors },
    }),
    async (c) => {
      const { campaignId, dossierId } = c.req.valid("param");
      return c.json({ dossier: await Dossiers.detail(campaignId, dossierId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/campaigns/{campaignId}/dossiers/{dossierId}/evaluator",
      tags,
      summary: "Assign the dossier to one of the campaign's evaluators (null: unassign)",
      request: {
        params: DossierParams,
        ...body(z.strictObject({ evaluatorId: z.string().max(64).nullable() })),
      },
      responses: { 200: json(z.object({ dossier: T.DossierSummary }), "Assigned"), ...errors },
    }),
    async (c) => {
      const { campaignId, dossierId } = c.req.valid("param");
      return c.json(
        { dossier: await Dossiers.assign(campaignId, dossierId, c.req.valid("json").evaluatorId) },
        200,
      );
    },
  );
