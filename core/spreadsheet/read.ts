import { csvRows, type Delimiter, detectDelimiter, readSepLine } from "./csv-rows";
import { rejectMarkup, sniffContainer } from "./file-format";
import { unescapeFromCsv } from "./formula-injection";
import type { CellIssueCode, GridRow } from "./grid-row";
import {
  type Column,
  type ColumnPlan,
  describeMissing,
  type HeaderMatch,
  type Mapping,
  planColumns,
} from "./header-match";
import { collectBytes } from "./input-bytes";
import { type Limits, maxCellLength, type ResolvedLimits, resolveLimits } from "./limits";
import { SpreadsheetError } from "./spreadsheet-error";
import { decodeText, type Encoding } from "./text-encoding";
import { openXlsxPackage } from "./xlsx-package";
import { xlsxRows } from "./xlsx-rows";

export type { Column, HeaderMatch, Mapping } from "./header-match";

export type Input = {
  /** The upload, whole or as it arrives (an S3 body is an AsyncIterable<Uint8Array>). */
  bytes: Uint8Array | AsyncIterable<Uint8Array>;
  fileName: string;
};

export type ReadOptions<K extends string> = {
  /** The user's choices from the mapping step; they win over aliases. */
  mapping?: Mapping<K>;
};

export type Source =
  | { format: "xlsx"; fileName: string; sheet: string }
  | { format: "csv"; fileName: string; encoding: Encoding; delimiter: Delimiter };

/** `cell` is Excel's reference (« B7 ») of an .xlsx cell, so the user can find it. */
export type CellIssue = {
  line: number;
  column?: string;
  cell?: string;
  code: CellIssueCode;
  message: string;
};

/** 0 → A, 26 → AA, as Excel names columns. */
function columnLetters(index: number): string {
  let letters = "";
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26))
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

export type Row<K extends string> = {
  /** The row number Excel shows for this row. */
  line: number;
  /** Trimmed, non-empty values of the matched columns. */
  values: Partial<Record<K, string>>;
  /** Trimmed, non-empty values of the other columns, by header. */
  extra: Record<string, string>;
  issues: readonly CellIssue[];
};

export type Summary<K extends string> = {
  source: Source;
  header: HeaderMatch<K>;
  /** Data rows returned (empty rows are skipped). */
  rows: number;
  /** Line of the last row in the file, empty or not. */
  lastLine: number;
};

const noIssues: readonly CellIssue[] = Object.freeze([]);

type Opened = { source: Source; rows: AsyncIterable<GridRow> | Iterable<GridRow>; csv: boolean };

/** Everything that can be refused without reading rows is refused here, before the first row. */
async function open(input: Input, limits: ResolvedLimits): Promise<Opened> {
  const bytes = await collectBytes(input.bytes, limits.maxBytes);
  const { fileName } = input;
  if (sniffContainer(bytes) === "zip") {
    const workbook = await openXlsxPackage(bytes, limits);
    return {
      source: { format: "xlsx", fileName, sheet: workbook.sheetName },
      rows: xlsxRows(workbook),
      csv: false,
    };
  }
  const { text, encoding } = decodeText(bytes);
  rejectMarkup(text);
  const sep = readSepLine(text);
  const delimiter = sep.delimiter ?? detectDelimiter(text, sep.start);
  return {
    source: { format: "csv", fileName, encoding, delimiter },
    rows: csvRows(text, delimiter, sep.start),
    csv: true,
  };
}

function isBlank(row: GridRow): boolean {
  if (row.issues?.length) return false;
  for (const cell of row.cells) {
    if (cell !== undefined && cell.trim() !== "") return false;
  }
  return true;
}

const headerCells = (grid: GridRow, csv: boolean) =>
  csv ? grid.cells.map((cell) => cell && unescapeFromCsv(cell.trim())) : grid.cells;

const noHeader = () => new SpreadsheetError("spreadsheet.empty", "The file has no header row.");

