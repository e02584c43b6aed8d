import { formatPhone } from "../format-phone";
import type { AcceptedEntry, Preview, RejectedEntry } from "./client";

/** Who the composer writes to: entries typed or pasted, contacts picked, distribution lists. */
export type PickedContact = { contactId: string; name: string; detail?: string };
export type PickedList = { listId: string; name: string; members: number; fields: string[] };

export type Recipients = {
  entries: AcceptedEntry[];
  rejected: RejectedEntry[];
  contacts: PickedContact[];
  lists: PickedList[];
};

export const noRecipients: Recipients = { entries: [], rejected: [], contacts: [], lists: [] };

export type ReadSummary = { read: number; added: number; invalid: number; duplicates: number };

/**
 * Adds what `/api/campaigns/recipients` read to the chips: new people once (by their key), invalid
 * entries once (by their text); an entry already there counts as a duplicate.
 */
export function mergeRead(
  current: Recipients,
  read: { accepted: AcceptedEntry[]; rejected: RejectedEntry[]; duplicates: number },
): { recipients: Recipients; summary: ReadSummary } {
  const keys = new Set(current.entries.map((entry) => entry.key));
  const bad = new Set(current.rejected.map((entry) => entry.entry));
  const entries = [...current.entries];
  const rejected = [...current.rejected];
  let duplicates = read.duplicates;
  for (const entry of read.accepted) {
    if (keys.has(entry.key)) duplicates++;
    else {
      keys.add(entry.key);
      entries.push(entry);
    }
  }
  let invalid = 0;
  for (const entry of read.rejected) {
    invalid++;
    if (!bad.has(entry.entry)) {
      bad.add(entry.entry);
      rejected.push(entry);
    }
  }
  return {
    recipients: { ...current, entries, rejected },
    summary: {
      read: read.accepted.length + read.rejected.length + read.duplicates,
      added: entries.length - current.entries.length,
      invalid,
      duplicates,
    },
  };
}

/** What the preview and the campaign receive. */
export function toSources(recipients: Recipients) {
  return {
    entries: recipients.entries.map((entry) => entry.value),
    contactIds: recipients.contacts.map((contact) => contact.contactId),
    listIds: recipients.lists.map((list) => list.listId),
  };
}

export type Exclusion = "opted_out" | "unreachable" | "country_not_allowed";

/** Recipients the preview excludes, by key and by contact id, to mark their chips. */
export function exclusions(preview: Preview | undefined) {
  const byKey = new Map<string, Exclusion>();
  const byContact = new Map<string, Exclusion>();
  for (const recipient of preview?.recipients ?? []) {
    if (!recipient.excludedReason) continue;
    byKey.set(recipient.key, recipient.excludedReason);
    if (recipient.contactId) byContact.set(recipient.contactId, recipient.excludedReason);
  }
  return { byKey, byContact };
}

/** Whether pasted text is a block (cells, lines, lists) rather than one value typed. */
export function isBlock(text: string): boolean {
  return /[\t\r\n;,]/.test(text.trim());
}

/** A contact as a recipient chip: its name (else its email), and the number or email it will get. */
export function toPicked(contact: {
  contactId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  mobile?: string | null;
}): PickedContact {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || "—";
  const detail = contact.mobile ? formatPhone(contact.mobile) : (contact.email ?? undefined);
  return { contactId: contact.contactId, name, detail };
}

const handOffKey = "relais.compose.contacts";

/**
 * « Envoyer à la sélection »: the contacts page hands its picked contacts to the composer through this
 * tab's storage (a selection can be hundreds of ids, too long for an address), taken once.
 */
export function handOffContacts(contacts: PickedContact[]) {
  sessionStorage.setItem(handOffKey, JSON.stringify(contacts));
}

export function takeHandedContacts(): PickedContact[] {
  const stored = sessionStorage.getItem(handOffKey);
  sessionStorage.removeItem(handOffKey);
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed)
      ? parsed.filter(
          (item): item is PickedContact =>
            typeof item?.contactId === "string" && typeof item?.name === "string",
        )
      : [];
  } catch {
    return [];
  }
}
