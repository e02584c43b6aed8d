import type * as z from "zod";
import { notYet } from "./stub";
import type { Campaign as CampaignInfo, CampaignPatch, CampaignSummary, NewCampaign } from "./types";

export async function list(): Promise<z.infer<typeof CampaignSummary>[]> {
  return notYet();
}
export async function create(_input: NewCampaign): Promise<CampaignInfo> {
  return notYet();
}
export async function get(_campaignId: string): Promise<CampaignInfo> {
  return notYet();
}
export async function update(
  _campaignId: string,
  _patch: z.input<typeof CampaignPatch>,
): Promise<CampaignInfo> {
  return notYet();
}
export async function remove(_campaignId: string): Promise<void> {
  return notYet();
}
