import { ulid } from "ulid";
import * as z from "zod";
import { useActor, useCompanyId } from "../actor";
import { Audit } from "../audit";
import { config } from "../config";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { check, RefusedAddress, type Resolver } from "./address";
import { enqueueAttempt } from "./delivery";
import { bodyOf, webhookEvents } from "./events";
import * as Secret from "./secret";
import * as Subscriptions from "./subscriptions";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";

export const Event = z.enum(webhookEvents);

export const EndpointInfo = z.object({
  endpointId: z.string(),
  url: z.string(),
  events: z.array(Event),
  active: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type EndpointInfo = z.infer<typeof EndpointInfo>;

export const DeliveryInfo = z.object({
  eventId: z.string(),
  event: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number(),
  createdAt: z.string(),
  lastAttemptAt: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  responseStatus: z.number().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
});
export type DeliveryInfo = z.infer<typeof DeliveryInfo>;

const Url = z.string().trim().url().max(2000);
export const NewEndpoint = z.object({ url: Url, events: z.array(Event).min(1).max(webhookEvents.length) });
export const EndpointChanges = z.object({
  url: Url.optional(),
  events: z.array(Event).min(1).max(webhookEvents.length).optional(),
  active: z.boolean().optional(),
});

/** Webhooks are managed by a signed-in Admin (never by an API key). */
function useAdmin() {
  const actor = useActor();
  if (actor.type !== "user" || actor.role !== "admin")
    throw new VisibleError("auth.forbidden", "Only an Admin manages webhooks", 403);
  return actor;
}

/** A clear 400 at creation; the check that protects is the one made at every delivery (delivery.ts). */
export async function validateUrl(url: string, resolve?: Resolver) {
  try {
    await check(new URL(url), config("WEBHOOK_ALLOW_HOSTS"), resolve);
  } catch (error) {
    if (error instanceof RefusedAddress) throw new VisibleError("webhook.url_refused", error.message, 400);
    throw new VisibleError("webhook.url_refused", "Invalid URL", 400);
  }
}

type EndpointRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof WebhookEndpointEntity.get>["go"]>>["data"]
>;
const toEndpoint = (row: EndpointRow): EndpointInfo => ({
  endpointId: row.endpointId,
  url: row.url,
  events: Event.array().parse([...row.events].filter((name) => Event.safeParse(name).success)),
  active: row.active,
  createdAt: row.createdAt,
  createdByName: row.createdByName,
});

const notFound = () => new VisibleError("webhook.not_found", "Webhook not found", 404);

async function rows(companyId: string) {
  const { data } = await WebhookEndpointEntity.query.byCompany({ companyId }).go({ pages: "all" });
  return data as EndpointRow[];
}

/** Active endpoints of the company listening to `event` (the subscriber and the ping read it). */
export async function endpointsFor(event: string) {
  return (await rows(useCompanyId())).filter((row) => row.active && row.events.includes(event));
}

async function refreshSubscriptions(companyId: string) {
  const events = (await rows(companyId)).filter((row) => row.active).flatMap((row) => [...row.events]);
  await Subscriptions.store(companyId, events);
}

async function visible(endpointId: string) {
  const { data } = await WebhookEndpointEntity.get({ companyId: useCompanyId(), endpointId }).go({
    consistent: true,
  });
  if (!data) throw notFound();
  return data as EndpointRow;
}

export const create = fn(NewEndpoint, async (input) => {
  const actor = useAdmin();
  await validateUrl(input.url);
  const endpointId = ulid();
  // Shown this once: only its sealed form is stored.
  const secret = Secret.generate();
  const { data } = await WebhookEndpointEntity.create({
    companyId: actor.companyId,
    endpointId,
    url: input.url,
    events: [...new Set(input.events)],
    sealedSecret: Secret.sealFor(actor.companyId, secret),
    active: true,
    createdAt: new Date().toISOString(),
    createdByName: actor.name,
  }).go();
  await refreshSubscriptions(actor.companyId);
  await Audit.record("webhook.created", {
    target: { type: "webhook", id: endpointId, label: input.url },
    details: { events: input.events },
  });
  return { secret, endpoint: toEndpoint(data as EndpointRow) };
});

export async function list() {
  useAdmin();
  const endpoints = await rows(useCompanyId());
  // Endpoints from before sealing that no delivery has read since: sealed when their Admin looks.
  await Promise.all(endpoints.filter((row) => row.secret).map((row) => Secret.sealClear(row)));
  return endpoints.map(toEndpoint).reverse();
}

export const update = fn(
  z.object({ endpointId: z.string(), changes: EndpointChanges }),
  async ({ endpointId, changes }) => {
    const actor = useAdmin();
    await visible(endpointId);
    if (changes.url) await validateUrl(changes.url);
    const { data } = await WebhookEndpointEntity.patch({ companyId: actor.companyId, endpointId })
      .set({
        ...(changes.url ? { url: changes.url } : {}),
        ...(changes.events ? { events: [...new Set(changes.events)] } : {}),
        ...(changes.active === undefined ? {} : { active: changes.active }),
      })
      .go({ response: "all_new" });
    await refreshSubscriptions(actor.companyId);
    const endpoint = toEndpoint(data as EndpointRow);
    await Audit.record("webhook.updated", {
      target: { type: "webhook", id: endpointId, label: endpoint.url },
      details: changes,
    });
    return endpoint;
  },
);

export async function remove(endpointId: string) {
  const actor = useAdmin();
  const row = await visible(endpointId);
  await WebhookEndpointEntity.delete({ companyId: actor.companyId, endpointId }).go();
  await refreshSubscriptions(actor.companyId);
  // Its deliveries go too: nothing shows them any more, and a person's erasure finds deliveries
  // through the endpoints that exist (erasure.ts).
  const { data: deliveries } = await WebhookDeliveryEntity.query
    .byEndpoint({ companyId: actor.companyId, endpointId })
    .go({ pages: "all", attributes: ["companyId", "endpointId", "eventId"] });
  if (deliveries.length > 0) await WebhookDeliveryEntity.delete(deliveries).go();
  await Audit.record("webhook.deleted", { target: { type: "webhook", id: endpointId, label: row.url } });
}

type DeliveryRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof WebhookDeliveryEntity.get>["go"]>>["data"]
>;
export const toDelivery = (row: DeliveryRow): DeliveryInfo => ({
  eventId: row.eventId,
  event: row.event,
  status: row.status,
  attempts: row.attempts,
  createdAt: row.createdAt,
  lastAttemptAt: row.lastAttemptAt,
  nextAttemptAt: row.nextAttemptAt,
  responseStatus: row.responseStatus,
  durationMs: row.durationMs,
  error: row.error,
});

/** The endpoint's latest deliveries, newest first (event ids are ULIDs). */
export async function deliveries(endpointId: string, limit = 20) {
  useAdmin();
  await visible(endpointId);
  const { data } = await WebhookDeliveryEntity.query
    .byEndpoint({ companyId: useCompanyId(), endpointId })
    .go({ order: "desc", count: limit });
  return data.map((row) => toDelivery(row as DeliveryRow));
}

/** « Renvoyer »: the same event (same id and body, freshly signed) sent again once, now. */
export async function redeliver(endpointId: string, eventId: string) {
  useAdmin();
  await visible(endpointId);
  const key = { companyId: useCompanyId(), endpointId, eventId };
  const { data } = await WebhookDeliveryEntity.get(key).go({ consistent: true });
  if (!data) throw new VisibleError("webhook.delivery_not_found", "Delivery not found", 404);
  const { data: updated } = await WebhookDeliveryEntity.patch(key)
    .set({ status: "pending" })
    .remove(["nextAttemptAt"])
    .go({ response: "all_new" });
  await enqueueAttempt({ ...key, attempt: (updated as DeliveryRow).attempts + 1, manual: true });
  return toDelivery(updated as DeliveryRow);
}

/** « Envoyer un test »: a `ping` event to this endpoint, whatever it subscribed to. */
export async function ping(endpointId: string) {
  useAdmin();
  const endpoint = await visible(endpointId);
  const eventId = ulid();
  const body = bodyOf({
    id: eventId,
    name: "ping",
    occurredAt: new Date().toISOString(),
    payload: { message: "Test de Relais" },
  });
  const { data } = await WebhookDeliveryEntity.create({
    companyId: endpoint.companyId,
    endpointId,
    eventId,
    event: "ping",
    body,
    status: "pending",
    attempts: 0,
    createdAt: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + 30 * 86_400,
  }).go();
  await enqueueAttempt({ companyId: endpoint.companyId, endpointId, eventId, attempt: 1, manual: true });
  return toDelivery(data as DeliveryRow);
}
