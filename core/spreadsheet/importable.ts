import { VisibleError } from "../error";

/**
 * Refuses, before presigning its upload, a file to import that is too big or not a spreadsheet we read
 * (.xlsx, or CSV/text). The reader checks the bytes again; this spares an upload that would be refused.
 */
export function assertImportable(file: { fileName: string; size: number }, maxBytes: number) {
  if (file.size > maxBytes)
    throw new VisibleError(
      "spreadsheet.too_large",
      `The file is larger than ${maxBytes / 1024 / 1024} MB`,
      413,
    );
  if (!/\.(xlsx|csv|txt)$/i.test(file.fileName))
    throw new VisibleError(
      "spreadsheet.unsupported_format",
      "Send an .xlsx or .csv file (Excel: Save as .xlsx)",
      400,
    );
}
