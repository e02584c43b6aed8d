import { Entity } from "electrodb";
import { ulid } from "ulid";
import { entityConfig, onTable } from "../db";
import * as Job from "../job";
import { stateOf } from "./state";

/** Sending jobs that came while their company was suspended or closing, kept until it is reactivated. */
export const ParkedJobEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "parkedJob", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          parkId: { type: "string", required: true, readOnly: true },
          job: { type: "any", required: true, readOnly: true },
          parkedAt: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["parkId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * Called first by the jobs that send (a campaign's launch, a send job): when the company is not active,
 * the job is kept here instead of run, and `release` sends it again on reactivation. Nothing is lost and
 * nothing fails: the campaign stays « Programmé » meanwhile.
 */
export async function parkedWhileClosed(job: Job.Envelope): Promise<boolean> {
  if ((await stateOf(job.companyId)) === "active") return false;
  await ParkedJobEntity.create({
    companyId: job.companyId,
    parkId: ulid(),
    job,
    parkedAt: new Date().toISOString(),
  }).go();
  return true;
}

/**
 * On reactivation: every parked job back on its queue, oldest first. A job's `at` (the time a schedule
 * fired) is dropped, so quiet hours are judged when it runs again, not when it was parked.
 */
export async function release(companyId: string) {
  const { data } = await ParkedJobEntity.query.byCompany({ companyId }).go({ pages: "all" });
  for (const row of data) {
    const { at: _at, ...job } = row.job as Job.Envelope & { at?: string };
    await Job.enqueue(job);
    await ParkedJobEntity.delete({ companyId, parkId: row.parkId }).go();
  }
  return data.length;
}

/** How many jobs wait for the company's reactivation (the operator's company page shows it). */
export async function parkedCount(companyId: string) {
  const { data } = await ParkedJobEntity.query
    .byCompany({ companyId })
    .go({ pages: "all", attributes: ["parkId"] });
  return data.length;
}
