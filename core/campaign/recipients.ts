import * as z from "zod";
import { useCompanyId } from "../actor";
import { Contact } from "../contact";
import { ContactEntity, ContactKeyEntity } from "../contact/contact.entity";
import * as Pricing from "../delivery/pricing";
import { settingsOf } from "../delivery/settings";
import { List } from "../list";
import * as Paste from "../list/paste";
import { Suppression } from "../suppression";

/**
 * Who a message goes to, from the three ways the composer names people: entries typed or pasted
 * (numbers, emails), contacts picked, and distribution lists. Everyone once, with their list fields.
 */
export const Sources = z.object({
  entries: z.array(z.string().max(254)).max(10_000).default([]),
  contactIds: z.array(z.string().max(64)).max(5_000).default([]),
  listIds: z.array(z.string().max(64)).max(20).default([]),
});
export type Sources = z.input<typeof Sources>;

export type Recipient = {
  /** `m:+336…`, `e:…` or `c:<contactId>`: what makes two mentions the same person. */
  key: string;
  contactId?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  smsCapable: boolean;
  preferredChannel?: "sms" | "email";
  optOutSms: boolean;
  optOutEmail: boolean;
  /** Why SMS may not go to this mobile (its country is not on the company's list). */
  smsRefused?: string;
  /** Values of list custom fields, by field name. */
  fields: Record<string, string>;
};

export type Rejected = { entry: string; code: string; message: string };

/**
 * Typed or pasted entries, each with the contact holding its number or email (erased ones left out),
 * whether the acting user may see that contact or not: callers decide what an unseen one may reveal.
 */
async function readTyped(text: string) {
  const parsed = Paste.parse(text);
  const companyId = useCompanyId();
  const owners = new Map<string, string>();
  const keys = parsed.accepted.map((entry) => entry.key);
  for (let start = 0; start < keys.length; start += 100) {
    const found = await ContactKeyEntity.get(
      keys.slice(start, start + 100).map((key) => ({ companyId, key })),
    ).go();
    for (const item of found.data) owners.set(item.key, item.contactId);
  }
  const contacts = await contactsById([...new Set(owners.values())]);
  return {
    parsed,
    accepted: parsed.accepted.map((entry) => ({
      entry,
      value: entry.value.mobile ?? entry.value.email ?? entry.entry,
      holder: contacts.get(owners.get(entry.key) ?? ""),
    })),
  };
}

/** Chips for the "À" field: each entry read, with the person's name when the user may see them. */
export async function readEntries(text: string) {
  const { parsed, accepted } = await readTyped(text);
  return {
    accepted: accepted.map(({ entry, value, holder }) => ({
      entry: entry.entry,
      key: entry.key,
      value,
      contact:
        holder && Contact.canSee(holder)
          ? {
              contactId: holder.contactId,
              name: [holder.firstName, holder.lastName].filter(Boolean).join(" "),
            }
          : undefined,
    })),
    rejected: parsed.rejected.map(({ entry, code, message }) => ({ entry, code, message })),
    duplicates: parsed.duplicates,
  };
}

/** Contacts by id, erased ones left out; callers check `Contact.canSee`. */
async function contactsById(contactIds: string[]) {
  const companyId = useCompanyId();
  const map = new Map<string, Contact.Info>();
  for (let start = 0; start < contactIds.length; start += 100) {
    const found = await ContactEntity.get(
      contactIds.slice(start, start + 100).map((contactId) => ({ companyId, contactId })),
    ).go();
    for (const row of found.data)
      if (!row.erasedAt) map.set(row.contactId, Contact.toInfo(row as Parameters<typeof Contact.toInfo>[0]));
  }
  return map;
}

