import { Contact } from "../contact";
import { Phone } from "../phone";

/**
 * Numbers and emails pasted from Excel: cells arrive separated by tabs and newlines, and people also type
 * `;` or `,` between them. Spaces do not separate (06 12 34 56 78 is one number). Every entry is either
 * kept, folded into an earlier identical one, or reported with its reason: nothing is dropped silently.
 */
export const maxEntries = 10_000;
const maxEntryLength = 254;

export type Rejected = { entry: string; position: number; code: string; message: string };
export type Accepted = { entry: string; key: string; position: number; value: Contact.Normalized };

export type Parsed = {
  /** Non-empty entries read, in order. */
  entries: number;
  accepted: Accepted[];
  /** Entries that repeat an earlier one (same number or email once normalised, or the same bad text). */
  duplicates: number;
  rejected: Rejected[];
};

const separators = /[\t\r\n;,]+/;
/** Quotes Excel adds around cells, "<a@b.fr>", "mailto:" and "tel:" prefixes. */
const wrapping = /^["'<«\s]+|["'>»\s]+$/g;

export function split(text: string): string[] {
  return text
    .split(separators)
    .map((entry) => entry.replace(wrapping, "").replace(/^(mailto|tel):/i, ""))
    .filter((entry) => entry.length > 0);
}

function read(entry: string): { key: string; value: Contact.Normalized } | { code: string; message: string } {
  if (entry.length > maxEntryLength)
    return { code: "paste.too_long", message: `Longer than ${maxEntryLength} characters` };
  if (entry.includes("@")) {
    const { value } = Contact.normalize({ email: entry });
    if (!value.email) return { code: "paste.email_invalid", message: "Invalid email address" };
    return {
      key: `e:${value.email}`,
      value: { email: value.email, smsCapable: false } as Contact.Normalized,
    };
  }
  if (!/\d/.test(entry))
    return { code: "paste.unrecognised", message: "Neither a phone number nor an email address" };
  const parsed = Phone.parse(entry);
  if (!parsed) return { code: "paste.phone_invalid", message: "Invalid phone number" };
  if (!parsed.mobile)
    return { code: "paste.not_mobile", message: "Landline or special number: cannot receive SMS" };
  return { key: `m:${parsed.e164}`, value: { mobile: parsed.e164, smsCapable: true } as Contact.Normalized };
}

/**
 * The values carry no `type`: Contact.merge keeps an existing contact's type only when the incoming one
 * is undefined, and a number pasted into a list says nothing about whether it is a candidate or an
 * employee. New contacts get the entity's default ("externe").
 */
export function parse(text: string): Parsed {
  const entries = split(text);
  const seen = new Set<string>();
  const accepted: Accepted[] = [];
  const rejected: Rejected[] = [];
  let duplicates = 0;
  entries.forEach((entry, index) => {
    const position = index + 1;
    const result = read(entry);
    const key = "key" in result ? result.key : `x:${entry}`;
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    if ("key" in result) accepted.push({ entry, key, position, value: result.value });
    else rejected.push({ entry, position, code: result.code, message: result.message });
  });
  return { entries: entries.length, accepted, duplicates, rejected };
}
