import * as z from "zod";
import { event } from "../event";

/** A reply stored for the first time (recorded with the reply item itself, so once per inbound message). */
export const ReplyReceived = event(
  "reply.received",
  z.object({
    campaignId: z.string(),
    messageId: z.string(),
    replyId: z.string(),
    channel: z.enum(["sms", "email"]),
    classification: z.enum(["yes", "no", "other"]),
    command: z.enum(["optout", "channel"]).optional(),
    body: z.string(),
  }),
);
