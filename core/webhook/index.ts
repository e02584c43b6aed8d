export * as WebhookSignature from "./signature";
export * as Webhook from "./webhook";
