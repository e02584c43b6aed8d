/**
 * The sweeper's schedule, pure data: the Scheduler stack creates it on AWS and the local cloud at start
 * (core/sweep/sweep.ts), from these same values.
 */

/** The company id of the sweep that covers every company; any other id sweeps that company only. */
export const everyCompany = "*";
export const sweepScheduleName = "relais-sweep";
export const sweepEvery = "rate(5 minutes)";
export const sweepJob = { kind: "sweep", companyId: everyCompany } as const;
