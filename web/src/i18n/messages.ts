import composerEn from "./composer.en.json";
import composerFr from "./composer.fr.json";
import contactsEn from "./contacts.en.json";
import contactsFr from "./contacts.fr.json";
import en from "./en.json";
import fr from "./fr.json";

/**
 * The console's messages: the shared files (fr.json, en.json) and one pair per feature
 * (`<feature>.fr.json`, `<feature>.en.json`), merged into one catalogue per language. A feature's keys
 * start with its own prefix, so two files never define the same key (the parity test checks it).
 */
export const catalogues = {
  app: { fr, en },
  contacts: { fr: contactsFr, en: contactsEn },
  composer: { fr: composerFr, en: composerEn },
} as const;

const frAll = { ...fr, ...contactsFr, ...composerFr };
const enAll = { ...en, ...contactsEn, ...composerEn };

export type MessageKey = keyof typeof frAll;
export type Messages = Record<MessageKey, string>;

export const locales = ["fr", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "fr";

/** `satisfies` makes the compiler refuse an English file that lacks a French key. */
export const messages = { fr: frAll, en: enAll satisfies Messages } as const satisfies Record<
  Locale,
  Messages
>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages.fr, key);
}

export type Vars = Record<string, string | number>;

/** Replaces each `{name}` with its value; an unknown placeholder stays visible so it gets noticed. */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const template = messages[locale][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}
