/**
 * Every job kind, one line each: where its definition (Job.define) lives. Loaded lazily, so a Lambda
 * loads only the kinds it sends or runs (the import worker never loads the delivery engine). The kernel
 * reads this list by kind only; nothing else lists kinds.
 */
export const kinds = {
  "campaign.launch": () => import("./delivery/dispatch").then((module) => module.LaunchCampaign),
  send: () => import("./delivery/send").then((module) => module.SendMessages),
  sweep: () => import("./sweep/sweep").then((module) => module.Sweep),
  contacts: () => import("./contact-import/job").then((module) => module.ImportContacts),
  "partners.import": () => import("./partner/import").then((module) => module.ImportPartners),
  "vault.retention": () => import("./vault/retention").then((module) => module.ApplyRetention),
  "vault.publish": () => import("./vault/publish").then((module) => module.PublishBatch),
  "info-campaign.activate": () => import("./info-campaign/window").then((module) => module.ActivateCampaign),
  "info-campaign.close": () => import("./info-campaign/window").then((module) => module.CloseCampaign),
  "vault.sign_reminder": () => import("./vault/signing-reminders").then((module) => module.SendReminder),
  "reminders.tick": () => import("./reminder/fire").then((module) => module.Tick),
  "reminders.fire": () => import("./reminder/fire").then((module) => module.Fire),
  "webhook.attempt": () => import("./webhook/delivery").then((module) => module.AttemptDelivery),
  "customers.import": () => import("./reminder/import").then((module) => module.ImportCustomers),
  "company.export": () => import("./operator/export").then((module) => module.ExportCompany),
  "company.erase": () => import("./operator/erasure").then((module) => module.EraseCompany),
  "announcement.window": () => import("./announcement/announcement").then((module) => module.Window),
  "survey.window": () => import("./survey/survey").then((module) => module.Window),
  "survey.ask": () => import("./survey/sms").then((module) => module.Ask),
  "announcement.notify": () => import("./announcement/notify").then((module) => module.Notify),
  "announcement.notify_chunk": () => import("./announcement/notify").then((module) => module.NotifyChunk),
};
