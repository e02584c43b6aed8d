import type { GridIssue, GridRow } from "./grid-row";

export type Delimiter = ";" | "," | "\t";

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const SEMICOLON = 59;
const COMMA = 44;
const TAB = 9;

/** Excel's "sep=;" first line names the delimiter and is not shown as a row. */
export function readSepLine(text: string): { delimiter?: Delimiter; start: number } {
  const match = /^sep=(.?)[ \t]*(\r\n|\n|\r|$)/i.exec(text);
  if (!match) return { start: 0 };
  const named = match[1];
  const delimiter = named === ";" || named === "," || named === "\t" ? named : undefined;
  return { delimiter, start: match[0].length };
}

/**
 * The delimiter that splits the header line most, counting only outside quotes. Ties go to ";" (French
 * Excel), then tab, then ",".
 */
export function detectDelimiter(text: string, start: number): Delimiter {
  const length = text.length;
  let index = start;
  while (index < length) {
    let semicolons = 0;
    let tabs = 0;
    let commas = 0;
    let content = false;
    let inQuotes = false;
    for (; index < length; index++) {
      const char = text.charCodeAt(index);
      if (inQuotes) {
        if (char === QUOTE) inQuotes = false;
        continue;
      }
      if (char === QUOTE) {
        inQuotes = true;
        content = true;
      } else if (char === LF || char === CR) {
        break;
      } else if (char === SEMICOLON) {
        semicolons++;
      } else if (char === TAB) {
        tabs++;
      } else if (char === COMMA) {
        commas++;
      } else if (char !== SPACE) {
        content = true;
      }
    }
    if (content) {
      if (semicolons >= tabs && semicolons >= commas && semicolons > 0) return ";";
      if (tabs >= commas && tabs > 0) return "\t";
      if (commas > 0) return ",";
      return ";";
    }
    index++;
  }
  return ";";
}

/**
 * Records of delimited text, one per Excel row: quoted fields may hold delimiters, doubled quotes and line
 * breaks. Lenient where Excel is: spaces before an opening quote are skipped, text after a closing quote is
 * kept, and an opening quote that never closes is read as a literal character (and reported).
 */
export function* csvRows(text: string, delimiter: Delimiter, start: number): Generator<GridRow> {
  const separator = delimiter.charCodeAt(0);
  const length = text.length;
  let index = start;
  let line = 0;
  while (index < length) {
    line++;
    const cells: string[] = [];
    let issues: GridIssue[] | undefined;
    for (;;) {
      let value: string | undefined;
      let first = index;
      while (first < length && text.charCodeAt(first) === SPACE) first++;
      if (first < length && text.charCodeAt(first) === QUOTE) {
        let from = first + 1;
        let quoted = "";
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) break;
          if (text.charCodeAt(close + 1) === QUOTE) {
            quoted += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value = quoted + text.slice(from, close);
          index = close + 1;
          break;
        }
        if (value === undefined) {
          issues ??= [];
          issues.push({
            column: cells.length,
            code: "spreadsheet.unclosed_quote",
            message: "A quote opens in this cell and never closes; the cell was read as written",
          });
        }
      }
      let end = index;
      while (end < length) {
        const char = text.charCodeAt(end);
        if (char === separator || char === LF || char === CR) break;
        end++;
      }
      value =
        value === undefined ? text.slice(index, end) : end > index ? value + text.slice(index, end) : value;
      cells.push(value);
      index = end;
      if (index >= length) break;
      const char = text.charCodeAt(index);
      index++;
      if (char === separator) continue;
      if (char === CR && text.charCodeAt(index) === LF) index++;
      break;
    }
    yield issues ? { line, cells, issues } : { line, cells };
  }
}
