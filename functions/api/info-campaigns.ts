import { createRoute, z } from "@hono/zod-openapi";
import { InfoCampaign } from "../../core/info-campaign";
import { Settings, Step, Upload } from "../../core/info-campaign/info-campaign.types";
import { router } from "./app";
import { body, errors, IdParam, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const tags = ["Information campaigns"];
const secured = router();
secured.use("*", authenticated());

const Campaign = z.object({ campaign: InfoCampaign.Info });

/**
 * « Campagnes d'information » (Coffre-fort, Admins and Managers): a six-step wizard saved step by step,
 * then launched; start and end are Scheduler schedules.
 */
export const infoCampaigns = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Information campaigns, newest first, with their state and counters",
      responses: { 200: json(z.object({ items: z.array(InfoCampaign.Info) }), "Campaigns"), ...errors },
    }),
    async (c) => c.json({ items: await InfoCampaign.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Start a draft with step 1 (Paramètres: title, start, optional end)",
      request: body(Settings),
      responses: { 201: json(Campaign, "Draft created"), ...errors },
    }),
    async (c) => c.json({ campaign: await InfoCampaign.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}",
      tags,
      summary: "One campaign",
      request: { params: IdParam("campaignId") },
      responses: { 200: json(Campaign, "Campaign"), ...errors },
    }),
    async (c) => c.json({ campaign: await InfoCampaign.fromId(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/{campaignId}/steps",
      tags,
      summary: "Save one step of a draft (settings, trigger, population, documents or content)",
      request: { params: IdParam("campaignId"), ...body(Step) },
      responses: { 200: json(Campaign, "Saved"), ...errors },
    }),
    async (c) => {
      const { campaignId } = c.req.valid("param");
      return c.json(
        { campaign: await InfoCampaign.saveStep({ campaignId, input: c.req.valid("json") }) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/files",
      tags,
      summary: "Presigned upload of one of the campaign's PDFs (20 MB)",
      request: { params: IdParam("campaignId"), ...body(Upload) },
      responses: {
        201: json(PresignedPost.extend({ fileId: z.string(), fileName: z.string() }), "Upload target"),
        ...errors,
      },
    }),
    async (c) => {
      const { campaignId } = c.req.valid("param");
      return c.json(await InfoCampaign.presignFile({ campaignId, file: c.req.valid("json") }), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/logo",
      tags,
      summary: "Presigned upload of the illustration logo (PNG or JPEG, 1 MB)",
      request: { params: IdParam("campaignId"), ...body(Upload) },
      responses: { 201: json(PresignedPost, "Upload target"), ...errors },
    }),
    async (c) => {
      const { campaignId } = c.req.valid("param");
      return c.json(await InfoCampaign.presignLogo({ campaignId, file: c.req.valid("json") }), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/logo",
      tags,
      summary: "The illustration logo",
      request: { params: IdParam("campaignId") },
      responses: { 200: { description: "A PNG or JPEG image" }, ...errors },
    }),
    async (c) => {
      const logo = await InfoCampaign.logo(c.req.valid("param").campaignId);
      return c.body(new Uint8Array(logo.bytes), 200, {
        "Content-Type": logo.contentType,
        "Cache-Control": "private, max-age=300",
      });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/launch",
      tags,
      summary:
        "« Lancer la campagne »: seal the ticked documents, then programmée (or active when the start is past)",
      request: { params: IdParam("campaignId") },
      responses: { 200: json(Campaign, "Launched"), ...errors },
    }),
    async (c) => c.json({ campaign: await InfoCampaign.launch(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/close",
      tags,
      summary:
        "Close a launched campaign now (its schedules are cancelled; partners keep what they received)",
      request: { params: IdParam("campaignId") },
      responses: { 200: json(Campaign, "Closed"), ...errors },
    }),
    async (c) => c.json({ campaign: await InfoCampaign.closeEarly(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{campaignId}",
      tags,
      summary: "Delete a campaign: its documents are withdrawn from partners' spaces and its files deleted",
      request: { params: IdParam("campaignId") },
      responses: {
        200: json(z.object({ campaignId: z.string(), deleted: z.boolean() }), "Deleted"),
        ...errors,
      },
    }),
    async (c) => c.json(await InfoCampaign.remove(c.req.valid("param").campaignId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/partners.xlsx",
      tags,
      summary: "One row per partner reached (reached, opened, downloaded, signed) as an Excel file",
      request: { params: IdParam("campaignId") },
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) => {
      const file = await InfoCampaign.exportReaches(c.req.valid("param").campaignId);
      return c.body(new Uint8Array(file.bytes), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      });
    },
  );
