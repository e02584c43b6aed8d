export * as InfoCampaign from "./info-campaign";
export * as InfoCampaignReach from "./reach";
