import { canSeeAgency } from "../access";
import { useCompanyId, useUser } from "../actor";
import { VisibleError } from "../error";
import { CampaignEntity } from "./campaign.entity";

/** A campaign of the acting user's company and agencies, or 404: shared by the verbs and the results. */
export async function visible(campaignId: string) {
  const actor = useUser();
  const found = await CampaignEntity.get({ companyId: useCompanyId(), campaignId }).go();
  if (!found.data || !canSeeAgency(actor, found.data.agencyId)) {
    throw new VisibleError("campaign.not_found", "Campaign not found", 404);
  }
  return found.data;
}
