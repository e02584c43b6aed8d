import * as z from "zod";
import { event } from "../event";

/**
 * What happens to a campaign, for other nouns to react to (core/subscribers.ts). A name is a contract:
 * a payload that changes incompatibly gets a new name (`campaign.completed.v2`), never a new shape.
 */

/** Every message has left scheduled/sending; recorded with the move to Envoyé (a campaign reopened by a carrier retry completes again). */
export const CampaignCompleted = event(
  "campaign.completed",
  z.object({ campaignId: z.string(), title: z.string(), messages: z.number().int() }),
);

/** Opt-outs passed the alert rate; recorded once per campaign, with `optOutAlertedAt`. */
export const OptOutThresholdReached = event(
  "campaign.opt_out_threshold_reached",
  z.object({ campaignId: z.string(), unsubscribed: z.number().int(), total: z.number().int() }),
);
