import { createRoute, z } from "@hono/zod-openapi";
import { Campaign } from "../../core/campaign";
import { Conversation } from "../../core/conversation";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Conversations"];
const Path = IdParam("contactId");

const secured = router();
secured.use("*", authenticated());

export const conversations = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/{contactId}",
      tags,
      summary: "Everything sent to a contact and every reply, both channels, oldest first",
      request: { params: Path },
      responses: {
        200: json(
          z.object({
            contact: z.object({
              contactId: z.string(),
              name: z.string(),
              mobile: z.string().optional(),
              email: z.string().optional(),
              optedOutSms: z.boolean(),
              optedOutEmail: z.boolean(),
            }),
            messages: z.array(
              Campaign.Recipient.extend({
                campaignId: z.string(),
                body: z.string().optional(),
                createdAt: z.string(),
              }),
            ),
            replies: z.array(
              z.object({
                replyId: z.string(),
                campaignId: z.string(),
                messageId: z.string(),
                channel: z.enum(["sms", "email"]),
                body: z.string(),
                classification: z.enum(["yes", "no", "other"]),
                rule: Campaign.Recipient.shape.rule,
                receivedAt: z.string(),
              }),
            ),
          }),
          "Conversation",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Conversation.fromContact(c.req.valid("param").contactId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{contactId}/messages",
      tags,
      summary:
        "Reply to a contact from the conversation: one message by SMS (from the two-way number) or email, quiet hours respected",
      request: {
        params: Path,
        ...body(z.strictObject({ body: z.string().max(1600), channel: z.enum(["sms", "email"]).optional() })),
      },
      responses: { 201: json(z.object({ campaign: Campaign.Info }), "Sent or scheduled"), ...errors },
    }),
    async (c) =>
      c.json(
        { campaign: await Conversation.reply({ ...c.req.valid("param"), ...c.req.valid("json") }) },
        201,
      ),
  );
