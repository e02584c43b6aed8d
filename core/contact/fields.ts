import * as z from "zod";
import { Phone } from "../phone";
import { fold as foldText } from "../text";
import type { channels, contactTypes } from "./contact.entity";

/**
 * Turning what people type (or what an ATS exports) into a contact's fields. Each problem names the
 * field, so an import can point at the column and the console at the input.
 */
export type Issue = { field: string; code: string; message: string };

export const Input = z.object({
  civility: z.string().max(20).optional(),
  firstName: z.string().max(80).optional(),
  lastName: z.string().max(80).optional(),
  email: z.string().max(254).optional(),
  mobile: z.string().max(40).optional(),
  type: z.string().max(20).optional(),
  skills: z.union([z.string().max(1000), z.array(z.string().max(100)).max(50)]).optional(),
  description: z.string().max(2000).optional(),
  position: z.string().max(200).optional(),
  preferredChannel: z.string().max(10).optional(),
  customFields: z.record(z.string().max(40), z.string().max(500)).optional(),
});
export type Input = z.infer<typeof Input>;

export type Normalized = {
  civility?: "M" | "Mme";
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  smsCapable: boolean;
  /** Absent when the input said nothing: a merge then keeps the contact's type, a new contact is "externe". */
  type?: (typeof contactTypes)[number];
  skills?: string[];
  description?: string;
  position?: string;
  preferredChannel?: (typeof channels)[number];
  customFields?: Record<string, string>;
};

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

const civilities: Record<string, "M" | "Mme"> = {
  m: "M",
  mr: "M",
  monsieur: "M",
  mme: "Mme",
  madame: "Mme",
  mlle: "Mme",
  mademoiselle: "Mme",
  mrs: "Mme",
  ms: "Mme",
};

/**
 * Every word for a type, folded; the console's own labels (contacts.type.* in French and English, and the
 * glossary's) are among them, so an export of the console's table imports back.
 */
const types: Record<string, (typeof contactTypes)[number]> = {
  externe: "externe",
  candidat: "externe",
  candidate: "externe",
  interimaire: "externe",
  external: "externe",
  candidatexterne: "externe",
  externalcandidate: "externe",
  utilisateurexterne: "externe",
  externaluser: "externe",
  interne: "interne",
  salarie: "interne",
  employe: "interne",
  employee: "interne",
  internal: "interne",
  salarieinterne: "interne",
  internalemployee: "interne",
  utilisateurinterne: "interne",
  internaluser: "interne",
  client: "client",
  customer: "client",
};

const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const clean = (value: string | undefined) => {
  const trimmed = value?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed : undefined;
};

export function normalize(input: Input): { value: Normalized; issues: Issue[] } {
  const issues: Issue[] = [];
  const value: Normalized = { smsCapable: false };

  const civility = clean(input.civility);
  if (civility) {
    value.civility = civilities[fold(civility).replace(/ /g, "")];
    if (!value.civility)
      issues.push({
        field: "civility",
        code: "contact.civility_unknown",
        message: `Unknown civility "${civility}" (M. or Mme)`,
      });
  }
  value.firstName = clean(input.firstName);
  value.lastName = clean(input.lastName);

  const email = clean(input.email)?.toLowerCase();
  if (email) {
    if (emailPattern.test(email)) value.email = email;
    else issues.push({ field: "email", code: "contact.email_invalid", message: `Invalid email "${email}"` });
  }

  const mobile = clean(input.mobile);
  if (mobile) {
    const parsed = Phone.parse(mobile);
    if (parsed) {
      value.mobile = parsed.e164;
      value.smsCapable = parsed.mobile;
    } else {
      issues.push({
        field: "mobile",
        code: "contact.mobile_invalid",
        message: `Invalid phone number "${mobile}"`,
      });
    }
  }

  const type = clean(input.type);
  if (type) {
    const known = types[fold(type).replace(/ /g, "")];
    if (known) value.type = known;
    else
      issues.push({
        field: "type",
        code: "contact.type_unknown",
        message: `Unknown type "${type}" (externe, interne or client)`,
      });
  }

  const skills = Array.isArray(input.skills) ? input.skills : input.skills?.split(/[,;|\n]/);
  const kept = skills?.map((skill) => clean(skill)).filter((skill): skill is string => Boolean(skill));
  if (kept?.length) value.skills = [...new Set(kept)];
  value.description = clean(input.description);
  value.position = clean(input.position);

  const channel = clean(input.preferredChannel)?.toLowerCase();
  if (channel) {
    if (channel === "sms" || channel === "email" || channel === "e-mail")
      value.preferredChannel = channel === "sms" ? "sms" : "email";
    else
      issues.push({
        field: "preferredChannel",
        code: "contact.channel_unknown",
        message: `Unknown channel "${channel}" (SMS or email)`,
      });
  }
  if (input.customFields && Object.keys(input.customFields).length > 0)
    value.customFields = input.customFields;

  if (!value.firstName && !value.lastName && !value.email && !value.mobile) {
    issues.push({
      field: "lastName",
      code: "contact.name_missing",
      message: "A name, a mobile number or an email is required",
    });
  } else if (!value.lastName && !value.firstName) {
    issues.push({ field: "lastName", code: "contact.name_missing", message: "Last name is missing" });
  }
  if (
    !value.mobile &&
    !value.email &&
    !issues.some((issue) => issue.field === "mobile" || issue.field === "email")
  ) {
    issues.push({
      field: "mobile",
      code: "contact.unreachable",
      message: "A mobile number or an email is required",
    });
  }
  return { value, issues };
}

