export * as Spreadsheet from "./spreadsheet";
