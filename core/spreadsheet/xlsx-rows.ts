import ExcelJS from "exceljs";
import { cellText } from "./cell-text";
import type { GridIssue, GridRow } from "./grid-row";
import { SpreadsheetError, unreadable } from "./spreadsheet-error";
import type { XlsxPackage } from "./xlsx-package";

/**
 * Rows of the package's one sheet through exceljs's streaming reader: shared strings cached (they are
 * needed to resolve cells), styles cached (they say which numbers are dates), nothing else kept.
 */
export async function* xlsxRows(workbook: XlsxPackage): AsyncGenerator<GridRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(workbook.stream(), {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const { date1904 } = workbook;
  let previous = 0;
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        // Rows always carry their number in files from Excel; a few generators leave it out.
        const line = Number.isInteger(row.number) && row.number > previous ? row.number : previous + 1;
        previous = line;
        const cells: Array<string | undefined> = [];
        let issues: GridIssue[] | undefined;
        row.eachCell((cell, column) => {
          const text = cellText(cell.value, cell.numFmt, date1904);
          if (typeof text === "string") {
            cells[column - 1] = text;
          } else {
            issues ??= [];
            issues.push({ column: column - 1, ...text });
          }
        });
        yield issues ? { line, cells, issues } : { line, cells };
      }
      // The package holds only the sheet we chose.
      return;
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw unreadable("xlsx_content");
  }
}
