import type { InferRequestType, InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** Information campaigns (functions/api/info-campaigns.ts), through the typed `hc` client. */
type Campaigns = (typeof api.api)["info-campaigns"];
type One = Campaigns[":campaignId"];

export type InfoCampaign = InferResponseType<One["$get"], 200>["campaign"];
export type StepInput = InferRequestType<One["steps"]["$put"]>["json"];

const fresh = { init: { cache: "no-store" as const } };
const param = (campaignId: string) => ({ param: { campaignId } });
const campaigns = () => api.api["info-campaigns"];

export const infoCampaigns = {
  list: () => unwrap(campaigns().$get(undefined, fresh)),
  get: (campaignId: string) => unwrap(campaigns()[":campaignId"].$get(param(campaignId), fresh)),
  create: (json: InferRequestType<Campaigns["$post"]>["json"]) => unwrap(campaigns().$post({ json })),
  save: (campaignId: string, json: StepInput) =>
    unwrap(campaigns()[":campaignId"].steps.$put({ ...param(campaignId), json })),
  file: (campaignId: string, json: { fileName: string; size: number }) =>
    unwrap(campaigns()[":campaignId"].files.$post({ ...param(campaignId), json })),
  logo: (campaignId: string, json: { fileName: string; size: number }) =>
    unwrap(campaigns()[":campaignId"].logo.$post({ ...param(campaignId), json })),
  logoUrl: (campaignId: string) => campaigns()[":campaignId"].logo.$path(param(campaignId)),
  launch: (campaignId: string) => unwrap(campaigns()[":campaignId"].launch.$post(param(campaignId))),
  close: (campaignId: string) => unwrap(campaigns()[":campaignId"].close.$post(param(campaignId))),
  remove: (campaignId: string) => unwrap(campaigns()[":campaignId"].$delete(param(campaignId))),
  /** Same origin and cookie: a plain link downloads the workbook. */
  exportPath: (campaignId: string) => campaigns()[":campaignId"]["partners.xlsx"].$path(param(campaignId)),
};
