export * as Attachments from "./attachments";
export * as Campaign from "./campaign";
export * as Departure from "./departure";
export * as CampaignPreview from "./preview";
export * as Recipients from "./recipients";
