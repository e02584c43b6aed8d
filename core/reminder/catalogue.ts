import type { Rule } from "./planning";

/**
 * The scenarios every garage starts with. Templates stay within GSM-7 (no ’, « », ô, ê, ç: any of them
 * turns the SMS into UCS-2 and 70 characters), hence « controle » without its accent.
 */
export const templateVariables = [
  "civilite",
  "nom",
  "immatriculation",
  "modele",
  "garage",
  "telephone",
] as const;
export type TemplateVariable = (typeof templateVariables)[number];

export type Scenario = {
  key: string;
  name: { fr: string; en: string };
  /** The default delay before the reminder, as offered in the form. */
  delayMonths: number;
  rule: Rule;
  template: { fr: string; en: string };
};

const booking = { fr: "RDV : {garage}, {telephone}", en: "Book: {garage}, {telephone}" };
const hello = { fr: "Bonjour {civilite} {nom},", en: "Hello {civilite} {nom}," };
const car = "{modele} ({immatriculation})";
const texts = (fr: string, en: string) => ({
  fr: `${hello.fr} ${fr} ${booking.fr}`,
  en: `${hello.en} ${en} ${booking.en}`,
});

export const seededScenarios: Scenario[] = [
  {
    key: "amortisseurs",
    name: { fr: "Amortisseurs", en: "Shock absorbers" },
    delayMonths: 48,
    rule: { everyKm: 80_000, everyMonths: 48 },
    template: texts(
      `les amortisseurs de votre ${car} sont à vérifier.`,
      `your ${car} needs its shock absorbers checked.`,
    ),
  },
  {
    key: "changement_pneu",
    name: { fr: "Changement pneu", en: "Tyre change" },
    delayMonths: 36,
    rule: { everyKm: 40_000, everyMonths: 36 },
    template: texts(
      `les pneus de votre ${car} sont à changer.`,
      `the tyres of your ${car} may need changing.`,
    ),
  },
  {
    key: "controle_technique",
    name: { fr: "Contrôle technique", en: "MOT test" },
    delayMonths: 24,
    rule: { everyMonths: 24, firstMonths: 48 },
    template: texts(
      `le controle technique de votre ${car} approche.`,
      `the MOT test of your ${car} is due soon.`,
    ),
  },
  {
    key: "courroie_distribution",
    name: { fr: "Courroie de distribution", en: "Timing belt" },
    delayMonths: 60,
    rule: { everyKm: 120_000, everyMonths: 60 },
    template: texts(
      `votre ${car} : courroie de distribution à changer.`,
      `the timing belt of your ${car} is due for a change.`,
    ),
  },
  {
    key: "echappement",
    name: { fr: "Échappement", en: "Exhaust" },
    delayMonths: 48,
    rule: { everyMonths: 48 },
    template: texts(
      `l'échappement de votre ${car} est à vérifier.`,
      `the exhaust of your ${car} needs a check.`,
    ),
  },
  {
    key: "liquide_frein",
    name: { fr: "Liquide de frein", en: "Brake fluid" },
    delayMonths: 24,
    rule: { everyMonths: 24 },
    template: texts(
      `le liquide de frein de votre ${car} est à changer.`,
      `the brake fluid of your ${car} needs changing.`,
    ),
  },
  {
    key: "pre_controle_technique",
    name: { fr: "Pré contrôle technique", en: "Pre-MOT check" },
    delayMonths: 23,
    // A month before the contrôle technique (48 months, then 24), to repair before it, not after.
    rule: { everyMonths: 23, firstMonths: 47 },
    template: texts(
      `votre ${car} : pré-controle technique conseillé.`,
      `a pre-MOT check of your ${car} is advised.`,
    ),
  },
  {
    key: "recharge_climatisation",
    name: { fr: "Recharge climatisation", en: "Air conditioning recharge" },
    delayMonths: 24,
    rule: { everyMonths: 24 },
    template: texts(
      `la climatisation de votre ${car} est à recharger.`,
      `the A/C of your ${car} needs a recharge.`,
    ),
  },
  {
    key: "revision",
    name: { fr: "Révision", en: "Service" },
    delayMonths: 12,
    rule: { everyKm: 20_000, everyMonths: 12 },
    template: texts(`la révision de votre ${car} approche.`, `your ${car} is due for its service.`),
  },
  {
    key: "systeme_freinage",
    name: { fr: "Système de freinage", en: "Braking system" },
    delayMonths: 24,
    rule: { everyKm: 30_000, everyMonths: 24 },
    template: texts(`les freins de votre ${car} sont à vérifier.`, `the brakes of your ${car} need a check.`),
  },
  {
    key: "texte_libre",
    name: { fr: "Texte libre", en: "Free text" },
    delayMonths: 12,
    rule: { everyMonths: 12 },
    template: texts(
      `nous vous contactons au sujet de votre ${car}.`,
      `we are contacting you about your ${car}.`,
    ),
  },
];

const known: ReadonlySet<string> = new Set(templateVariables);

/** Fills the known variables; anything else in braces is left as typed, for the author to see. */
export function fill(template: string, values: Record<TemplateVariable, string>): string {
  return template.replace(/\{(\w+)\}/g, (raw, name: string) =>
    known.has(name) ? values[name as TemplateVariable] : raw,
  );
}
