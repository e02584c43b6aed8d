import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { Spreadsheet } from ".";
import { written } from "./spreadsheet-fixtures";

const count = 50_000;
const columns = [
  { key: "firstName" as const, aliases: ["Prénom"], required: true },
  { key: "lastName" as const, aliases: ["Nom"], required: true },
  { key: "phone" as const, aliases: ["Téléphone"] },
  { key: "email" as const, aliases: ["Email"] },
  { key: "city" as const, aliases: ["Ville"] },
  { key: "agency" as const, aliases: ["Agence"] },
];
const Contact = z.object({
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  phone: z.string().regex(/^\d{9,10}$/),
  email: z.email(),
  city: z.string(),
  agency: z.string(),
});

function* contacts() {
  for (let index = 0; index < count; index++) {
    yield {
      firstName: `Jean${index}`,
      lastName: index % 2 ? "Dupont" : "Lefèvre",
      phone: 612_000_000 + index,
      email: `jean${index}@exemple.fr`,
      city: ["Lyon", "Paris", "Lille"][index % 3],
      agency: `Agence ${index % 40}`,
    };
  }
}

const sheetColumns = columns.map((column) => ({ header: column.aliases[0]!, key: column.key }));

async function measure(input: Spreadsheet.Input) {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let valid = 0;
  const started = performance.now();
  for await (const row of Spreadsheet.readRows(input, columns, {
    maxBytes: 20 * 1024 * 1024,
    maxRows: count,
  })) {
    if (Contact.safeParse(row.values).success) valid++;
    if (row.line % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - started) / 1000;
  return { valid, growthMb: (peak - before) / 1024 / 1024, rowsPerSecond: Math.round(count / seconds) };
}

/** As Excel writes it: every text in the shared strings table, which the reader keeps in memory. */
async function excelLikeXlsx(): Promise<Buffer> {
  return written(async (output) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: true });
    const sheet = workbook.addWorksheet("Contacts");
    sheet.addRow(sheetColumns.map((column) => column.header)).commit();
    for (const contact of contacts()) sheet.addRow(columns.map((column) => contact[column.key])).commit();
    sheet.commit();
    await workbook.commit();
  });
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

describe("Streaming", () => {
  it(`reads a ${count}-row .xlsx written by our writer without holding it in memory`, async () => {
    const bytes = await written((output) =>
      Spreadsheet.writeXlsx(output, [{ name: "Contacts", columns: sheetColumns, rows: contacts() }]),
    );
    const result = await measure({ bytes, fileName: "contacts.xlsx" });
    console.log(
      `xlsx (inline strings): ${megabytes(bytes.length)} MB file, ${result.rowsPerSecond} rows/s parse+validate, heap +${result.growthMb.toFixed(0)} MB`,
    );
    expect(result.valid).toBe(count);
    expect(result.growthMb).toBeLessThan(150);
  }, 120_000);

  it(`reads a ${count}-row .xlsx with shared strings, as Excel writes it`, async () => {
    const bytes = await excelLikeXlsx();
    const result = await measure({ bytes, fileName: "contacts.xlsx" });
    console.log(
      `xlsx (shared strings): ${megabytes(bytes.length)} MB file, ${result.rowsPerSecond} rows/s parse+validate, heap +${result.growthMb.toFixed(0)} MB`,
    );
    expect(result.valid).toBe(count);
    expect(result.growthMb).toBeLessThan(150);
  }, 120_000);

  it(`reads a ${count}-row CSV`, async () => {
    const bytes = await written((output) =>
      Spreadsheet.writeCsv(output, { columns: sheetColumns, rows: contacts() }),
    );
    const result = await measure({ bytes, fileName: "contacts.csv" });
    console.log(
      `csv: ${megabytes(bytes.length)} MB file, ${result.rowsPerSecond} rows/s parse+validate, heap +${result.growthMb.toFixed(0)} MB`,
    );
    expect(result.valid).toBe(count);
  }, 120_000);
});
