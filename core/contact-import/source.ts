import { VisibleError } from "../error";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
import { columns, type Field, type Plan } from "./columns";
import { limits } from "./import.types";
import { type Checked, RowValidator } from "./validate";

/**
 * Limits of one import, enforced before the first row is used:
 * - 10 MB uploaded: the presigned POST's policy makes S3 refuse a larger upload, the reader stops reading
 *   past it (a 50,000-row .xlsx of contacts weighs 3–6 MB, the same CSV 4–8 MB);
 * - 50,000 non-empty data rows (one Lambda run parses and validates them in about a second);
 * - 100 MB uncompressed for the parts of an .xlsx, and no part compressed more than 200× (zip bombs);
 * - 32,767 characters a cell (Excel's own limit), then each field's own limit (e.g. 80 for a name).
 */
export { limits };

export const uploadKey = (companyId: string, importId: string) => `imports/${companyId}/${importId}/upload`;
export const reportKey = (companyId: string, importId: string) =>
  `imports/${companyId}/${importId}/errors.xlsx`;

async function download(key: string): Promise<AsyncIterable<Uint8Array>> {
  try {
    // In Node the body is an IncomingMessage: bytes arrive as they are read, never the whole file first.
    return (await Storage.read("attachments", key)) as unknown as AsyncIterable<Uint8Array>;
  } catch (error) {
    if (Storage.isMissing(error)) {
      throw new VisibleError("import.file_missing", "The file has not been uploaded yet", 409);
    }
    throw error;
  }
}

/**
 * The file's rows in order, each validated (`RowValidator`); returns the reader's summary. Anything wrong
 * with the file as a whole is a SpreadsheetError (a 4xx with its code) thrown before the first row.
 */
export async function* checkedRows(
  file: { key: string; fileName: string },
  plan: Plan,
): AsyncGenerator<Checked, Spreadsheet.Summary<Field>, undefined> {
  const bytes = await download(file.key);
  const rows = Spreadsheet.readRows({ bytes, fileName: file.fileName }, columns, limits, {
    mapping: plan.reader,
  });
  const validator = new RowValidator(plan);
  try {
    for (;;) {
      const next = await rows.next();
      if (next.done) return next.value;
      yield validator.check(next.value);
    }
  } finally {
    // Stopped early (time budget, error): let the reader close what it opened.
    await rows.return(undefined as never);
  }
}

/**
 * The lines of the file named in `lines`, cells by header as the file had them (trimmed), read again from
 * storage at the end of an import for its error report; `header` is the one the import matched.
 */
export async function* originalLines(
  file: { key: string; fileName: string },
  plan: Plan,
  header: Spreadsheet.Summary<Field>["header"],
  lines: ReadonlySet<number>,
): AsyncGenerator<{ line: number; cells: Record<string, string> }> {
  const headerOf = new Map<string, string>(header.matched.map((match) => [match.key, match.header]));
  const bytes = await download(file.key);
  const rows = Spreadsheet.readRows({ bytes, fileName: file.fileName }, columns, limits, {
    mapping: plan.reader,
  });
  for await (const row of rows) {
    if (!lines.has(row.line)) continue;
    const cells: Record<string, string> = { ...row.extra };
    for (const [key, value] of Object.entries(row.values) as Array<[string, string | undefined]>) {
      const name = headerOf.get(key);
      if (name && value !== undefined) cells[name] = value;
    }
    yield { line: row.line, cells };
  }
}
