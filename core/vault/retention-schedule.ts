/** The retention job's schedule, pure data: the Scheduler stack and the local cloud create it from these values. */
export const retentionScheduleName = "relais-vault-retention";
export const retentionCron = "cron(0 3 * * ? *)";
export const retentionJob = { kind: "vault.retention", companyId: "*" } as const;
