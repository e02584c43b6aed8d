/** The delivery engine's verbs, for handlers: launch, send, status events, replies. */
export { classify, command } from "./classify";
export { fanOut, LaunchCampaign, LaunchJob, launch, paceOf, SendJob, scheduleName } from "./dispatch";
export * as EmailReplies from "./email-replies";
export { EmailEvent, emailEvent, SmsEvent, smsEvent } from "./events";
export { nextAllowed, quietReason } from "./quiet-hours";
export { InboundSms, inboundEmail, inboundSms, reclassifyMessage, stopConfirmation } from "./replies";
export { leaseMs, SendMessages, sendJob } from "./send";
export * as Settings from "./settings";
export { rank } from "./status";
