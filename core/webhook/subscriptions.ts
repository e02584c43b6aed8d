import { WebhookSubscriptionsEntity } from "./webhook.entity";

/**
 * Whether a company has an active endpoint for an event, cached a minute per process: the message status
 * path asks at every status write, and companies without webhooks must pay no more than one read a
 * minute per Lambda. A new subscription takes effect within that minute.
 */
const ttlMs = 60_000;
const cache = new Map<string, { events: Set<string>; until: number }>();

export async function wants(companyId: string, event: string, now = Date.now()) {
  let entry = cache.get(companyId);
  if (!entry || entry.until <= now) {
    const { data } = await WebhookSubscriptionsEntity.get({ companyId }).go();
    entry = { events: new Set(data?.events ?? []), until: now + ttlMs };
    cache.set(companyId, entry);
  }
  return entry.events.has(event);
}

/** Rewrites the company's set (an endpoint changed) and forgets this process's copy. */
export async function store(companyId: string, events: Iterable<string>) {
  const set = [...new Set(events)];
  await WebhookSubscriptionsEntity.put({
    companyId,
    // DynamoDB refuses an empty set: no attribute means no event.
    ...(set.length > 0 ? { events: set } : {}),
    updatedAt: new Date().toISOString(),
  }).go();
  cache.delete(companyId);
}

/** Tests. */
export const forget = () => cache.clear();
