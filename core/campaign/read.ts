import { canSeeAgency } from "../access";
import { useCompanyId, useUser } from "../actor";
import { type Counter, counters } from "../delivery/status";
import { VisibleError } from "../error";
import { CampaignEntity } from "./campaign.entity";

/** A campaign of the acting user's company and agencies, or 404: shared by the verbs and the results. */
export async function visible(campaignId: string) {
  const actor = useUser();
  const found = await CampaignEntity.get({ companyId: useCompanyId(), campaignId }).go();
  if (!found.data || !canSeeAgency(actor, found.data.agencyId)) {
    throw new VisibleError("campaign.not_found", "Campaign not found", 404);
  }
  return shown(found.data);
}

/**
 * Counters as shown: never below zero. A worker that died between a status write and its counter ADD
 * leaves them off (even negative) until the sweeper recounts (core/sweep).
 */
export function shown<T extends Record<Counter, number>>(row: T): T {
  const clamped = { ...row };
  for (const counter of counters) clamped[counter] = Math.max(0, row[counter]) as T[typeof counter];
  return clamped;
}
