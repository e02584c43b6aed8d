import * as z from "zod";
import { useCompanyId } from "../actor";
import { canSee } from "../contact/contact";
import { contactsOf } from "../list/batch";
import type { Recipient } from "./recipients";

/**
 * Who a campaign left out at creation and why, kept on the campaign so its page can say it. Addresses are
 * kept masked and names are not kept at all: a name is read from the contact when the page is shown, so an
 * erased contact leaves nothing here, and a user who may not see a contact does not learn its name.
 */
export const reasons = ["opted_out", "country_not_allowed", "unreachable"] as const;
export type Reason = (typeof reasons)[number];
export type Stored = { contactId?: string; masked: string; reason: Reason };

/** Enough to explain a campaign; the count on the campaign stays exact beyond it. */
export const maxKept = 200;

export const Shown = z.object({
  name: z.string().optional(),
  address: z.string(),
  reason: z.enum(reasons),
});

/** `+33612345678` → `+336•••78`; `lea.martin@exemple.fr` → `l•••@exemple.fr`. */
export function mask(recipient: Pick<Recipient, "mobile" | "email">): string {
  if (recipient.mobile) return `${recipient.mobile.slice(0, 4)}•••${recipient.mobile.slice(-2)}`;
  const [local = "", domain = ""] = (recipient.email ?? "").split("@");
  return domain ? `${local.slice(0, 1)}•••@${domain}` : "•••";
}

export function kept(recipient: Recipient, reason: Reason): Stored {
  return {
    ...(recipient.contactId ? { contactId: recipient.contactId } : {}),
    masked: mask(recipient),
    reason,
  };
}

/** The stored list with the names of the contacts the reader may see (erased ones stay nameless). */
export async function shown(stored: readonly Stored[]): Promise<Array<z.infer<typeof Shown>>> {
  const contacts = await contactsOf(
    useCompanyId(),
    stored.flatMap((item) => (item.contactId ? [item.contactId] : [])),
  );
  const names = new Map<string, string>();
  for (const contact of contacts.values()) {
    if (!canSee(contact)) continue;
    const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
    if (name) names.set(contact.contactId, name);
  }
  return stored.map((item) => ({
    ...(item.contactId && names.has(item.contactId) ? { name: names.get(item.contactId) } : {}),
    address: item.masked,
    reason: item.reason,
  }));
}
