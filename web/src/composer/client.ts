import type { InferRequestType, InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** Campaigns (functions/api/campaigns.ts): recipients read from a paste, preview, creation, reading. */

export type RecipientsRead = InferResponseType<typeof api.api.campaigns.recipients.$post, 200>;
export type AcceptedEntry = RecipientsRead["accepted"][number];
export type RejectedEntry = RecipientsRead["rejected"][number];

export type Draft = InferRequestType<typeof api.api.campaigns.preview.$post>["json"];
export type Preview = InferResponseType<typeof api.api.campaigns.preview.$post, 200>;
export type PreviewRecipient = Preview["recipients"][number];
export type SmsCount = NonNullable<PreviewRecipient["sms"]>;

export type NewCampaign = InferRequestType<typeof api.api.campaigns.$post>["json"];
export type Campaign = InferResponseType<typeof api.api.campaigns.$post, 201>["campaign"];
export type CampaignStatus = Campaign["status"];
export type CampaignMessage = InferResponseType<
  (typeof api.api.campaigns)[":campaignId"]["messages"]["$get"],
  200
>["items"][number];

const param = (campaignId: string) => ({ param: { campaignId } });

export const campaigns = {
  readRecipients: (text: string) => unwrap(api.api.campaigns.recipients.$post({ json: { text } })),
  preview: (json: Draft, signal?: AbortSignal) =>
    unwrap(api.api.campaigns.preview.$post({ json }, { init: { signal } })),
  create: (json: NewCampaign) => unwrap(api.api.campaigns.$post({ json })),
  list: (cursor?: string) =>
    unwrap(api.api.campaigns.$get({ query: { cursor } }, { init: { cache: "no-store" } })),
  get: (campaignId: string) =>
    unwrap(api.api.campaigns[":campaignId"].$get(param(campaignId), { init: { cache: "no-store" } })),
  messages: (campaignId: string, cursor?: string) =>
    unwrap(
      api.api.campaigns[":campaignId"].messages.$get(
        { ...param(campaignId), query: { cursor } },
        { init: { cache: "no-store" } },
      ),
    ),
};
