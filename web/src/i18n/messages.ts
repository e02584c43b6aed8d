import agenciesEn from "../agencies/messages.en.json";
import agenciesFr from "../agencies/messages.fr.json";
import applyEn from "../apply/messages.en.json";
import applyFr from "../apply/messages.fr.json";
import auditEn from "../audit/messages.en.json";
import auditFr from "../audit/messages.fr.json";
import companyEn from "../company/messages.en.json";
import companyFr from "../company/messages.fr.json";
import composerEn from "../composer/messages.en.json";
import composerFr from "../composer/messages.fr.json";
import contactsEn from "../contacts/messages.en.json";
import contactsFr from "../contacts/messages.fr.json";
import deadLettersEn from "../dead-letters/messages.en.json";
import deadLettersFr from "../dead-letters/messages.fr.json";
import healthEn from "../health/messages.en.json";
import healthFr from "../health/messages.fr.json";
import homeEn from "../home/messages.en.json";
import homeFr from "../home/messages.fr.json";
import infoCampaignsEn from "../info-campaigns/messages.en.json";
import infoCampaignsFr from "../info-campaigns/messages.fr.json";
import integrationsEn from "../integrations/messages.en.json";
import integrationsFr from "../integrations/messages.fr.json";
import listsEn from "../lists/messages.en.json";
import listsFr from "../lists/messages.fr.json";
import operatorEn from "../operator/messages.en.json";
import operatorFr from "../operator/messages.fr.json";
import pagesEn from "../pages/messages.en.json";
import pagesFr from "../pages/messages.fr.json";
import recruitmentEn from "../recruitment/messages.en.json";
import recruitmentFr from "../recruitment/messages.fr.json";
import remindersEn from "../reminders/messages.en.json";
import remindersFr from "../reminders/messages.fr.json";
import reportsEn from "../reports/messages.en.json";
import reportsFr from "../reports/messages.fr.json";
import sessionEn from "../session/messages.en.json";
import sessionFr from "../session/messages.fr.json";
import shellEn from "../shell/messages.en.json";
import shellFr from "../shell/messages.fr.json";
import signatureEn from "../signature/messages.en.json";
import signatureFr from "../signature/messages.fr.json";
import spaceEn from "../space/messages.en.json";
import spaceFr from "../space/messages.fr.json";
import staffEn from "../staff/messages.en.json";
import staffFr from "../staff/messages.fr.json";
import templatesEn from "../templates/messages.en.json";
import templatesFr from "../templates/messages.fr.json";
import usageEn from "../usage/messages.en.json";
import usageFr from "../usage/messages.fr.json";
import usersEn from "../users/messages.en.json";
import usersFr from "../users/messages.fr.json";
import vaultEn from "../vault/messages.en.json";
import vaultFr from "../vault/messages.fr.json";
import en from "./en.json";
import fr from "./fr.json";

type Catalogue = Record<string, string>;

/** Typing `en` from `fr` makes the compiler refuse an English file that lacks a French key. */
function pair<K extends string>(fr: Record<K, string>, en: NoInfer<Record<K, string>>) {
  return { fr, en };
}

/**
 * The console's messages: the shared catalogue (fr.json, en.json: words of every feature, API errors,
 * navigation) and one pair per feature folder (`<feature>/messages.fr.json` and `.en.json`), merged into one
 * catalogue per language. A feature's keys start with its own prefixes; shared components use only shared keys.
 * Imported one by one rather than with `import.meta.glob`, which would lose the keys' types.
 */
export const catalogues = {
  shared: pair(fr, en),
  agencies: pair(agenciesFr, agenciesEn),
  apply: pair(applyFr, applyEn),
  audit: pair(auditFr, auditEn),
  company: pair(companyFr, companyEn),
  composer: pair(composerFr, composerEn),
  contacts: pair(contactsFr, contactsEn),
  "dead-letters": pair(deadLettersFr, deadLettersEn),
  health: pair(healthFr, healthEn),
  home: pair(homeFr, homeEn),
  "info-campaigns": pair(infoCampaignsFr, infoCampaignsEn),
  integrations: pair(integrationsFr, integrationsEn),
  lists: pair(listsFr, listsEn),
  operator: pair(operatorFr, operatorEn),
  pages: pair(pagesFr, pagesEn),
  recruitment: pair(recruitmentFr, recruitmentEn),
  reminders: pair(remindersFr, remindersEn),
  reports: pair(reportsFr, reportsEn),
  usage: pair(usageFr, usageEn),
  session: pair(sessionFr, sessionEn),
  shell: pair(shellFr, shellEn),
  signature: pair(signatureFr, signatureEn),
  space: pair(spaceFr, spaceEn),
  staff: pair(staffFr, staffEn),
  templates: pair(templatesFr, templatesEn),
  users: pair(usersFr, usersEn),
  vault: pair(vaultFr, vaultEn),
} as const;

type Catalogues = typeof catalogues;
export type MessageKey = { [F in keyof Catalogues]: keyof Catalogues[F]["fr"] }[keyof Catalogues] & string;
export type Messages = Record<MessageKey, string>;

/** Throws on a key two files define with different texts: which one wins would depend on import order. */
export function mergeCatalogues(pairs: Record<string, Record<"fr" | "en", Catalogue>>, locale: "fr" | "en") {
  const merged: Catalogue = {};
  const origin: Catalogue = {};
  for (const [name, pair] of Object.entries(pairs)) {
    for (const [key, text] of Object.entries(pair[locale])) {
      if (Object.hasOwn(merged, key) && merged[key] !== text) {
        throw new Error(`Message "${key}" is defined twice with different texts (${origin[key]}, ${name})`);
      }
      merged[key] = text;
      origin[key] = name;
    }
  }
  return merged;
}

export const locales = ["fr", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "fr";

export const messages: Record<Locale, Messages> = {
  fr: mergeCatalogues(catalogues, "fr") as Messages,
  en: mergeCatalogues(catalogues, "en") as Messages,
};

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
