import * as z from "zod";
import { useActor, useCompanyId, withActor } from "../actor";
import { Audit } from "../audit";
import { isConditionalFailure, write } from "../db";
import { VisibleError } from "../error";
import { commit } from "../event";
import { fn } from "../fn";
import { withoutParser } from "./address";
import { fromThePerson } from "./sources";
import { SuppressionEntity } from "./suppression.entity";
import { SuppressionAdded } from "./suppression.events";

export { fromThePerson } from "./sources";

/**
 * The company's suppression list: every opt-out source (STOP by SMS or email, SES complaint or permanent
 * bounce, a manual opt-out) writes here, keyed by address rather than contact, so a number or email typed
 * into the composer is excluded as surely as a contact's. Recipient resolution and every send read it.
 */
export const Channel = z.enum(["sms", "email"]);
export type Channel = z.infer<typeof Channel>;
export const Source = z.enum(["STOP", "COMPLAINT", "BOUNCE", "manual"]);
export type Source = z.infer<typeof Source>;

/**
 * E.164 for numbers (French first), lower case for emails; undefined when it is neither. The phone parser
 * loads only for a number not already in E.164, so the event handlers (provider events carry E.164) never
 * load it; `normaliseSync` (./normalise-sync) is the same for callers that load the parser anyway.
 */
export async function normalise(channel: Channel, address: string): Promise<string | undefined> {
  const done = withoutParser(channel, address);
  if (typeof done !== "object") return done;
  const Phone = await import("../phone/phone");
  return Phone.parse(done.number)?.e164;
}

/** Adds the address; an existing entry keeps its first source (a STOP stays a STOP). */
export async function add(input: {
  companyId: string;
  channel: Channel;
  address: string;
  source: Source;
  reason?: string;
  contactId?: string;
  at?: string;
}) {
  const address = await normalise(input.channel, input.address);
  if (!address) return;
  const entry = SuppressionEntity.create({
    companyId: input.companyId,
    channel: input.channel,
    address,
    source: input.source,
    reason: input.reason?.slice(0, 500),
    at: input.at ?? new Date().toISOString(),
    contactId: input.contactId,
  });
  try {
    // Recorded with the entry (once: a second opt-out of the same address changes nothing and says nothing).
    await withActor({ type: "system", companyId: input.companyId, reason: "suppression" }, () =>
      commit(
        [write.put(entry.params())],
        [SuppressionAdded.create({ channel: input.channel, address, source: input.source })],
      ),
    );
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}

/**
 * Which of these addresses are suppressed, as `channel:address` → source; one BatchGetItem per 100.
 * Addresses must already be normalised (as messages and recipients hold them).
 */
export async function among(companyId: string, entries: Array<{ channel: Channel; address: string }>) {
  const found = new Map<string, string>();
  const keys = [
    ...new Map(
      entries.map(({ channel, address }) => [`${channel}:${address}`, { companyId, channel, address }]),
    ).values(),
  ];
  for (let start = 0; start < keys.length; start += 100) {
    const { data, unprocessed } = await SuppressionEntity.get(keys.slice(start, start + 100)).go();
    const rows = [...data];
    for (const left of unprocessed) {
      const { data: row } = await SuppressionEntity.get(left).go();
      if (row) rows.push(row);
    }
    for (const row of rows) found.set(`${row.channel}:${row.address}`, row.source);
  }
  return found;
}

export const Info = z.object({
  channel: Channel,
  address: z.string(),
  source: z.string(),
  reason: z.string().optional(),
  at: z.string(),
});
export type Info = z.infer<typeof Info>;

export async function get(channel: Channel, address: string): Promise<Info | undefined> {
  const normalised = await normalise(channel, address);
  if (!normalised) return undefined;
  const { data } = await SuppressionEntity.get({
    companyId: useCompanyId(),
    channel,
    address: normalised,
  }).go();
  return data
    ? { channel, address: data.address, source: data.source, reason: data.reason, at: data.at }
    : undefined;
}

export const forbidden = () =>
  new VisibleError("suppression.forbidden", "Only an Admin can lift an opt-out", 403);

export const fromPerson = () =>
  new VisibleError(
    "suppression.from_person",
    "This opt-out was asked for by the person (STOP, unsubscribe or complaint): only they can opt in again",
    409,
  );

/** Lifts an opt-out: Admins only, never one the person gave (STOP, complaint), always audited. */
export const lift = fn(z.object({ channel: Channel, address: z.string().max(254) }), async (input) => {
  const actor = useActor();
  if (actor.type !== "user" || actor.role !== "admin") throw forbidden();
  const address = await normalise(input.channel, input.address);
  if (!address) return false;
  const key = { companyId: actor.companyId, channel: input.channel, address };
  const { data } = await SuppressionEntity.get(key).go();
  if (!data) return false;
  if (fromThePerson(data.source)) throw fromPerson();
  await SuppressionEntity.delete(key)
    .where(({ source }, { eq }) => eq(source, data.source))
    .go();
  await Audit.record("suppression.lifted", {
    target: { type: "contact", id: data.contactId ?? address, label: address },
    details: { channel: input.channel, source: data.source },
  });
  return true;
});
