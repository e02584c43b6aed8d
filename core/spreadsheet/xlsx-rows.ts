import { cellText } from "./cell-text";
import type { GridIssue, GridRow } from "./grid-row";
import { SpreadsheetError, unreadable } from "./spreadsheet-error";
import type { XlsxPackage } from "./xlsx-package";
import { attribute, isDateStyle, scanXml } from "./xlsx-xml";

/** exceljs decoded the five entities once more in inline and formula strings; so do we, for the same text. */
const decodeAgain = (text: string) =>
  text.includes("&")
    ? text.replace(/&([a-z]*);/g, (whole) => {
        switch (whole) {
          case "&lt;":
            return "<";
          case "&gt;":
            return ">";
          case "&amp;":
            return "&";
          case "&apos;":
            return "'";
          case "&quot;":
            return '"';
          default:
            return whole;
        }
      })
    : text;

/** Column number (1-based) of a cell reference such as "AB12"; 0 when it has none. */
function columnOf(reference: string | undefined): number {
  if (!reference) return 0;
  let column = 0;
  for (let index = 0; index < reference.length; index++) {
    const code = reference.charCodeAt(index) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return column;
}

type Cell = { column: number; style: number; type: string | undefined; f?: string; v?: string };

/**
 * Rows of the package's one sheet, read straight from its XML (see xlsx-xml.ts). Cell values follow what
 * exceljs's streaming reader gave (shared strings resolved, numbers in a date format as dates, formulas
 * as their cached result, errors as errors), then `cellText` turns them into text as before.
 */
export async function* xlsxRows(workbook: XlsxPackage): AsyncGenerator<GridRow> {
  const { date1904 } = workbook;
  const sharedStrings = await workbook.sharedStrings();
  const formats = await workbook.numberFormats();
  const ready: GridRow[] = [];
  let inRows = false;
  let row: { line: number; cells: Array<string | undefined>; issues?: GridIssue[] } | undefined;
  let cell: Cell | undefined;
  let current: "f" | "v" | undefined;
  let previousLine = 0;
  let previousColumn = 0;

  const value = (found: Cell): unknown => {
    const format = found.style ? formats[found.style] : undefined;
    if (found.f !== undefined) {
      const formula: { formula: string; result?: unknown } = { formula: found.f };
      // An empty <v/> is no cached value (some generators write one), not a number gone wrong.
      if (found.type === "str" && found.v !== undefined) formula.result = decodeAgain(found.v);
      else if (found.type === "e" && found.v) formula.result = { error: found.v };
      else if (found.v) formula.result = Number.parseFloat(found.v);
      return formula;
    }
    if (found.v === undefined) return undefined;
    switch (found.type) {
      case "s":
        return sharedStrings[Number.parseInt(found.v, 10)];
      case "inlineStr":
      case "str":
        return decodeAgain(found.v);
      case "e":
        return { error: found.v };
      case "b":
        return Number.parseInt(found.v, 10) !== 0;
      default: {
        const number = Number.parseFloat(found.v);
        if (!isDateStyle(format)) return number;
        const offset = date1904 ? 1462 : 0;
        return new Date(Math.round((number - 25_569 + offset) * 86_400_000));
      }
    }
  };

  const endCell = (found: Cell) => {
    if (!row) return;
    const content = value(found);
    // exceljs's eachCell skipped cells without a value.
    if (content === undefined || content === null) return;
    const text = cellText(content, found.style ? formats[found.style] : undefined, date1904);
    if (typeof text === "string") row.cells[found.column - 1] = text;
    else {
      row.issues ??= [];
      row.issues.push({ column: found.column - 1, ...text });
    }
  };

  const events = {
    open(name: string, attributes: string) {
      switch (name) {
        case "sheetData":
          inRows = true;
          break;
        case "row":
          if (inRows) {
            // Rows always carry their number in files from Excel; a few generators leave it out.
            const number = Number.parseInt(attribute(attributes, "r") ?? "", 10);
            const line = Number.isInteger(number) && number > previousLine ? number : previousLine + 1;
            previousLine = line;
            previousColumn = 0;
            row = { line, cells: [] };
          }
          break;
        case "c":
          if (row) {
            // A cell without a reference follows the previous one.
            const column = columnOf(attribute(attributes, "r")) || previousColumn + 1;
            previousColumn = column;
            cell = {
              column,
              style: Number.parseInt(attribute(attributes, "s") ?? "0", 10) || 0,
              type: attribute(attributes, "t"),
            };
          }
          break;
        case "f":
          if (cell) {
            cell.f = "";
            current = "f";
          }
          break;
        case "v":
        case "is":
        case "t":
          if (cell) {
            // Like exceljs: each <t> of an inline string starts the value again.
            cell.v = "";
            current = "v";
          }
          break;
      }
    },
    close(name: string) {
      switch (name) {
        case "sheetData":
          inRows = false;
          break;
        case "row":
          if (row) {
            ready.push(row.issues ? row : { line: row.line, cells: row.cells });
            row = undefined;
          }
          break;
        case "c":
          if (cell) endCell(cell);
          cell = undefined;
          break;
      }
    },
    text(text: string) {
      // Like exceljs, text after </v> or </f> inside the cell still goes to it.
      if (cell && current) cell[current] += text;
    },
  };

  try {
    // Rows are handed out a chunk's worth at a time: the XML is scanned as it is inflated, never whole.
    for await (const _ of scanXml(workbook.sheet(), events)) {
      for (const done of ready) yield done;
      ready.length = 0;
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw unreadable("xlsx_content");
  }
}
