import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/mobile";

/**
 * The page scanner: the mobiles and emails a page shows, each with the name beside it when the page
 * shows one (the same table row, list item or card; else the words just before it). Pure: it reads a
 * DOM-shaped tree (the page's own in the content script, a parsed sample in tests) or a text. Mobile
 * metadata only (libphonenumber-js/mobile): a landline is not a candidate for an SMS.
 */
export type ScanNode = {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<ScanNode>;
  getAttribute?: (name: string) => string | null;
};

export type Candidate = {
  /** E.164. */
  mobile?: string;
  email?: string;
  name?: string;
};

const TEXT = 3;
const ELEMENT = 1;
const skipped = new Set([
  "SCRIPT",
  "STYLE",
  "NOSCRIPT",
  "TEMPLATE",
  "svg",
  "SVG",
  "HEAD",
  "TEXTAREA",
  "INPUT",
]);
/** Elements that hold one person: a table row, a list item, a card. */
const recordTags = new Set(["TR", "LI", "ARTICLE"]);
const recordHint = /\b(card|candidat\w*|profil\w*|person\w*|contact\w*|vcard|result\w*|item|row|fiche)\b/i;
/** Regions a French national number (0690…, 0692…) may belong to besides France. */
const overseas: CountryCode[] = ["GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"];

/** Runs of digits with single separators, not glued to a word: `+33 (0)6 12 34 56 78`, `06.12.34.56.78`. */
const digitRun = /(?<![\p{L}\p{N}_+@])(?:\+\s?)?\d(?:\d|[ .\-\u00a0/](?=\d)|\s?\(0\)\s?)*/gu;
const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** A number as written, as E.164 if it is a mobile (France first, then the overseas regions). */
export function mobileOf(written: string): string | undefined {
  let text = written.replace(/\(0\)/g, "").replace(/[^\d+]/g, "");
  if (text.startsWith("00")) text = `+${text.slice(2)}`;
  const digits = text.replace(/\D/g, "").length;
  if (digits < 8 || digits > 15) return undefined;
  const first = parsePhoneNumberFromString(text, "FR");
  if (first?.isValid()) return first.number;
  if (text.startsWith("+")) return undefined;
  for (const region of overseas) {
    const number = parsePhoneNumberFromString(text, region);
    if (number?.isValid()) return number.number;
  }
  return undefined;
}

type Hit = { kind: "mobile" | "email"; value: string; index: number; end: number };

/** Every mobile and email of a text, in order; adjacent numbers are split at the right group. */
export function findInText(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const match of text.matchAll(emailPattern))
    hits.push({
      kind: "email",
      value: match[0].toLowerCase(),
      index: match.index,
      end: match.index + match[0].length,
    });
  for (const match of text.matchAll(digitRun)) {
    const groups = [...match[0].matchAll(/\+?\s?(?:\(0\)\s?)?\d+/g)];
    let start = 0;
    while (start < groups.length) {
      let taken = 0;
      for (let end = Math.min(groups.length, start + 10); end > start; end--) {
        const first = groups[start]!;
        const last = groups[end - 1]!;
        const written = match[0].slice(first.index, last.index + last[0].length);
        const mobile = mobileOf(written);
        if (!mobile) continue;
        hits.push({
          kind: "mobile",
          value: mobile,
          index: match.index + first.index,
          end: match.index + last.index + last[0].length,
        });
        taken = end - start;
        break;
      }
      start += taken || 1;
    }
  }
  // An email's digits are not a number: drop numbers inside an email.
  const emails = hits.filter((hit) => hit.kind === "email");
  return hits
    .filter(
      (hit) =>
        hit.kind === "email" || !emails.some((email) => hit.index >= email.index && hit.end <= email.end),
    )
    .sort((a, b) => a.index - b.index);
}

const word = String.raw`(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)*|\p{Lu}{2,}(?:[-'’]\p{Lu}{2,})*)`;
const particle = "(?:de|du|des|le|la|van|von|d'|d’)";
const namePattern = new RegExp(String.raw`^(?:${word})(?:\s+(?:${particle}\s+)?(?:${word})){1,3}$`, "u");
const nameBefore = new RegExp(
  String.raw`((?:${word})(?:\s+(?:${particle}\s+)?(?:${word}))+)\s*(?:[:,(–—-]|\s(?:au|sur|joignable|tél\.?|tel\.?|mobile|portable)\b)*[\s:]*$`,
  "u",
);
const civility = /^(?:M\.|Mme|Mlle|Mr|Mrs|Ms|Monsieur|Madame|Mademoiselle)\s+/u;
/** Words that look like names in a card but are labels or headings. */
const labels =
  /\b(t[ée]l[ée]phone|mobile|portable|e-?mail|courriel|nom|pr[ée]nom|candidat|statut|adresse|ville|poste|contact|disponibilit[ée]|date|profil|actions?|source|agence|m[ée]tier|exp[ée]rience|coordonn[ée]es)\b/i;

