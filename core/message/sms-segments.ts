/**
 * How many SMS units a text costs. GSM 03.38 (7-bit) holds 160 characters in one SMS and 153 per part
 * when split; characters of its extension table (€ [ ] { } \ ~ ^ |) take two. Anything outside the
 * alphabet forces UCS-2: 70 characters, 67 per part, counted in UTF-16 code units (an emoji takes two).
 */
const basic =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const extension = "^{}\\[~]|€\f";
const basicSet = new Set(basic);
const extensionSet = new Set(extension);

export type Encoding = "GSM-7" | "UCS-2";

export type Count = {
  encoding: Encoding;
  /** Characters as the person sees them. */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2): what the limits apply to. */
  units: number;
  segments: number;
  /** What is left in the last segment before another one starts. */
  remaining: number;
  /** The characters that force UCS-2, each once, in order of appearance. */
  unicodeCharacters: string[];
};

export function count(text: string): Count {
  let septets = 0;
  const unicode: string[] = [];
  for (const char of text) {
    if (basicSet.has(char)) septets += 1;
    else if (extensionSet.has(char)) septets += 2;
    else if (!unicode.includes(char)) unicode.push(char);
  }
  const characters = [...text].length;
  if (unicode.length === 0) {
    const segments = septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153);
    const capacity = segments <= 1 ? 160 : segments * 153;
    return {
      encoding: "GSM-7",
      characters,
      units: septets,
      segments,
      remaining: capacity - septets,
      unicodeCharacters: [],
    };
  }
  const units = text.length;
  const segments = units === 0 ? 0 : units <= 70 ? 1 : Math.ceil(units / 67);
  const capacity = segments <= 1 ? 70 : segments * 67;
  return {
    encoding: "UCS-2",
    characters,
    units,
    segments,
    remaining: capacity - units,
    unicodeCharacters: unicode,
  };
}

/**
 * GSM-7 stand-ins for what French text often contains. é è ù à ì ò É and Ç are in GSM-7 and stay;
 * lowercase ç is not.
 */
const replacements: Record<string, string> = {
  ê: "e",
  ë: "e",
  â: "a",
  á: "a",
  î: "i",
  ï: "i",
  í: "i",
  ô: "o",
  ó: "o",
  û: "u",
  ú: "u",
  ÿ: "y",
  ç: "c",
  œ: "oe",
  Œ: "OE",
  æ: "ae",
  À: "A",
  Â: "A",
  È: "E",
  Ê: "E",
  Ë: "E",
  Î: "I",
  Ï: "I",
  Ô: "O",
  Ù: "U",
  Û: "U",
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u00ab": '"',
  "\u00bb": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2026": "...",
  "\u2022": "-",
  "\u00a0": " ",
  "\u202f": " ",
  "\u2009": " ",
  "\t": " ",
};

/** Invisible characters pasted from Word or web pages: they force UCS-2 or break words. */
export const invisible = [
  "\u00a0",
  "\u202f",
  "\u2009",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u2060",
  "\ufeff",
  "\u00ad",
];

export function suggestReplacement(char: string): string | undefined {
  if (char in replacements) return replacements[char];
  if (invisible.includes(char)) return char === "\u00a0" || char === "\u202f" || char === "\u2009" ? " " : "";
  return undefined;
}

/** One-click clean-up: every replaceable character swapped; emoji and the like are left for the author. */
export function toGsm(text: string): string {
  let out = "";
  for (const char of text) {
    if (basicSet.has(char) || extensionSet.has(char)) out += char;
    else out += suggestReplacement(char) ?? char;
  }
  return out;
}

export function findInvisible(text: string): Array<{ index: number; char: string; name: string }> {
  const names: Record<string, string> = {
    "\u00a0": "non-breaking space",
    "\u202f": "narrow non-breaking space",
    "\u2009": "thin space",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "byte order mark",
    "\u00ad": "soft hyphen",
  };
  const found: Array<{ index: number; char: string; name: string }> = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (names[char]) found.push({ index, char, name: names[char] });
  }
  return found;
}

export function removeInvisible(text: string): string {
  return text.replace(/[\u00a0\u202f\u2009]/g, " ").replace(/\u200b|\u200c|\u200d|\u2060|\ufeff|\u00ad/g, "");
}
