import { fold } from "../text";

/**
 * Variables in message bodies. Globals come from the contact and are written `%Prénom`, `%prenom`,
 * `% Mobile` or `%Prénom%` (hand-typed forms are tolerated); customs are `%name%` and come from list
 * fields or the composer. A lone `%` ("100 %", "20% de remise") is text.
 */
export const globals = ["Prénom", "Nom", "Email", "Mobile"] as const;
export type Global = (typeof globals)[number];

const globalByFolded = new Map<string, Global>(globals.map((name) => [fold(name), name]));
globalByFolded.set("firstname", "Prénom");
globalByFolded.set("lastname", "Nom");
globalByFolded.set("mail", "Email");
globalByFolded.set("portable", "Mobile");

/** One pass finds both kinds: `%name%` first (custom or global), else `%Global` followed by a non-letter. */
const pattern = /%[ \t]?([\p{L}_][\p{L}\p{N}_]{0,39})(%?)/gu;

export type Token =
  | { kind: "text"; text: string }
  | { kind: "global"; name: Global; raw: string }
  | { kind: "custom"; name: string; raw: string };

export function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    const [raw, name = "", closing] = match;
    const global = globalByFolded.get(fold(name));
    const start = match.index;
    if (!global && !closing) continue;
    // `%name%` must not swallow a space: "% lieu%" is text.
    if (!global && raw.startsWith("% ")) continue;
    if (start > last) tokens.push({ kind: "text", text: body.slice(last, start) });
    tokens.push(
      global ? { kind: "global", name: global, raw } : { kind: "custom", name: name.toLowerCase(), raw },
    );
    last = start + raw.length;
  }
  if (last < body.length) tokens.push({ kind: "text", text: body.slice(last) });
  return tokens;
}

/** The custom variables a body needs, lower-cased, in order of first appearance. */
export function customNames(...bodies: string[]): string[] {
  const names: string[] = [];
  for (const body of bodies) {
    for (const token of tokenize(body)) {
      if (token.kind === "custom" && !names.includes(token.name)) names.push(token.name);
    }
  }
  return names;
}

export type Person = { firstName?: string; lastName?: string; email?: string; mobile?: string };

/** French mobiles shown as people write them: 06 12 34 56 78. */
export function displayNumber(e164?: string) {
  if (!e164) return "";
  if (/^\+33[67]\d{8}$/.test(e164)) return `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, "$1 ");
  return e164;
}

/** The key under which the composer gives a global's fallback word: `%Prénom` (as it is written). */
export const fallbackKey = (name: Global) => `%${name}`;

/**
 * Fills every variable; a custom one without a value is reported, not left as `%lieu%` in an SMS. A global
 * the person lacks (« Bonjour , … » for a number typed in) takes its fallback word when one is given, else
 * is left empty and reported in `emptyGlobals`.
 */
export function render(body: string, person: Person, values: Record<string, string>) {
  const missing: string[] = [];
  const emptyGlobals: Global[] = [];
  let out = "";
  for (const token of tokenize(body)) {
    if (token.kind === "text") out += token.text;
    else if (token.kind === "global") {
      const own =
        token.name === "Prénom"
          ? person.firstName
          : token.name === "Nom"
            ? person.lastName
            : token.name === "Email"
              ? person.email
              : displayNumber(person.mobile);
      const fallback = values[fallbackKey(token.name)]?.trim();
      if (own?.trim()) out += own;
      else if (fallback) out += fallback;
      else if (!emptyGlobals.includes(token.name)) emptyGlobals.push(token.name);
    } else {
      const value =
        values[token.name] ?? values[Object.keys(values).find((key) => fold(key) === fold(token.name)) ?? ""];
      if (value === undefined || value === "") {
        if (!missing.includes(token.name)) missing.push(token.name);
      } else out += value;
    }
  }
  return { text: out, missing, emptyGlobals };
}
