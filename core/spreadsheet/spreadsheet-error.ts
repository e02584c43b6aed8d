import { VisibleError } from "../error";

/** Stable codes the console translates; the English message is a fallback for logs and API clients. */
export const errorCodes = [
  "spreadsheet.unsupported_format",
  "spreadsheet.unreadable",
  "spreadsheet.too_large",
  "spreadsheet.too_many_rows",
  "spreadsheet.zip_bomb",
  "spreadsheet.empty",
  "spreadsheet.missing_columns",
  "spreadsheet.invalid_mapping",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

const statusByCode: Record<ErrorCode, 400 | 413 | 422> = {
  "spreadsheet.unsupported_format": 422,
  "spreadsheet.unreadable": 422,
  "spreadsheet.too_large": 413,
  "spreadsheet.too_many_rows": 413,
  "spreadsheet.zip_bomb": 413,
  "spreadsheet.empty": 422,
  "spreadsheet.missing_columns": 422,
  "spreadsheet.invalid_mapping": 400,
};

/** A file the user gave us cannot be imported as it is; the code says why. */
export class SpreadsheetError extends VisibleError {
  declare readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, statusByCode[code], details);
    this.name = "SpreadsheetError";
  }
}

export const unsupportedFormat = (detected: string) =>
  new SpreadsheetError(
    "spreadsheet.unsupported_format",
    `This file looks like ${detected}, which cannot be imported. Save it as an Excel workbook (.xlsx) or as CSV and try again.`,
    { detected },
  );

export const unreadable = (reason: string, message?: string) =>
  new SpreadsheetError(
    "spreadsheet.unreadable",
    message ??
      "The file is damaged or is not a spreadsheet. Open it in Excel, save it as .xlsx or CSV and try again.",
    { reason },
  );

export const passwordProtected = () =>
  unreadable(
    "encrypted",
    "The workbook is protected by a password. Remove the password in Excel, save it and try again.",
  );

export const zipBomb = (reason: string) =>
  new SpreadsheetError(
    "spreadsheet.zip_bomb",
    "The workbook expands to far more data than a spreadsheet of this size should; it was not opened.",
    { reason },
  );