/** Gives a data row its meaning; undefined when nothing under a header is filled in. */
function toRow<K extends string>(grid: GridRow, plan: ColumnPlan<K>, csv: boolean): Row<K> | undefined {
  const values: Partial<Record<K, string>> = {};
  const extra: Record<string, string> = {};
  let issues: CellIssue[] | undefined;
  let filled = false;
  const { cells, line } = grid;
  const width = Math.min(plan.width, cells.length);
  for (let column = 0; column < width; column++) {
    const raw = cells[column];
    if (raw === undefined) continue;
    let value = raw.trim();
    if (value === "") continue;
    const key = plan.keyAt[column];
    const header = key === undefined ? plan.extraAt[column] : plan.match.headers[column];
    // Data under a blank header has nowhere to go.
    if (header === undefined) continue;
    filled = true;
    if (csv) value = unescapeFromCsv(value);
    if (value.length > maxCellLength) {
      issues ??= [];
      issues.push({
        line,
        column: header,
        code: "spreadsheet.cell_too_long",
        message: `The cell holds more than ${maxCellLength} characters`,
      });
      continue;
    }
    if (key === undefined) extra[header] = value;
    else values[key] = value;
  }
  if (grid.issues) {
    for (const issue of grid.issues) {
      if (issue.column >= plan.width) continue;
      const header = plan.match.headers[issue.column];
      if (!header) continue;
      filled = true;
      issues ??= [];
      if (csv) {
        issues.push({ line, column: header, code: issue.code, message: issue.message });
        continue;
      }
      const cell = `${columnLetters(issue.column)}${line}`;
      const message =
        issue.code === "spreadsheet.formula_without_value"
          ? `Cell ${cell} holds a formula without a computed value: open the file in Excel, save it, then import it again`
          : `Cell ${cell}: ${issue.message}`;
      issues.push({ line, column: header, cell, code: issue.code, message });
    }
  }
  return filled ? { line, values, extra, issues: issues ?? noIssues } : undefined;
}

/**
 * The rows of an uploaded spreadsheet (.xlsx or CSV/TSV), one at a time, never the whole file in memory.
 * Format, size, zip-bomb, header and required-column checks all happen before the first row; too many rows
 * is raised as soon as the row past the limit is met. Returns a summary when done.
 */
export async function* readRows<K extends string>(
  input: Input,
  columns: Column<K>[],
  limits: Limits,
  options: ReadOptions<K> = {},
): AsyncGenerator<Row<K>, Summary<K>, undefined> {
  const resolved = resolveLimits(limits);
  const opened = await open(input, resolved);
  let plan: ColumnPlan<K> | undefined;
  let count = 0;
  let lastLine = 0;
  for await (const grid of opened.rows) {
    lastLine = grid.line;
    if (!plan) {
      if (isBlank(grid)) continue;
      plan = planColumns(grid.line, headerCells(grid, opened.csv), columns, options.mapping);
      if (plan.width === 0) throw noHeader();
      if (plan.match.missing.length > 0) {
        throw new SpreadsheetError(
          "spreadsheet.missing_columns",
          `Required columns are missing: ${describeMissing(plan.match.missing, columns)}.`,
          { missing: plan.match.missing },
        );
      }
      continue;
    }
    const row = toRow(grid, plan, opened.csv);
    if (!row) continue;
    count++;
    if (count > resolved.maxRows) {
      throw new SpreadsheetError(
        "spreadsheet.too_many_rows",
        `The file has more than ${resolved.maxRows} rows; split it into several files.`,
        { maxRows: resolved.maxRows, line: row.line },
      );
    }
    yield row;
  }
  if (!plan) throw noHeader();
  return { source: opened.source, header: plan.match, rows: count, lastLine };
}

/** The header row and how it matches the known columns, for the mapping step. Reads no further. */
export async function detectHeaders<K extends string>(
  input: Input,
  columns: Column<K>[],
  limits: Limits,
  options: ReadOptions<K> = {},
): Promise<{ source: Source; header: HeaderMatch<K> }> {
  const opened = await open(input, resolveLimits(limits));
  for await (const grid of opened.rows) {
    if (isBlank(grid)) continue;
    const plan = planColumns(grid.line, headerCells(grid, opened.csv), columns, options.mapping);
    if (plan.width === 0) break;
    return { source: opened.source, header: plan.match };
  }
  throw noHeader();
}
