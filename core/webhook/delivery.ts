import * as z from "zod";
import { useCompanyId } from "../actor";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import type { Envelope } from "../event";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import type { Resolver } from "./address";
import { bodyOf, webhookNameOf } from "./events";
import { post } from "./post";
import { signingSecret } from "./secret";
import * as Signature from "./signature";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";

/**
 * Delivery of events to endpoints: the subscriber writes one delivery per endpoint (keyed by event and
 * endpoint, so a redelivered event writes nothing twice) and queues its first attempt; each attempt is
 * a job that POSTs once and, on failure, queues the next one later.
 *
 * Retries: 1 min, 5 min, 30 min, 2 h, 5 h, 10 h after each failure, while the next one still falls
 * within 24 h of the event, then « échec ». Delays up to 15 min are an SQS delay (the cheapest timer);
 * longer ones go through the Scheduler port (`Scheduler.at`, a one-time schedule deleted once fired), as
 * SQS cannot hold a message longer than 15 min.
 */
export const retryDelaysSeconds = [60, 300, 1800, 7200, 18_000, 36_000] as const;
export const retryWindowMs = 24 * 3600 * 1000;
const keptSeconds = 30 * 86_400;
const sqsMaxDelaySeconds = 900;

export const AttemptJob = z.object({
  kind: z.literal("webhook.attempt"),
  companyId: z.string().min(1),
  endpointId: z.string().min(1),
  eventId: z.string().min(1),
  /** The attempt this job makes (1 = the first): a repeated job finds it made and does nothing. */
  attempt: z.number().int().min(1),
  /** « Renvoyer » and « Envoyer un test »: one attempt, no retries after it. */
  manual: z.boolean().optional(),
});
export type AttemptJob = z.infer<typeof AttemptJob>;

export async function enqueueAttempt(job: Omit<AttemptJob, "kind">, delaySeconds = 0) {
  const full: AttemptJob = { kind: "webhook.attempt", ...job };
  if (delaySeconds <= sqsMaxDelaySeconds) return Job.enqueue(full, { delaySeconds });
  await Scheduler.at(
    Scheduler.nameOf("webhook", job.eventId, job.endpointId, String(job.attempt)),
    new Date(Date.now() + delaySeconds * 1000),
    full,
  );
}

/** The subscriber (core/subscribers.ts): every active endpoint listening to this event gets a delivery. */
export async function forward(event: Envelope) {
  const companyId = useCompanyId();
  const name = webhookNameOf(event.name);
  const { data: endpoints } = await WebhookEndpointEntity.query.byCompany({ companyId }).go({ pages: "all" });
  const body = bodyOf(event);
  for (const endpoint of endpoints) {
    if (!endpoint.active || !endpoint.events.includes(name)) continue;
    const key = { companyId, endpointId: endpoint.endpointId, eventId: event.id };
    try {
      await WebhookDeliveryEntity.create({
        ...key,
        event: name,
        body,
        status: "pending",
        attempts: 0,
        createdAt: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + keptSeconds,
      }).go({ response: "none" });
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // Written by an earlier run of this event: queue its first attempt again only if none was made.
      const { data } = await WebhookDeliveryEntity.get(key).go({ consistent: true });
      if (!data || data.attempts > 0 || data.status !== "pending") continue;
    }
    await enqueueAttempt({ ...key, attempt: 1 });
  }
}

/** What an attempt may be told, for tests: the resolver, the allowed hosts, the clock. */
export type AttemptOptions = { resolve?: Resolver; allowHosts?: readonly string[]; now?: () => Date };

/** One POST of a delivery, recorded; the next attempt queued or the delivery closed. */
export async function attempt(job: AttemptJob, options: AttemptOptions = {}) {
  const now = options.now ?? (() => new Date());
  const key = { companyId: job.companyId, endpointId: job.endpointId, eventId: job.eventId };
  const { data: delivery } = await WebhookDeliveryEntity.get(key).go({ consistent: true });
  if (delivery?.status !== "pending" || delivery.attempts >= job.attempt) return "skipped";
  const { data: endpoint } = await WebhookEndpointEntity.get({
    companyId: job.companyId,
    endpointId: job.endpointId,
  }).go({ consistent: true });
  const at = now();
  const outcome =
    endpoint && (endpoint.active || job.manual)
      ? await post(
          endpoint.url,
          delivery.body,
          {
            "relais-signature": Signature.header(await signingSecret(endpoint), delivery.body, at),
            "relais-event-id": delivery.eventId,
            "relais-event": delivery.event,
          },
          {
            allowHosts: options.allowHosts ?? config("WEBHOOK_ALLOW_HOSTS"),
            resolve: options.resolve,
          },
        )
      : { ok: false, durationMs: 0, error: "Endpoint deleted or disabled" };
  const delay = retryDelaysSeconds[job.attempt - 1];
  const nextAt = delay === undefined ? undefined : new Date(at.getTime() + delay * 1000);
  const retry =
    !outcome.ok &&
    !job.manual &&
    endpoint !== null &&
    nextAt !== undefined &&
    nextAt.getTime() - Date.parse(delivery.createdAt) <= retryWindowMs;
  const status = outcome.ok ? "succeeded" : retry ? "pending" : "failed";
  try {
    const update = WebhookDeliveryEntity.patch(key).set({
      status,
      attempts: job.attempt,
      lastAttemptAt: at.toISOString(),
      durationMs: outcome.durationMs,
      ...(outcome.status === undefined ? {} : { responseStatus: outcome.status }),
      ...(retry && nextAt ? { nextAttemptAt: nextAt.toISOString() } : {}),
      ...(outcome.error ? { error: outcome.error.slice(0, 500) } : {}),
    });
    const cleared: Array<"responseStatus" | "error" | "nextAttemptAt"> = [];
    if (outcome.status === undefined) cleared.push("responseStatus");
    if (!outcome.error) cleared.push("error");
    if (!retry) cleared.push("nextAttemptAt");
    await (cleared.length > 0 ? update.remove(cleared) : update)
      // Another run of this very attempt recorded it first: it also queued what follows.
      .where(({ attempts }, { lt }) => lt(attempts, job.attempt))
      .go({ response: "none" });
  } catch (error) {
    if (isConditionalFailure(error)) return "skipped";
    throw error;
  }
  if (retry && delay !== undefined) await enqueueAttempt({ ...key, attempt: job.attempt + 1 }, delay);
  return status;
}

export const AttemptDelivery = Job.define({
  kind: "webhook.attempt",
  // Its own queue: a receiver taking its 10 s (post.ts) must not hold up the SMS on dispatch.
  queue: "webhooks",
  schema: AttemptJob,
  run: (job) => attempt(job),
});
