const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const NO_BREAK_SPACE = 0xa0;
const APOSTROPHE = 0x27;

/** = + - @ and their full-width forms, which some Excel locales also accept as a formula start. */
const triggers = new Set([0x3d, 0x2b, 0x2d, 0x40, 0xff1d, 0xff0b, 0xff0d, 0xff20]);

/**
 * True when Excel or LibreOffice would read the text as a formula if it were typed or opened from CSV
 * (OWASP "CSV injection"): it starts with a trigger, possibly after blanks, or with a tab or carriage return.
 */
export function isFormulaLike(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first === TAB || first === CR) return true;
  let index = 0;
  for (; index < value.length; index++) {
    const char = value.charCodeAt(index);
    if (char !== SPACE && char !== NO_BREAK_SPACE && char !== LF) break;
  }
  return triggers.has(value.charCodeAt(index));
}

/** OWASP's defence for CSV: a leading apostrophe makes spreadsheets show the rest as text. */
export function escapeForCsv(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value;
}

/** Reverses escapeForCsv on import, so a list exported by us comes back unchanged. Input is trimmed. */
export function unescapeFromCsv(value: string): string {
  if (value.charCodeAt(0) !== APOSTROPHE) return value;
  const rest = value.slice(1);
  return isFormulaLike(rest) ? rest.trim() : value;
}
