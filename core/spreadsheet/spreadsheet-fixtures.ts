import { PassThrough } from "node:stream";
import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { type Column, type Input, type ReadOptions, type Row, readRows, type Summary } from "./read";
import { SpreadsheetError } from "./spreadsheet-error";

/** Test helpers: files are built in code at test time, never committed. */

export type ContactKey = "firstName" | "lastName" | "phone" | "email";
export const contactColumns: Column<ContactKey>[] = [
  { key: "firstName", aliases: ["Prénom", "First name", "Given name"], required: true },
  { key: "lastName", aliases: ["Nom", "Nom de famille", "Last name", "Surname"], required: true },
  { key: "phone", aliases: ["Téléphone", "Portable", "Mobile", "Phone"] },
  { key: "email", aliases: ["E-mail", "Email", "Courriel", "Adresse mail"] },
];

export const roomy = { maxBytes: 10 * 1024 * 1024, maxRows: 100_000 };

export async function readAll<K extends string>(
  input: Input,
  columns: Column<K>[],
  limits = roomy,
  options: ReadOptions<K> = {},
): Promise<{ rows: Row<K>[]; summary: Summary<K> }> {
  const rows: Row<K>[] = [];
  const iterator = readRows(input, columns, limits, options);
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { rows, summary: next.value };
    rows.push(next.value);
  }
}

export const csv = (text: string, fileName = "contacts.csv"): Input => ({
  bytes: Buffer.from(text, "utf8"),
  fileName,
});

/** An .xlsx made with exceljs's regular (non-streaming) writer. */
export async function xlsx(
  fill: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void,
): Promise<{ bytes: Buffer; fileName: string }> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook.addWorksheet("Contacts"), workbook);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  return { bytes, fileName: "contacts.xlsx" };
}

/** Opens an .xlsx with exceljs's regular reader, to look at what we wrote the way another program would. */
export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer.
  await workbook.xlsx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  return workbook;
}

/** Runs a writer into memory and returns what it wrote. */
export async function written(write: (output: PassThrough) => Promise<void>): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await write(output);
  return Buffer.concat(chunks);
}

/** The error a promise rejects with, typed; fails when it resolves. */
export async function failure(run: Promise<unknown>): Promise<SpreadsheetError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof SpreadsheetError) return error;
    throw error;
  }
  throw new Error("expected a SpreadsheetError");
}

type ZipPart = { name: string; data: Buffer; declaredSize?: number; flags?: number };

/** A minimal zip built by hand, so tests can lie in its directory the way an attacker would. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const compressed = deflateRawSync(part.data);
    const size = part.declaredSize ?? part.data.length;
    const crc = crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.flags ?? 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.flags ?? 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The smallest workbook exceljs accepts, around a sheet body of our choosing. */
export function handMadeXlsx(sheetXml: Buffer, declaredSheetSize?: number): Buffer {
  const workbook = Buffer.from(
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  const rels = Buffer.from(
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  return zip([
    { name: "xl/workbook.xml", data: workbook },
    { name: "xl/_rels/workbook.xml.rels", data: rels },
    { name: "xl/worksheets/sheet1.xml", data: sheetXml, declaredSize: declaredSheetSize },
  ]);
}

export const sheetXml = (rows: string) =>
  Buffer.from(
    `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
  );

/** Bytes that are no known format, the same on every run. */
export function noiseBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 0x2545f491;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  bytes[0] = 0x13;
  return bytes;
}
