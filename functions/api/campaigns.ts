import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { Attachments, Campaign, CampaignPreview, Departure, Recipients } from "../../core/campaign";
import { router } from "./app";
import { body, errors, IdParam, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const tags = ["Campaigns"];
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
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
  /** Units the attachment link adds to this SMS (already in `units`). */
  linkUnits: z.number(),
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
    /** Globals (`%Prénom`…) some recipients lack, and how many: give `values["%Prénom"]` as fallback word. */
    emptyGlobals: z.array(z.object({ name: z.string(), recipients: z.number() })),
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
      excludedReason: z.enum(["opted_out", "unreachable", "country_not_allowed"]).optional(),
      text: z.string().optional(),
      subject: z.string().optional(),
      html: z.string().optional(),
      missing: z.array(z.string()).optional(),
      emptyGlobals: z.array(z.string()).optional(),
      sms: SmsCount.optional(),
    }),
  ),
  truncated: z.boolean(),
});

const ListQuery = z.object({
  agencyId: z.string().max(64).optional(),
  createdBy: z.string().max(64).optional(),
  kind: z.enum(["yesno", "info"]).optional(),
  status: z.enum(["draft", "scheduled", "sending", "sent", "paused", "cancelled"]).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  q: z.string().max(100).optional(),
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
      path: "/attachments",
      tags,
      summary:
        "Register a file to attach (10 MB at most) and get the presigned POST that uploads it to S3; pass its id in attachmentIds",
      request: body(
        z.strictObject({
          fileName: z.string().max(255),
          contentType: z.enum(Attachments.contentTypes),
          size: z.number().int(),
        }),
      ),
      responses: {
        201: json(PresignedPost.extend({ attachmentId: z.string() }), "Upload target"),
        413: errors[400],
        ...errors,
      },
    }),
    async (c) => c.json(await Attachments.startUpload(c.req.valid("json")), 201),
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
      method: "get",
      path: "/departure",
      tags,
      summary:
        "When a send asked for `at` (default now) really leaves, after quiet hours, Sundays and holidays",
      request: { query: z.object({ at: z.string().max(40).optional() }) },
      responses: {
        200: json(
          z.object({
            at: z.string(),
            leavesAt: z.string(),
            quiet: z.enum(["night", "sunday", "holiday"]).nullable(),
          }),
          "Departure",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Departure.departure(c.req.valid("query")), 200),
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
          attachmentIds: z.array(z.string().max(64)).max(5).optional(),
        }).omit({ attachments: true }),
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
      summary:
        "Campaigns of my agencies, newest first, filtered by agency, sender, kind, status, dates, words",
      request: { query: ListQuery.extend({ cursor: z.string().max(2000).optional() }) },
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
      path: "/export",
      tags,
      summary:
        "The campaigns matching the filters with their counts, in Excel (.xlsx, streamed, no formulas)",
      request: { query: ListQuery },
      responses: {
        200: {
          description: "The workbook",
          content: { [xlsxType]: { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { fileName, stream } = await Campaign.exportAll(c.req.valid("query"));
      return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
        "Content-Type": xlsxType,
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/resend",
      tags,
      summary:
        "« Relancer »: a new campaign with the same messages to those who did not answer (Yes/No) or whom it did not reach",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            audience: z.enum(Campaign.resendAudiences).optional(),
            sendAt: z.string().max(40).optional(),
          }),
        ),
      },
      responses: { 201: json(z.object({ campaign: Campaign.Info }), "Created"), ...errors },
    }),
    async (c) =>
      c.json({ campaign: await Campaign.resend({ ...c.req.valid("param"), ...c.req.valid("json") }) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}",
      tags,
      summary: "One campaign",
      request: { params: Path },
      responses: {
        200: json(z.object({ campaign: Campaign.Info }).extend(Campaign.Details.shape), "Campaign"),
        ...errors,
      },
    }),
    async (c) => c.json(await Campaign.withDetails(c.req.valid("param").campaignId), 200),
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
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/counts",
      tags,
      summary:
        "Counts for the bubbles: waiting, sent, delivered, undeliverable, failed, yes / no / other, opted out",
      request: { params: Path },
      responses: { 200: json(z.object({ counts: Campaign.Counts }), "Counts"), ...errors },
    }),
    async (c) => c.json({ counts: await Campaign.counts(c.req.valid("param").campaignId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/recipients",
      tags,
      summary: "Recipients with status, reason and answer; filter by answer (none = no answer yet)",
      request: {
        params: Path,
        query: z.object({
          answer: z.enum(["yes", "no", "other", "none"]).optional(),
          cursor: z.string().max(2000).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({ items: z.array(Campaign.Recipient), cursor: z.string().optional() }),
          "Recipients",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Campaign.recipients({ ...c.req.valid("param"), ...c.req.valid("query") }), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{campaignId}/messages/{messageId}/classification",
      tags,
      summary: "Correct how a reply was read (yes / no / other)",
      request: {
        params: Path.extend(IdParam("messageId").shape),
        ...body(z.strictObject({ classification: z.enum(["yes", "no", "other"]) })),
      },
      responses: {
        200: json(z.object({ recipient: Campaign.Recipient }), "Reclassified"),
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        { recipient: await Campaign.reclassify({ ...c.req.valid("param"), ...c.req.valid("json") }) },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/cancel",
      tags,
      summary:
        "Cancel a campaign that has not finished: its schedule is deleted, unsent messages are not sent",
      request: { params: Path },
      responses: { 200: json(z.object({ status: z.literal("cancelled") }), "Cancelled"), ...errors },
    }),
    async (c) => c.json(await Campaign.cancel(c.req.valid("param").campaignId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/reschedule",
      tags,
      summary: "Move a scheduled campaign to another time",
      request: { params: Path, ...body(z.strictObject({ sendAt: z.string().max(40) })) },
      responses: { 200: json(z.object({ sendAt: z.string() }), "Rescheduled"), ...errors },
    }),
    async (c) => c.json(await Campaign.reschedule({ ...c.req.valid("param"), ...c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/timeline",
      tags,
      summary: "Deliveries and replies per minute or hour, for the chart",
      request: { params: Path, query: z.object({ bucket: z.enum(["minute", "hour"]).optional() }) },
      responses: {
        200: json(
          z.object({
            bucket: z.enum(["minute", "hour"]),
            points: z.array(z.object({ at: z.string(), delivered: z.number(), replied: z.number() })),
          }),
          "Timeline",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Campaign.timeline({ ...c.req.valid("param"), ...c.req.valid("query") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/report",
      tags,
      summary: "The campaign report in Excel (.xlsx, streamed; values written as text, never formulas)",
      request: { params: Path },
      responses: {
        200: {
          description: "The workbook",
          content: { [xlsxType]: { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { fileName, stream } = await Campaign.report(c.req.valid("param").campaignId);
      return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
        "Content-Type": xlsxType,
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      });
    },
  );
