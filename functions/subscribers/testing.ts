import * as Event from "../../core/event";
import { OutboxEntity } from "../../core/event";
import { until } from "../api/testing";

/** Test fixtures for domain events: find what a verb recorded, wait for a subscriber to finish with it. */

/** The events of `name` recorded for a company (its outbox items), oldest first, that `match` accepts. */
export async function recorded(
  companyId: string,
  name: string,
  match: (payload: Record<string, unknown>) => boolean = () => true,
) {
  const { data } = await OutboxEntity.query.byCompany({ companyId }).go({ pages: "all", consistent: true });
  return data
    .filter((item) => item.name === name && match((item.payload ?? {}) as Record<string, unknown>))
    .map((item) => ({ id: item.eventId, companyId: item.companyId, name: item.name, payload: item.payload }));
}

/** Waits until a subscriber has handled an event (its marker is written after the effect). */
export function handledBy(subscriber: string, event: { id: string; companyId: string }) {
  return until(async () => ((await Event.handled(subscriber, event)) ? true : undefined));
}

/** The local stream mapping's controls (scripts/local/events.ts), on the local server. */
export const localEvents = () => `${process.env.LOCAL_URL}/local/events`;
