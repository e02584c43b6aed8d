import type { CellIssueCode } from "./grid-row";

export type CellProblem = { code: CellIssueCode; message: string };

const dayMs = 86_400_000;
/** Days between Excel's epoch (1899-12-30, 1904-01-01 for Mac workbooks) and 1970-01-01. */
const epochOffset = (date1904: boolean) => (date1904 ? 24_107 : 25_569);

const excelEpoch = Date.UTC(1899, 11, 30);
const macEpoch = Date.UTC(1904, 0, 1);

const pad = (value: number, length = 2) => String(value).padStart(length, "0");

/** Dates as ISO text: "2024-03-01", "2024-03-01T09:30:00", or "09:30:00" for a time alone. No zone: Excel has none. */
export function dateText(date: Date): string {
  const seconds = Math.round(date.getTime() / 1000);
  const whole = new Date(seconds * 1000);
  const day = `${pad(whole.getUTCFullYear(), 4)}-${pad(whole.getUTCMonth() + 1)}-${pad(whole.getUTCDate())}`;
  const time = `${pad(whole.getUTCHours())}:${pad(whole.getUTCMinutes())}:${pad(whole.getUTCSeconds())}`;
  // Serial numbers below 1 are times of day; Excel anchors them on its epoch.
  const sinceEpoch = whole.getTime() - excelEpoch;
  const sinceMacEpoch = whole.getTime() - macEpoch;
  if ((sinceEpoch >= 0 && sinceEpoch < dayMs) || (sinceMacEpoch >= 0 && sinceMacEpoch < dayMs)) return time;
  return seconds % 86_400 === 0 ? day : `${day}T${time}`;
}

export function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - epochOffset(date1904)) * dayMs));
}

/** Same rule as exceljs applies to plain cells: a format with date or time letters outside quotes and brackets. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhsb]/i.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}

/**
 * Numbers as the digits a person typed: 612345678 stays "612345678" (never 6.12e8 or "612345678.0"), float
 * noise is cut at Excel's 15 significant digits, and a "00000" format restores the zeros of a postcode.
 */
export function numberText(value: number, format?: string): string {
  if (Number.isInteger(value)) {
    const digits = Object.is(value, -0) ? "0" : String(value);
    if (format && value >= 0 && format.length > digits.length && /^0+$/.test(format)) {
      return digits.padStart(format.length, "0");
    }
    return digits;
  }
  if (!Number.isFinite(value)) return String(value);
  return String(Number.parseFloat(value.toPrecision(15)));
}

/** Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
function decodeEscapes(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function richText(value: unknown): string | undefined {
  if (!isRecord(value) || !Array.isArray(value.richText)) return undefined;
  let text = "";
  for (const run of value.richText) {
    if (isRecord(run) && typeof run.text === "string") text += run.text;
  }
  return text;
}

const errorProblem = (shown: string): CellProblem => ({
  code: "spreadsheet.cell_error",
  message: `The cell shows the error ${shown}`,
});

/**
 * The text of a cell as exceljs's streaming reader gives it. Formulas are never evaluated: their cached
 * result is used, and a formula saved without one (some generators do that) is reported.
 */
export function cellText(
  value: unknown,
  format: string | undefined,
  date1904: boolean,
): string | CellProblem {
  switch (typeof value) {
    case "string":
      return decodeEscapes(value);
    case "number":
      return numberText(value, format);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "";
  }
  if (value === null) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : dateText(value);
  if (!isRecord(value)) return "";
  if ("formula" in value || "sharedFormula" in value) {
    const result = value.result;
    if (result === undefined || result === null) {
      return {
        code: "spreadsheet.formula_without_value",
        message:
          "The cell holds a formula without a computed value: open the file in Excel, save it, then import it again",
      };
    }
    // exceljs parses a cached error such as #N/A as a number and gets NaN.
    if (typeof result === "number" && Number.isNaN(result)) return errorProblem("(formula error)");
    if (typeof result === "number" && isDateFormat(format)) return dateText(serialToDate(result, date1904));
    return cellText(result, format, date1904);
  }
  if (typeof value.error === "string") return errorProblem(value.error);
  const rich = richText(value);
  if (rich !== undefined) return decodeEscapes(rich);
  // A hyperlink: what the user reads is its text.
  if ("text" in value) return cellText(value.text, format, date1904);
  return "";
}
