import { createHash } from "node:crypto";
import { Contact } from "../contact";

/**
 * What a list clean removes and what its health summary counts, from members joined with their contacts.
 * Pure, so the rules are testable without a table.
 */
export type Reachable = {
  contactId: string;
  contact: {
    mobile?: string;
    email?: string;
    smsCapable: boolean;
    optOut: { sms?: string; email?: string };
  } | null;
};

export const categories = ["invalid", "optedOut", "duplicates"] as const;
export type Category = (typeof categories)[number];

/** No SMS-capable mobile and no email, or a contact erased or gone: nothing can reach it. */
export const isInvalid = (member: Reachable) =>
  !member.contact || (!(member.contact.mobile && member.contact.smsCapable) && !member.contact.email);

const smsReachable = (member: Reachable) =>
  Boolean(member.contact?.mobile && member.contact.smsCapable && !member.contact.optOut.sms);
const emailReachable = (member: Reachable) => Boolean(member.contact?.email && !member.contact.optOut.email);

/** Opted out of every channel it has (e.g. STOP by SMS and no email): valid, but no longer reachable. */
export const isOptedOut = (member: Reachable) =>
  !isInvalid(member) && !smsReachable(member) && !emailReachable(member);

/**
 * Sorts members into what a clean would remove. Each member lands in one category at most, checked in
 * order: invalid, then opted out, then duplicates among the rest (same mobile or same email as a member
 * kept before it, in contact id order), so the member kept of a duplicate group is always a reachable one.
 */
export class Classifier<M extends Reachable> {
  readonly found: Record<Category, M[]> = { invalid: [], optedOut: [], duplicates: [] };
  private readonly keys = new Set<string>();

  add(member: M): Category | undefined {
    const category = isInvalid(member)
      ? "invalid"
      : isOptedOut(member)
        ? "optedOut"
        : Contact.keysOf(member.contact ?? {}).some((key) => this.keys.has(key))
          ? "duplicates"
          : undefined;
    if (category) this.found[category].push(member);
    else for (const key of Contact.keysOf(member.contact ?? {})) this.keys.add(key);
    return category;
  }
}

/** Counts of a list's health, built member by member. */
export class Health {
  total = 0;
  valid = 0;
  invalid = 0;
  optedOut = { sms: 0, email: 0 };
  duplicates = 0;
  smsCapable = 0;
  emailCapable = 0;

  add(member: Reachable, category: Category | undefined) {
    this.total++;
    if (isInvalid(member)) this.invalid++;
    else this.valid++;
    if (member.contact?.optOut.sms) this.optedOut.sms++;
    if (member.contact?.optOut.email) this.optedOut.email++;
    if (category === "duplicates") this.duplicates++;
    if (smsReachable(member)) this.smsCapable++;
    if (emailReachable(member)) this.emailCapable++;
  }

  summary() {
    return {
      total: this.total,
      valid: this.valid,
      invalid: this.invalid,
      optedOut: { ...this.optedOut },
      duplicates: this.duplicates,
      smsCapable: this.smsCapable,
      emailCapable: this.emailCapable,
    };
  }
}

/** Binds a clean confirmation to the preview it was shown: same list, exactly the same members per category. */
export function token(listId: string, found: Record<Category, Array<{ contactId: string }>>) {
  const hash = createHash("sha256").update(listId);
  for (const category of categories) {
    hash.update(`|${category}:`);
    hash.update(
      found[category]
        .map((member) => member.contactId)
        .sort()
        .join(","),
    );
  }
  return hash.digest("base64url");
}
