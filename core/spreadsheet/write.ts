import { once } from "node:events";
import type { Writable } from "node:stream";
import type ExcelJS from "exceljs";
import { dateText, numberText } from "./cell-text";
import { escapeForCsv, isFormulaLike } from "./formula-injection";
import { maxCellLength } from "./limits";

export type CellValue = string | number | Date | boolean | null | undefined;
export type SheetColumn = { header: string; key: string; width?: number };
export type RowSource = AsyncIterable<Record<string, CellValue>> | Iterable<Record<string, CellValue>>;
export type Sheet = { name: string; columns: SheetColumn[]; rows: RowSource };

/** Lets the zip and the output catch up now and then, so a long export is not buffered whole. */
const yieldEvery = 500;

async function letOutputDrain(output: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (output.writableNeedDrain) await once(output, "drain");
}

/** Excel refuses sheet names over 31 characters, with []:*?/\, blank, or twice the same. */
function sheetNames(sheets: Sheet[]): string[] {
  const taken = new Set<string>();
  return sheets.map((sheet, index) => {
    const base =
      sheet.name
        .replace(/[[\]:*?/\\]/g, " ")
        .replace(/^'+|'+$/g, "")
        .trim()
        .slice(0, 31) || `Sheet${index + 1}`;
    let name = base;
    for (let copy = 2; taken.has(name.toLowerCase()); copy++) {
      const suffix = ` (${copy})`;
      name = base.slice(0, 31 - suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

const isMidnight = (date: Date) => date.getTime() % 86_400_000 === 0;

/**
 * Writes an .xlsx with exceljs's streaming writer, row by row: bold frozen header, auto-filter. Resolves
 * once the output has finished, so whoever reads the output (an S3 upload) must already be reading.
 *
 * Formula injection: every string is written as a string cell (never a formula object), so nothing is
 * evaluated when the file is opened. Text that would turn into a formula if someone edited the cell also
 * gets the Text number format "@": Excel and LibreOffice then keep whatever is typed in it as text.
 * exceljs cannot write the quotePrefix style attribute, and an apostrophe in the content would show up in
 * every "+33…" phone number, so "@" is the equivalent we use; the text itself is unchanged.
 *
 * Dates are written as their UTC clock time: convert to the zone to show (Europe/Paris) before passing
 * them, or pass text. Numbers that are not finite are left blank; text is cut at Excel's 32,767 characters.
 */
export async function writeXlsx(output: Writable, sheets: Sheet[]): Promise<void> {
  // Loaded on first use: a process that only reads spreadsheets (the import worker, when a file has no
  // errors) never pays exceljs's ~25 MB of code.
  const { default: exceljs } = await import("exceljs");
  const workbook = new exceljs.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  // One object per style: exceljs recognises a style it has seen by identity.
  const headerStyle: Partial<ExcelJS.Style> = { font: { bold: true }, numFmt: "@" };
  const textStyle: Partial<ExcelJS.Style> = { numFmt: "@" };
  const dayStyle: Partial<ExcelJS.Style> = { numFmt: "dd/mm/yyyy" };
  const timeStyle: Partial<ExcelJS.Style> = { numFmt: "dd/mm/yyyy hh:mm" };

  const names = sheetNames(sheets);
  for (const [index, sheet] of sheets.entries()) {
    const worksheet = workbook.addWorksheet(names[index], { views: [{ state: "frozen", ySplit: 1 }] });
    const { columns } = sheet;
    worksheet.columns = columns.map((column) => ({
      key: column.key,
      width: column.width ?? Math.min(50, Math.max(10, column.header.length + 2)),
    }));
    const header = worksheet.addRow(columns.map((column) => column.header));
    header.eachCell((cell) => {
      cell.style = headerStyle;
    });
    header.commit();

    let written = 0;
    for await (const record of sheet.rows) {
      const values: Array<string | number | boolean | Date | null> = new Array(columns.length);
      for (let column = 0; column < columns.length; column++) {
        values[column] = xlsxValue(record[columns[column]!.key]);
      }
      const row = worksheet.addRow(values);
      for (let column = 0; column < columns.length; column++) {
        const value = values[column];
        if (typeof value === "string") {
          if (isFormulaLike(value)) row.getCell(column + 1).style = textStyle;
        } else if (value instanceof Date) {
          row.getCell(column + 1).style = isMidnight(value) ? dayStyle : timeStyle;
        }
      }
      row.commit();
      if (++written % yieldEvery === 0) await letOutputDrain(output);
    }
    if (columns.length > 0) {
      worksheet.autoFilter = {
        from: { row: 1, column: 1 },
        to: { row: written + 1, column: columns.length },
      };
    }
    worksheet.commit();
  }
  await workbook.commit();
}

function xlsxValue(value: CellValue): string | number | boolean | Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "string") return value.length > maxCellLength ? value.slice(0, maxCellLength) : value;
  return value;
}

function csvText(value: CellValue): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    // French Excel reads "12,5" as a number and "12.5" as text or a date.
    return Number.isFinite(value) ? numberText(value).replace(".", ",") : "";
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : dateText(value).replace("T", " ");
  return escapeForCsv(value);
}

function csvField(text: string): string {
  return /[;"\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes CSV the way French Excel opens it by double-click: UTF-8 with a BOM, ";" between fields, CRLF,
 * decimal commas. Text that a spreadsheet would run as a formula is prefixed with "'" (OWASP), which the
 * reader removes again on import. Resolves once the output has finished.
 */
export async function writeCsv(output: Writable, sheet: Omit<Sheet, "name">): Promise<void> {
  const { columns } = sheet;
  const write = async (chunk: string) => {
    if (!output.write(chunk)) await once(output, "drain");
  };
  await write(`\uFEFF${columns.map((column) => csvField(escapeForCsv(column.header))).join(";")}\r\n`);
  let batch = "";
  let count = 0;
  for await (const record of sheet.rows) {
    let line = "";
    for (let column = 0; column < columns.length; column++) {
      if (column > 0) line += ";";
      line += csvField(csvText(record[columns[column]!.key]));
    }
    batch += `${line}\r\n`;
    if (++count % yieldEvery === 0) {
      await write(batch);
      batch = "";
    }
  }
  if (batch) await write(batch);
  const finished = once(output, "finish");
  output.end();
  await finished;
}
