import { setTimeout as sleep } from "node:timers/promises";
import { Contact } from "../contact";
import { ContactEntity } from "../contact/contact.entity";

/**
 * BatchGet and BatchWrite may leave items unprocessed under load; ElectroDB hands them back rather than
 * retrying. These retry them with backoff and fail loudly if some still remain: never a silent loss.
 */
const attempts = 6;

export async function getAll<K, T>(run: (keys: K[]) => Promise<{ data: T[]; unprocessed: K[] }>, keys: K[]) {
  const found: T[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === attempts)
      throw new Error(`${pending.length} item(s) not read after ${attempts} attempts`);
    if (attempt > 0) await sleep(25 * 2 ** attempt);
    const result = await run(pending);
    found.push(...result.data);
    pending = result.unprocessed;
  }
  return found;
}

/** ElectroDB returns unprocessed puts as the items themselves and unprocessed deletes as their keys. */
async function writeAll<T>(run: (items: T[]) => Promise<{ unprocessed: unknown[] }>, items: T[]) {
  let pending = items;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === attempts)
      throw new Error(`${pending.length} item(s) not written after ${attempts} attempts`);
    if (attempt > 0) await sleep(25 * 2 ** attempt);
    pending = (await run(pending)).unprocessed as T[];
  }
}

export const putAll = writeAll;
export const deleteAll = writeAll;

/** Contacts by id, read 100 at a time; erased and unknown ids are left out. */
export async function contactsOf(companyId: string, contactIds: string[]) {
  const ids = [...new Set(contactIds)];
  const rows = ids.length
    ? await getAll(
        (keys) => ContactEntity.get(keys).go({ concurrent: 4 }),
        ids.map((contactId) => ({ companyId, contactId })),
      )
    : [];
  return new Map(rows.filter((row) => !row.erasedAt).map((row) => [row.contactId, Contact.toInfo(row)]));
}
