import { Entity } from "electrodb";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, withActor } from "./actor";
import { entityConfig, isConditionalFailure, onTable, type TransactItem, transactWrite, write } from "./db";

/**
 * Domain events: a noun says what happened, other nouns react later and once. An event is written as an
 * outbox item in the same transaction as the change it describes (`commit`), so it can neither be lost
 * nor describe a change that did not commit; the table's stream carries it to the publisher
 * (functions/events/publish.ts), which puts it on the `events` topic; each subscriber (core/subscribers.ts)
 * has its own queue, filtered on the names it wants, and acts once per event id (`deliver`).
 */

/** What travels on the topic and the subscriber queues. `companyId` stays at the top: dead letters are attributed by it. */
export const Envelope = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  companyId: z.string().min(1),
  occurredAt: z.string(),
  payload: z.unknown(),
});
export type Envelope<P = unknown> = Omit<z.infer<typeof Envelope>, "payload"> & { payload: P };

/** The stream carries an outbox item within seconds (and keeps it 24 h): a few days is plenty. */
const outboxSeconds = 3 * 86_400;
/** A marker outlives every redelivery: a queue keeps a message 4 days, its DLQ 14, then « Relancer ». */
const markerSeconds = 30 * 86_400;
const expiresIn = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

/** An event waiting for the stream; its key starts with the company, as every key does. */
export const OutboxEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "outbox", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          eventId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true, readOnly: true },
          occurredAt: { type: "string", required: true, readOnly: true },
          payload: { type: "any", readOnly: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["eventId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** `handled#<subscriber>#<eventId>`: this subscriber's effect of this event is done. */
export const HandledEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "eventHandled", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          subscriber: { type: "string", required: true, readOnly: true },
          eventId: { type: "string", required: true, readOnly: true },
          name: { type: "string", required: true, readOnly: true },
          handledAt: { type: "string", required: true, readOnly: true },
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["subscriber", "eventId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** The stream's filter and the publisher recognise outbox items by ElectroDB's entity attribute. */
export const outboxEntityName = "outbox";

export type Definition<Name extends string = string, S extends z.ZodType = z.ZodType> = {
  name: Name;
  schema: S;
  /** The outbox write recording this event for the actor's company, to pass to `commit`. */
  create(payload: z.input<S>): Recorded;
};
/** An outbox write made by `Definition.create`; only `commit` takes it. */
export type Recorded = { event: Envelope; write: TransactItem };

/** `event("contact.opted_out", z.object({…}))`: a versioned name and a typed payload. */
export function event<const Name extends string, S extends z.ZodType>(
  name: Name,
  schema: S,
): Definition<Name, S> {
  return {
    name,
    schema,
    create(payload) {
      const envelope: Envelope = {
        id: ulid(),
        name,
        companyId: useCompanyId(),
        occurredAt: new Date().toISOString(),
        payload: schema.parse(payload),
      };
      const outbox = OutboxEntity.create({
        companyId: envelope.companyId,
        eventId: envelope.id,
        name,
        occurredAt: envelope.occurredAt,
        payload: envelope.payload,
        expiresAt: expiresIn(outboxSeconds),
      });
      return { event: envelope, write: write.put(outbox.params()) };
    },
  };
}

/**
 * Writes `writes` (any entity's writes, see `write` in db.ts) and records `events` in one transaction: all
 * or nothing. A refused condition throws `TransactionCanceled` (see `isConditionalFailure`), and then
 * no event exists. Returns the events recorded.
 */
export async function commit(writes: TransactItem[], events: Recorded[]) {
  await transactWrite([...writes, ...events.map((recorded) => recorded.write)]);
  return events.map((recorded) => recorded.event);
}

/** The envelope of an outbox item as the stream shows it (unmarshalled NEW_IMAGE); undefined for any other item. */
export function fromOutbox(item: Record<string, unknown>): Envelope | undefined {
  if (item.__edb_e__ !== outboxEntityName) return undefined;
  return Envelope.parse({
    id: item.eventId,
    name: item.name,
    companyId: item.companyId,
    occurredAt: item.occurredAt,
    payload: item.payload,
  });
}

type Payload<D> = D extends Definition<string, infer S> ? z.output<S> : never;
/** What a subscriber receives: the envelope of one of the events it listens to, its payload parsed. */
export type Received<D extends Definition> =
  D extends Definition<infer Name> ? Envelope<Payload<D>> & { name: Name } : never;

export type Subscriber<Name extends string = string> = {
  /** Names its queue (`events-<name>`) and its markers: never rename a live one. */
  name: Name;
  events: Definition[];
  handle(event: Envelope): Promise<void>;
};

/**
 * A reaction to some events. `handle` runs at least once per event, as the company (a system actor);
 * its effects must be safe to repeat, since a crash after them and before the marker repeats them.
 */
export function subscriber<const Name extends string, const D extends Definition[]>(
  name: Name,
  events: D,
  handle: (event: Received<D[number]>) => Promise<void>,
): Subscriber<Name> {
  return { name, events, handle: handle as (event: Envelope) => Promise<void> };
}

/** The subscriber queue's name (AWS: `<stage>-relais-events-<name>`, its DLQ `…-dlq`). */
export const queueName = <Name extends string>(subscriber: { name: Name }) =>
  `events-${subscriber.name}` as const;

/**
 * Hands one event to a subscriber once: skipped when its marker exists, else handled, then marked (a
 * conditional create, so a delivery racing this one does not fail). Events it does not listen to (a
 * filter policy changed under a message in flight) are dropped.
 */
export async function deliver(target: Subscriber, envelope: Envelope) {
  const definition = target.events.find((candidate) => candidate.name === envelope.name);
  if (!definition) return "ignored" as const;
  const marker = { companyId: envelope.companyId, subscriber: target.name, eventId: envelope.id };
  const { data: seen } = await HandledEntity.get(marker).go({ consistent: true });
  if (seen) return "duplicate" as const;
  const payload = definition.schema.parse(envelope.payload);
  await withActor(
    { type: "system", companyId: envelope.companyId, reason: `${target.name} on ${envelope.name}` },
    () => target.handle({ ...envelope, payload }),
  );
  try {
    await HandledEntity.create({
      ...marker,
      name: envelope.name,
      handledAt: new Date().toISOString(),
      expiresAt: expiresIn(markerSeconds),
    }).go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
  return "handled" as const;
}

/** Whether a subscriber has handled an event (tests, support). */
export async function handled(subscriber: string, event: Pick<Envelope, "id" | "companyId">) {
  const { data } = await HandledEntity.get({
    companyId: event.companyId,
    subscriber,
    eventId: event.id,
  }).go({ consistent: true });
  return data !== null;
}

/** What a person's erasure looks for in event payloads: their messages' ids and their personal values. */
export type Person = { messageIds: string[]; personal: string[] };

/**
 * A payload without the person: text values quoting them become "", and an event about one of their
 * messages loses its `body` (a reply's text). Undefined when the payload is not about them.
 */
export function scrub(payload: unknown, { messageIds, personal }: Person) {
  const strings = personal.filter((value) => value.length >= 3);
  const quotes = (value: unknown) => strings.some((text) => JSON.stringify(value ?? "").includes(text));
  const fields = (payload ?? {}) as Record<string, unknown>;
  const about = typeof fields.messageId === "string" && messageIds.includes(fields.messageId);
  if (!about && !quotes(fields)) return undefined;
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      quotes(value) || (about && key === "body") ? "" : value,
    ]),
  );
}

/**
 * GDPR erasure: events still waiting in the outbox (kept 3 days) about the person's messages, or quoting
 * them, lose their text values (a reply's body). Put again, the item makes a MODIFY on the stream, which
 * publishes only INSERTs.
 */
export async function forgetPerson(person: Person) {
  const found = await OutboxEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  const erased = found.data.flatMap((row) => {
    const payload = scrub(row.payload, person);
    return payload ? [{ ...row, payload }] : [];
  });
  if (erased.length > 0) await OutboxEntity.put(erased).go();
  return erased.length;
}
