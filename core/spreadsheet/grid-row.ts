/** Problems found in one cell; the row is still returned so the dry run can show everything at once. */
export const cellIssueCodes = [
  "spreadsheet.formula_without_value",
  "spreadsheet.cell_error",
  "spreadsheet.cell_too_long",
  "spreadsheet.unclosed_quote",
] as const;
export type CellIssueCode = (typeof cellIssueCodes)[number];

export type GridIssue = { column: number; code: CellIssueCode; message: string };

/** One row as the file holds it, before the header gives its cells a meaning. */
export type GridRow = {
  /** 1-based, as Excel numbers rows. */
  line: number;
  /** Untrimmed cell text by 0-based column; holes where a cell is absent. */
  cells: Array<string | undefined>;
  issues?: GridIssue[];
};
