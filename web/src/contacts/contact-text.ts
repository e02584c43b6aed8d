import { errorText } from "../accounts/errors";
import { ApiError } from "../api";
import { formatPhone } from "../format-phone";
import type { Translate } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";

/**
 * Words about contacts, lists and imports: API errors of these features in the person's language
 * (`contacts.error.<code>`), falling back to the console's general error text.
 */
export function contactsErrorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `contacts.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
  }
  return errorText(t, error);
}

/** A field error the API reported (`{ path, message }`), in the person's language when we know it. */
export function fieldErrorText(t: Translate, message: string): string {
  const known: [RegExp, Parameters<Translate>[0]][] = [
    [/^Invalid email/, "contacts.field.error.email"],
    [/^Invalid phone number/, "contacts.field.error.mobile"],
    [/^A mobile number or an email is required/, "contacts.field.error.unreachable"],
    [/^A name, a mobile number or an email is required/, "contacts.field.error.empty"],
    [/^Last name is missing/, "contacts.field.error.name"],
    [/^Unknown civility/, "contacts.field.error.civility"],
    [/^Unknown type/, "contacts.field.error.type"],
    [/^Unknown channel/, "contacts.field.error.channel"],
  ];
  const match = known.find(([pattern]) => pattern.test(message));
  return match ? t(match[1]) : message;
}

/** The value an API message quotes (`Invalid phone number "06 12"` → `06 12`). */
export function quotedValue(message: string): string {
  return /"([^"]*)"/.exec(message)?.[1] ?? "";
}

/**
 * What the search box sends: a number typed with spaces, dots or dashes (`06 12 34`, `+33 6.12`) is
 * sent compact, as the API's search matches digits without separators; words are sent as typed.
 */
export function searchQuery(typed: string): string {
  const trimmed = typed.trim();
  if (/^\+?[\d\s.()-]{3,}$/.test(trimmed) && /\d/.test(trimmed)) {
    const digits = trimmed.replace(/[^\d+]/g, "");
    if (digits.startsWith("+")) return digits.slice(1);
    if (digits.startsWith("00")) return digits.slice(2);
    return digits;
  }
  return trimmed;
}

type Named = { civility?: "M" | "Mme"; firstName?: string; lastName?: string };

/** `Mme Léa Petit`, or the number or email when the contact has no name. */
export function displayName(
  contact: Named & { email?: string; mobile?: string },
  t: Translate,
  withCivility = true,
): string {
  const civility = withCivility && contact.civility ? t(`contacts.civility.${contact.civility}`) : "";
  const name = [civility, contact.firstName, contact.lastName].filter(Boolean).join(" ").trim();
  if (contact.firstName || contact.lastName) return name;
  if (contact.mobile) return formatPhone(contact.mobile);
  return contact.email ?? t("contacts.noName");
}

export function initialsOf(contact: Named & { email?: string }): string {
  const letters = `${contact.firstName?.trim().charAt(0) ?? ""}${contact.lastName?.trim().charAt(0) ?? ""}`;
  return (letters || contact.email?.charAt(0) || "?").toUpperCase();
}
