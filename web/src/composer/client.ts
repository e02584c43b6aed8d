import type { InferRequestType, InferResponseType } from "hono/client";
import { api, filled, unwrap } from "../api";

/** Campaigns (functions/api/campaigns.ts): recipients read from a paste, preview, creation, reading. */

export type RecipientsRead = InferResponseType<typeof api.api.campaigns.recipients.$post, 200>;
export type AcceptedEntry = RecipientsRead["accepted"][number];
export type RejectedEntry = RecipientsRead["rejected"][number];

export type Draft = InferRequestType<typeof api.api.campaigns.preview.$post>["json"];
export type Preview = InferResponseType<typeof api.api.campaigns.preview.$post, 200>;
export type PreviewRecipient = Preview["recipients"][number];
export type SmsCount = NonNullable<PreviewRecipient["sms"]>;

export type Departure = InferResponseType<typeof api.api.campaigns.departure.$get, 200>;
export type NewCampaign = InferRequestType<typeof api.api.campaigns.$post>["json"];
export type Campaign = InferResponseType<typeof api.api.campaigns.$post, 201>["campaign"];
export type CampaignStatus = Campaign["status"];
export type CampaignMessage = InferResponseType<
  (typeof api.api.campaigns)[":campaignId"]["messages"]["$get"],
  200
>["items"][number];

type One = (typeof api.api.campaigns)[":campaignId"];
/** One campaign as its page reads it: the Info, the text as written, who was left out and why. */
export type CampaignDetails = InferResponseType<One["$get"], 200>;
export type CampaignCounts = InferResponseType<One["counts"]["$get"], 200>["counts"];
export type CampaignRecipient = InferResponseType<One["recipients"]["$get"], 200>["items"][number];
export type Answer = "yes" | "no" | "other";
export type AnswerFilter = Answer | "none";
export type Timeline = InferResponseType<One["timeline"]["$get"], 200>;

type ListQuery = InferRequestType<typeof api.api.campaigns.$get>["query"];
const param = (campaignId: string) => ({ param: { campaignId } });
const fresh = { init: { cache: "no-store" as const } };

export const campaigns = {
  readRecipients: (text: string) => unwrap(api.api.campaigns.recipients.$post({ json: { text } })),
  preview: (json: Draft, signal?: AbortSignal) =>
    unwrap(api.api.campaigns.preview.$post({ json }, { init: { signal } })),
  create: (json: NewCampaign) => unwrap(api.api.campaigns.$post({ json })),
  departure: (at?: string, signal?: AbortSignal) =>
    unwrap(
      api.api.campaigns.departure.$get({ query: at ? { at } : {} }, { init: { signal, cache: "no-store" } }),
    ),
  list: (cursor?: string, filters: Omit<ListQuery, "cursor"> = {}) =>
    unwrap(api.api.campaigns.$get({ query: { ...filters, cursor } }, { init: { cache: "no-store" } })),
  resend: (campaignId: string, audience: "no_answer" | "not_delivered") =>
    unwrap(api.api.campaigns[":campaignId"].resend.$post({ ...param(campaignId), json: { audience } })),
  get: (campaignId: string) =>
    unwrap(api.api.campaigns[":campaignId"].$get(param(campaignId), { init: { cache: "no-store" } })),
  messages: (campaignId: string, cursor?: string) =>
    unwrap(
      api.api.campaigns[":campaignId"].messages.$get(
        { ...param(campaignId), query: { cursor } },
        { init: { cache: "no-store" } },
      ),
    ),
  counts: (campaignId: string) =>
    unwrap(api.api.campaigns[":campaignId"].counts.$get(param(campaignId), fresh)),
  recipients: (campaignId: string, answer?: AnswerFilter, cursor?: string) =>
    unwrap(
      api.api.campaigns[":campaignId"].recipients.$get(
        { ...param(campaignId), query: { answer, cursor } },
        fresh,
      ),
    ),
  reclassify: (campaignId: string, messageId: string, classification: Answer) =>
    unwrap(
      api.api.campaigns[":campaignId"].messages[":messageId"].classification.$patch({
        param: { campaignId, messageId },
        json: { classification },
      }),
    ),
  cancel: (campaignId: string) => unwrap(api.api.campaigns[":campaignId"].cancel.$post(param(campaignId))),
  reschedule: (campaignId: string, sendAt: string) =>
    unwrap(api.api.campaigns[":campaignId"].reschedule.$post({ ...param(campaignId), json: { sendAt } })),
  /** The filtered list as a workbook: a plain link (same origin, the session cookie goes with it). */
  exportPath: (filters: Omit<ListQuery, "cursor">) =>
    api.api.campaigns.export.$path({ query: filled(filters) }),
  /** The campaign's report workbook, for `download`. */
  reportPath: (campaignId: string) => api.api.campaigns[":campaignId"].report.$path(param(campaignId)),
  timeline: (campaignId: string) =>
    unwrap(api.api.campaigns[":campaignId"].timeline.$get({ ...param(campaignId), query: {} }, fresh)),
};
