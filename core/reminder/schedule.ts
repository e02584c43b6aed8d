/** The reminders' tick, pure data: the Scheduler stack and the local cloud create it from these values. */
export const reminderTickName = "relais-reminders";
/** Every hour on the hour, Europe/Paris: a reminder goes at the first hour its company may send on its day. */
export const reminderTickCron = "cron(0 * * * ? *)";
/** `at` is the occurrence's time, filled in by the Scheduler (a context attribute): what « now » is for the tick. */
export const reminderTickJob = {
  kind: "reminders.tick",
  companyId: "*",
  at: "<aws.scheduler.scheduled-time>",
} as const;
