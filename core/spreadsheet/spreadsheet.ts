/**
 * Spreadsheets in and out. Reading: `detectHeaders` for the mapping step, then `readRows` streams the rows
 * of an .xlsx (first visible sheet) or CSV/TSV as trimmed strings with Excel's line numbers; every refusal
 * is a SpreadsheetError with a stable code. Writing: `writeXlsx` and `writeCsv`, safe against formula
 * injection.
 */
export { type CellIssueCode, cellIssueCodes } from "./grid-row";
export { Mapping, normaliseHeader } from "./header-match";
export { defaultLimits, Limits } from "./limits";
export {
  type CellIssue,
  type Column,
  detectHeaders,
  type HeaderMatch,
  type Input,
  type ReadOptions,
  type Row,
  readRows,
  type Source,
  type Summary,
} from "./read";
export { type ErrorCode, errorCodes, SpreadsheetError } from "./spreadsheet-error";
export { type CellValue, type Sheet, type SheetColumn, writeCsv, writeXlsx } from "./write";
