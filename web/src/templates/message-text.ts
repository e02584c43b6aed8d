import { count, invisible, suggestReplacement } from "../../../core/message/sms-segments";
import { tokenize } from "../../../core/message/variables";

/**
 * The console reads message bodies with the server's own pure modules (variables, SMS segments), so the
 * highlighting, counters and one-click fixes agree with what the API will count and send.
 */
export { count, findInvisible, removeInvisible, toGsm } from "../../../core/message/sms-segments";
export { customNames, globals } from "../../../core/message/variables";

export type Piece =
  | { kind: "text"; text: string }
  | { kind: "global"; text: string; name: string }
  | { kind: "custom"; text: string; name: string }
  /** A character that forces UCS-2; `replacement` is its GSM-7 stand-in when there is one. */
  | { kind: "unicode"; text: string; replacement?: string }
  /** Non-breaking, zero-width and other characters the eye cannot see. */
  | { kind: "invisible"; text: string };

const invisibleSet = new Set(invisible);

function splitText(text: string, pieces: Piece[]) {
  let plain = "";
  const flush = () => {
    if (plain) pieces.push({ kind: "text", text: plain });
    plain = "";
  };
  for (const char of text) {
    if (invisibleSet.has(char)) {
      flush();
      pieces.push({ kind: "invisible", text: char });
    } else if (char !== "\n" && char !== "\r" && count(char).encoding === "UCS-2") {
      flush();
      pieces.push({ kind: "unicode", text: char, replacement: suggestReplacement(char) });
    } else plain += char;
  }
  flush();
}

/** A body cut into what the highlighter colours: variables, UCS-2 characters, invisible ones, text. */
export function pieces(body: string): Piece[] {
  const out: Piece[] = [];
  for (const token of tokenize(body)) {
    if (token.kind === "text") splitText(token.text, out);
    else out.push({ kind: token.kind, text: token.raw, name: token.name });
  }
  return out;
}

/** The characters of `text` that force UCS-2 and have a GSM-7 stand-in (what one click can fix). */
export function replaceableCharacters(text: string): string[] {
  return count(text).unicodeCharacters.filter(
    (char) => !invisibleSet.has(char) && suggestReplacement(char) !== undefined,
  );
}

/** Names shown for invisible characters, by code point. */
export const invisibleNames: Record<string, "nbsp" | "thin" | "zeroWidth" | "softHyphen" | "bom"> = {
  "\u00a0": "nbsp",
  "\u202f": "nbsp",
  "\u2009": "thin",
  "\u200b": "zeroWidth",
  "\u200c": "zeroWidth",
  "\u200d": "zeroWidth",
  "\u2060": "zeroWidth",
  "\ufeff": "bom",
  "\u00ad": "softHyphen",
};

/** A custom variable name as the parser reads it: a letter or `_`, then letters, digits or `_`. */
export function customNameProblem(name: string): "chars" | "global" | null {
  if (!/^[\p{L}_][\p{L}\p{N}_]{0,39}$/u.test(name)) return "chars";
  const folded = name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
  if (["prenom", "nom", "email", "mobile", "firstname", "lastname", "mail", "portable"].includes(folded)) {
    return "global";
  }
  return null;
}
