import * as z from "zod";
import { messageStatuses } from "../campaign/campaign.entity";
import { event } from "../event";

/**
 * A message moved to a new status. Recorded only for companies with a webhook endpoint subscribed to it
 * (core/webhook/subscriptions.ts): nothing else listens, and the status path stays one write for others.
 */
export const MessageStatusChanged = event(
  "message.status_changed",
  z.object({
    campaignId: z.string(),
    messageId: z.string(),
    from: z.enum(messageStatuses).optional(),
    status: z.enum(messageStatuses),
    channel: z.enum(["sms", "email"]).optional(),
    reason: z.string().optional(),
  }),
);