const fromContact = (contact: Contact.Info, fields: Record<string, string> = {}): Recipient => ({
  key: contact.mobile
    ? `m:${contact.mobile}`
    : contact.email
      ? `e:${contact.email}`
      : `c:${contact.contactId}`,
  contactId: contact.contactId,
  firstName: contact.firstName,
  lastName: contact.lastName,
  email: contact.email,
  mobile: contact.mobile,
  smsCapable: contact.smsCapable,
  preferredChannel: contact.preferredChannel,
  optOutSms: Boolean(contact.optOut.sms),
  optOutEmail: Boolean(contact.optOut.email),
  fields,
});

/** Everyone named, once; list members keep their field values. Rejected entries are reported. */
export async function resolve(input: Sources) {
  const sources = Sources.parse(input);
  const people = new Map<string, Recipient>();
  const add = (recipient: Recipient) => {
    const existing = people.get(recipient.key);
    people.set(
      recipient.key,
      existing
        ? { ...existing, ...recipient, fields: { ...existing.fields, ...recipient.fields } }
        : recipient,
    );
  };
  const read = await readTyped(sources.entries.join("\n"));
  for (const { entry, value, holder } of read.accepted) {
    if (holder && Contact.canSee(holder)) add(fromContact(holder));
    else {
      // Someone else's contact stays a typed address: no id, name or other field, only its opt-outs.
      const mobile = entry.key.startsWith("m:") ? value : undefined;
      add({
        key: entry.key,
        mobile,
        email: mobile ? undefined : value,
        smsCapable: Boolean(mobile),
        optOutSms: Boolean(holder?.optOut.sms),
        optOutEmail: Boolean(holder?.optOut.email),
        fields: {},
      });
    }
  }
  const picked = await contactsById(sources.contactIds);
  for (const contactId of sources.contactIds) {
    const contact = picked.get(contactId);
    // Unknown and unseen answer alike, so an id cannot be probed.
    if (!contact || !Contact.canSee(contact)) throw Contact.notFound(contactId);
    add(fromContact(contact));
  }
  const listFields: string[] = [];
  for (const listId of sources.listIds) {
    listFields.push(...(await List.variables(listId)));
    for await (const page of List.memberPages(listId)) {
      for (const member of page) {
        if (!member.contact) continue;
        const contact = member.contact;
        add({
          key: contact.mobile
            ? `m:${contact.mobile}`
            : contact.email
              ? `e:${contact.email}`
              : `c:${member.contactId}`,
          contactId: member.contactId,
          firstName: contact.firstName,
          lastName: contact.lastName,
          email: contact.email,
          mobile: contact.mobile,
          smsCapable: contact.smsCapable,
          optOutSms: Boolean(contact.optOut.sms),
          optOutEmail: Boolean(contact.optOut.email),
          fields: member.fields,
        });
      }
    }
  }
  const recipients = [...people.values()];
  await markSuppressed(recipients);
  const { smsCountries } = await settingsOf(useCompanyId());
  for (const recipient of recipients)
    if (recipient.mobile) recipient.smsRefused = Pricing.refusal(recipient.mobile, smsCountries);
  return {
    recipients,
    rejected: read.parsed.rejected.map(({ entry, code, message }) => ({ entry, code, message })),
    listFields: [...new Set(listFields)],
  };
}

/**
 * Addresses on the company's suppression list count as opted out, contact or not (a number typed into
 * the composer that once answered STOP): the preview then shows them excluded, and the send skips them.
 */
async function markSuppressed(recipients: Recipient[]) {
  const entries = recipients.flatMap((recipient) => [
    ...(recipient.mobile ? [{ channel: "sms" as const, address: recipient.mobile }] : []),
    ...(recipient.email ? [{ channel: "email" as const, address: recipient.email.toLowerCase() }] : []),
  ]);
  if (entries.length === 0) return;
  const suppressed = await Suppression.among(useCompanyId(), entries);
  for (const recipient of recipients) {
    if (recipient.mobile && suppressed.has(`sms:${recipient.mobile}`)) recipient.optOutSms = true;
    if (recipient.email && suppressed.has(`email:${recipient.email.toLowerCase()}`))
      recipient.optOutEmail = true;
  }
}
