import { createRoute, z } from "@hono/zod-openapi";
import { Campaign, CampaignPreview, Recipients } from "../../core/campaign";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Campaigns"];
const Path = IdParam("campaignId");
const DraftBody = z.strictObject({
  kind: z.enum(["yesno", "info"]),
  smsBody: z.string().max(1600).optional(),
  emailSubject: z.string().max(200).optional(),
  emailHtml: z.string().max(100_000).optional(),
  recipients: z.strictObject({
    entries: z.array(z.string().max(254)).max(10_000).optional(),
    contactIds: z.array(z.string().max(64)).max(5_000).optional(),
    listIds: z.array(z.string().max(64)).max(20).optional(),
  }),
  values: z.record(z.string().max(40), z.string().max(500)).optional(),
  attachments: z.number().int().min(0).max(5).optional(),
});

const SmsCount = z.object({
  encoding: z.enum(["GSM-7", "UCS-2"]),
  characters: z.number(),
  units: z.number(),
  segments: z.number(),
  remaining: z.number(),
  unicodeCharacters: z.array(z.string()),
});

const PreviewAnswer = z.object({
  totals: z.object({
    recipients: z.number(),
    sms: z.number(),
    email: z.number(),
    excluded: z.number(),
    smsUnits: z.number(),
    costMillicents: z.number(),
  }),
  variables: z.object({
    needed: z.array(z.string()),
    fromLists: z.array(z.string()),
    missing: z.array(z.string()),
  }),
  rejected: z.array(z.object({ entry: z.string(), code: z.string(), message: z.string() })),
  recipients: z.array(
    z.object({
      key: z.string(),
      contactId: z.string().optional(),
      name: z.string().optional(),
      mobile: z.string().optional(),
      email: z.string().optional(),
      channel: z.enum(["sms", "email"]).nullable(),
      excludedReason: z.enum(["opted_out", "unreachable"]).optional(),
      text: z.string().optional(),
      subject: z.string().optional(),
      html: z.string().optional(),
      missing: z.array(z.string()).optional(),
      sms: SmsCount.optional(),
    }),
  ),
  truncated: z.boolean(),
});

const secured = router();
secured.use("*", authenticated());

export const campaigns = secured
  .openapi(
    createRoute({
      method: "post",
      path: "/recipients",
      tags,
      summary: "Read typed or pasted numbers and emails into recipients, with names when known",
      request: body(z.strictObject({ text: z.string().max(500_000) })),
      responses: {
        200: json(
          z.object({
            accepted: z.array(
              z.object({
                entry: z.string(),
                key: z.string(),
                value: z.string(),
                contact: z.object({ contactId: z.string(), name: z.string() }).optional(),
              }),
            ),
            rejected: z.array(z.object({ entry: z.string(), code: z.string(), message: z.string() })),
            duplicates: z.number(),
          }),
          "Recipients read",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Recipients.readEntries(c.req.valid("json").text), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/preview",
      tags,
      summary:
        "Per recipient: channel, rendered text, encoding, characters, segments, SMS units; totals and cost",
      request: body(DraftBody),
      responses: { 200: json(PreviewAnswer, "Preview"), ...errors },
    }),
    async (c) => c.json(await CampaignPreview.preview(c.req.valid("json"), { limit: 500 }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Create a campaign and send it now or at sendAt (Europe/Paris shown, UTC stored)",
      request: body(
        DraftBody.extend({
          title: z.string().max(200),
          reference: z.string().max(100).optional(),
          agencyId: z.string().max(64),
          sendAt: z.string().max(40).optional(),
          urgent: z.boolean().optional(),
        }),
      ),
      responses: { 201: json(z.object({ campaign: Campaign.Info }), "Created"), ...errors },
    }),
    async (c) => c.json({ campaign: await Campaign.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Campaigns of my agencies, newest first",
      request: { query: z.object({ cursor: z.string().max(2000).optional() }) },
      responses: {
        200: json(z.object({ items: z.array(Campaign.Info), cursor: z.string().optional() }), "Campaigns"),
        ...errors,
      },
    }),
    async (c) => c.json(await Campaign.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}",
      tags,
      summary: "One campaign",
      request: { params: Path },
      responses: { 200: json(z.object({ campaign: Campaign.Info }), "Campaign"), ...errors },
    }),
    async (c) => c.json({ campaign: await Campaign.fromId(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/messages",
      tags,
      summary: "The campaign's messages and their statuses",
      request: { params: Path, query: z.object({ cursor: z.string().max(2000).optional() }) },
      responses: {
        200: json(z.object({ items: z.array(Campaign.Message), cursor: z.string().optional() }), "Messages"),
        ...errors,
      },
    }),
    async (c) => c.json(await Campaign.messages({ ...c.req.valid("param"), ...c.req.valid("query") }), 200),
  );
