import { createHash } from "node:crypto";
import { Entity } from "electrodb";
import { entityConfig, isConditionalFailure, onTable } from "../db";
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
export async function parkedWhileClosed<J extends Job.Envelope>(job: J): Promise<boolean> {
  if ((await stateOf(job.companyId)) === "active") return false;
  await ParkedJobEntity.create({
    companyId: job.companyId,
    parkId: parkIdOf(job),
    job,
    parkedAt: new Date().toISOString(),
  })
    .go()
    .catch((error: unknown) => {
      // The same job parked already (the sweeper drives a stalled campaign again every five minutes).
      if (!isConditionalFailure(error)) throw error;
    });
  return true;
}

/** Sorted keys, so that the same job gives the same text whatever order its fields were written in. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : value && typeof value === "object"
      ? `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
          .join(",")}}`
      : JSON.stringify(value);

/**
 * One parked copy per job: the key is a digest of the job without `at` (the time a schedule fired), so a
 * job sent again while the company is suspended finds its copy instead of adding one. Two different jobs
 * never share a digest; two equal ones would do the same work, and their effects are idempotent anyway.
 */
export function parkIdOf(job: Job.Envelope) {
  const { at: _at, ...rest } = job as Job.Envelope & { at?: string };
  return createHash("sha256").update(canonical(rest)).digest("base64url").slice(0, 32);
}

/**
 * On reactivation: every parked job back on its queue, oldest first. A job's `at` (the time a schedule
 * fired) is dropped, so quiet hours are judged when it runs again, not when it was parked.
 */
export async function release(companyId: string) {
  const { data } = await ParkedJobEntity.query.byCompany({ companyId }).go({ pages: "all" });
  data.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
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