/** The dedupe keys of a contact: its number and its email. */
export function keysOf(contact: { mobile?: string; email?: string }) {
  const keys: string[] = [];
  if (contact.mobile) keys.push(`m:${contact.mobile}`);
  if (contact.email) keys.push(`e:${contact.email}`);
  return keys;
}

export function searchText(contact: {
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  skills?: readonly string[];
}) {
  const national = contact.mobile?.startsWith("+33") ? `0${contact.mobile.slice(3)}` : "";
  return fold(
    [
      contact.firstName,
      contact.lastName,
      contact.email,
      contact.mobile?.replace("+", ""),
      national,
      // Shown on the contact's row, so searched too (« cariste »).
      ...(contact.skills ?? []),
    ]
      .filter(Boolean)
      .join(" "),
  );
}

export const foldQuery = fold;

/**
 * The words of a text a search can look up: folded, split on anything but letters and digits, of three
 * characters or more (shorter ones are only checked on the results, see `searchPlan`).
 */
const words = (text: string) =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3);

/** The national form of a French number (`0612…`), the digits of any other. */
const nationalDigits = (digits: string) => (digits.startsWith("33") ? `0${digits.slice(2)}` : digits);

/** An email as one search word: lower case, without accents or spaces. */
const foldEmail = (email: string) => foldText(email).replace(/[\s#]/g, "");

/** At most this many search words a contact (the rest of a long skill list stays searchable by filter). */
export const maxTokens = 40;

/**
 * The words a contact is found by, each the key of a search item (contact.entity.ts): its names' words,
 * its email whole (so typing its start finds it), its number in national form, its skills' words. Each
 * is a write of an import row (README, "Contacts at 50,000 and 500,000"): no more than that.
 */
export function tokensOf(contact: {
  firstName?: string;
  lastName?: string;
  email?: string;
  mobile?: string;
  skills?: readonly string[];
}) {
  const tokens = new Set<string>();
  for (const word of words(`${contact.firstName ?? ""} ${contact.lastName ?? ""}`)) tokens.add(word);
  if (contact.email) tokens.add(foldEmail(contact.email));
  if (contact.mobile) tokens.add(nationalDigits(contact.mobile.replace(/\D/g, "")));
  for (const skill of contact.skills ?? []) for (const word of words(skill)) tokens.add(word);
  return [...tokens].slice(0, maxTokens);
}

/**
 * How a typed search is answered: `indexed` is the word looked up by prefix among the search items (the
 * longest, so the rarest), `others` are the words each result must also contain. A number typed with
 * spaces or dots ("06 12 34", "+33 6 12") is one word in national form; an email is one word. Without a
 * word of three characters or more, `indexed` is undefined and the search filters the list instead.
 */
export function searchPlan(query: string): { indexed?: string; others: string[] } {
  const typed = query.trim();
  if (/^[\d\s.+()-]+$/.test(typed)) {
    const digits = nationalDigits(typed.replace(/\D/g, ""));
    return digits.length >= 3 ? { indexed: digits, others: [] } : { others: digits ? [digits] : [] };
  }
  if (typed.includes("@")) return { indexed: foldEmail(typed), others: [] };
  const all = [
    ...new Set(
      fold(typed)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    ),
  ];
  const longest = all.reduce<string | undefined>(
    (best, word) => (word.length >= 3 && word.length > (best?.length ?? 0) ? word : best),
    undefined,
  );
  return { indexed: longest, others: all.filter((word) => word !== longest) };
}