/** A text that reads as a person's name (« Marie Dupont », « DUPONT Marie », « Mme Jean-Luc Martin »). */
export function asName(text: string): string | undefined {
  const clean = text.replace(/\s+/g, " ").trim().replace(civility, "");
  if (clean.length < 3 || clean.length > 60 || labels.test(clean)) return undefined;
  return namePattern.test(clean) ? clean : undefined;
}

/** The two capitalised words just before a number in running text. */
function nameJustBefore(text: string): string | undefined {
  const match = nameBefore.exec(text.slice(-60));
  if (!match?.[1]) return undefined;
  const words = match[1].replace(civility, "").split(/\s+/);
  // « Rappeler Julie Petit »: a sentence starts with a capital too, so two words are the likelier name.
  return asName(words.slice(-2).join(" "));
}

const isRecord = (node: ScanNode) =>
  recordTags.has(node.nodeName.toUpperCase()) ||
  recordHint.test(node.getAttribute?.("class") ?? "") ||
  /^(row|listitem|article)$/.test(node.getAttribute?.("role") ?? "");

type Text = { value: string; record?: ScanNode };

/** The text nodes in document order, each with its nearest record ancestor. */
function texts(root: ScanNode): Text[] {
  const out: Text[] = [];
  const walk = (node: ScanNode, record: ScanNode | undefined) => {
    if (node.nodeType === TEXT) {
      if (node.nodeValue?.trim()) out.push({ value: node.nodeValue, record });
      return;
    }
    if (node.nodeType !== ELEMENT && node.nodeType !== 9 && node.nodeType !== 11) return;
    if (skipped.has(node.nodeName) || skipped.has(node.nodeName.toUpperCase())) return;
    const inner = node.nodeType === ELEMENT && isRecord(node) ? node : record;
    for (let index = 0; index < node.childNodes.length; index++) walk(node.childNodes[index]!, inner);
  };
  walk(root, undefined);
  return out;
}

/** One candidate per person: a mobile and an email of the same record (and name) go together. */
class Collector {
  readonly candidates: Candidate[] = [];
  private readonly byValue = new Map<string, Candidate>();
  add(hit: Hit, name: string | undefined, group?: Candidate): Candidate {
    const known = this.byValue.get(hit.value);
    if (known) {
      known.name ??= name;
      return known;
    }
    const joins = group && !group[hit.kind] && (!name || !group.name || group.name === name);
    const current = joins ? group : { name };
    if (!joins) this.candidates.push(current);
    current.name ??= name;
    current[hit.kind] = hit.value;
    this.byValue.set(hit.value, current);
    return current;
  }
}

/** Everyone a page shows, in page order. */
export function scanNode(root: ScanNode): Candidate[] {
  const all = texts(root);
  const collector = new Collector();
  const groups = new Map<ScanNode, Candidate>();
  const names = new Map<ScanNode, string | undefined>();
  const recordName = (record: ScanNode) => {
    if (!names.has(record)) {
      const named = all.find((text) => text.record === record && asName(text.value));
      names.set(record, named && asName(named.value));
    }
    return names.get(record);
  };
  // Text split over siblings (« Marie Dupont » then « 06 12… ») reads as one line within a record.
  let previous = "";
  let previousRecord: ScanNode | undefined;
  for (const text of all) {
    if (text.record !== previousRecord) previous = "";
    previousRecord = text.record;
    for (const hit of findInText(text.value)) {
      const before = nameJustBefore(`${previous} ${text.value.slice(0, hit.index)}`);
      const name = before ?? (text.record ? recordName(text.record) : undefined);
      const group = text.record ? groups.get(text.record) : undefined;
      const added = collector.add(hit, name, group);
      if (text.record) groups.set(text.record, added);
    }
    previous = `${previous} ${text.value}`.slice(-120);
  }
  return collector.candidates;
}

/** Everyone a text names (the user's selection): names are the words just before each number. */
export function scanText(text: string): Candidate[] {
  const collector = new Collector();
  for (const hit of findInText(text)) collector.add(hit, nameJustBefore(text.slice(0, hit.index)));
  return collector.candidates;
}

/** `06 12 34 56 78` for a French mobile, the international form otherwise (GLOSSARY). */
export function formatMobile(e164: string) {
  if (/^\+33[67]\d{8}$/.test(e164)) return `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ");
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
