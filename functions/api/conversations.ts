import { createRoute, z } from "@hono/zod-openapi";
import { Delivery } from "../../core/delivery";
import { router } from "./app";
import { errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Conversations"];

const secured = router();
secured.use("*", authenticated());

export const conversations = secured.openapi(
  createRoute({
    method: "get",
    path: "/{contactId}",
    tags,
    summary: "A contact's replies, both channels, with the messages they answered",
    request: { params: IdParam("contactId") },
    responses: {
      200: json(
        z.object({
          messages: z.array(
            Delivery.Console.Recipient.extend({ campaignId: z.string(), body: z.string().optional() }),
          ),
          replies: z.array(
            z.object({
              replyId: z.string(),
              campaignId: z.string(),
              messageId: z.string(),
              channel: z.enum(["sms", "email"]),
              body: z.string(),
              classification: z.enum(["yes", "no", "other"]),
              receivedAt: z.string(),
            }),
          ),
        }),
        "Conversation",
      ),
      ...errors,
    },
  }),
  async (c) => c.json(await Delivery.Console.conversation(c.req.valid("param").contactId), 200),
);
