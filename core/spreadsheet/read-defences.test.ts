import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Spreadsheet } from ".";
import {
  contactColumns,
  csv,
  failure,
  handMadeXlsx,
  noiseBytes,
  readAll,
  roomy,
  sheetXml,
  xlsx,
  zip,
} from "./spreadsheet-fixtures";

const MiB = 1024 * 1024;
const oleMagic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

describe("Refusing files", () => {
  it("refuses an Excel 97-2003 .xls with a message asking for .xlsx or CSV", async () => {
    const bytes = Buffer.concat([oleMagic, Buffer.alloc(1024)]);
    const error = await failure(readAll({ bytes, fileName: "export.xls" }, contactColumns));
    expect(error.code).toBe("spreadsheet.unsupported_format");
    expect(error.message).toMatch(/\.xlsx.*CSV/);
  });

  it("calls a password-protected workbook unreadable and says why", async () => {
    const bytes = Buffer.concat([oleMagic, Buffer.alloc(512), Buffer.from("EncryptedPackage", "utf16le")]);
    const error = await failure(readAll({ bytes, fileName: "secret.xlsx" }, contactColumns));
    expect(error.code).toBe("spreadsheet.unreadable");
    expect(error.details).toEqual({ reason: "encrypted" });
  });

  it("refuses an HTML table saved with an .xls name", async () => {
    const error = await failure(
      readAll(csv("<html><body><table><tr><td>Nom</td></tr></table>", "export.xls"), contactColumns),
    );
    expect(error.code).toBe("spreadsheet.unsupported_format");
  });

  it("refuses an OpenDocument spreadsheet", async () => {
    const bytes = zip([
      { name: "mimetype", data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet") },
      { name: "content.xml", data: Buffer.from("<office:document-content/>") },
    ]);
    const error = await failure(readAll({ bytes, fileName: "a.ods" }, contactColumns));
    expect(error.code).toBe("spreadsheet.unsupported_format");
  });

  it("calls random bytes unreadable", async () => {
    const error = await failure(
      readAll({ bytes: noiseBytes(4096), fileName: "contacts.csv" }, contactColumns),
    );
    expect(error.code).toBe("spreadsheet.unreadable");
  });

  it("calls a truncated .xlsx unreadable", async () => {
    const { bytes } = await xlsx((sheet) => sheet.addRow(["Prénom", "Nom"]));
    const error = await failure(
      readAll({ bytes: bytes.subarray(0, 2000), fileName: "a.xlsx" }, contactColumns),
    );
    expect(error.code).toBe("spreadsheet.unreadable");
  });

  it("calls a zip with encrypted entries unreadable", async () => {
    const bytes = zip([{ name: "xl/workbook.xml", data: Buffer.from("<workbook/>"), flags: 0x1 }]);
    const error = await failure(readAll({ bytes, fileName: "a.xlsx" }, contactColumns));
    expect(error.code).toBe("spreadsheet.unreadable");
    expect(error.details).toEqual({ reason: "encrypted" });
  });

  it("refuses a file over maxBytes and stops reading it there", async () => {
    let pulled = 0;
    async function* upload() {
      for (let chunk = 0; chunk < 100; chunk++) {
        pulled++;
        yield Buffer.alloc(64 * 1024, 0x41);
      }
    }
    const error = await failure(
      readAll({ bytes: upload(), fileName: "a.csv" }, contactColumns, { maxBytes: MiB, maxRows: 10 }),
    );
    expect(error.code).toBe("spreadsheet.too_large");
    expect(error.status).toBe(413);
    expect(pulled).toBe(17);
  });

  it("refuses more than maxRows rows as soon as the next one is met", async () => {
    const lines = Array.from({ length: 1000 }, (_, index) => `Jean${index};Dupont`);
    const rows = Spreadsheet.readRows(csv(`Prénom;Nom\n${lines.join("\n")}\n`), contactColumns, {
      maxBytes: MiB,
      maxRows: 10,
    });
    let received = 0;
    const error = await failure(
      (async () => {
        for await (const _ of rows) received++;
      })(),
    );
    expect(error.code).toBe("spreadsheet.too_many_rows");
    expect(error.details).toEqual({ maxRows: 10, line: 12 });
    expect(received).toBe(10);
  });

  it("does not count empty rows against maxRows", async () => {
    const { rows } = await readAll(csv("Prénom;Nom\nA;B\n;\n\n;\nC;D\n"), contactColumns, {
      maxBytes: MiB,
      maxRows: 2,
    });
    expect(rows).toHaveLength(2);
  });

  it("refuses a file without a header row", async () => {
    for (const text of ["", "\n\n;;;\n", "  \r\n"]) {
      const error = await failure(readAll(csv(text), contactColumns));
      expect(error.code).toBe("spreadsheet.empty");
    }
  });

  it("refuses a small sheet whose cells sit at the far right of every row", async () => {
    let rows = '<row r="1"><c r="A1" t="str"><v>Prénom</v></c><c r="B1" t="str"><v>Nom</v></c></row>';
    for (let line = 2; line <= 100_000; line++)
      rows += `<row r="${line}"><c r="XFD${line}" t="str"><v>x</v></c></row>`;
    const bytes = handMadeXlsx(sheetXml(rows));
    expect(bytes.length).toBeLessThan(MiB);
    const error = await failure(readAll({ bytes, fileName: "a.xlsx" }, contactColumns, roomy));
    expect(error.code).toBe("spreadsheet.too_large");
    expect(error.details).toEqual({ reason: "cell_span" });
  });

  it("refuses a sheet with no rows at all", async () => {
    const error = await failure(
      readAll({ bytes: handMadeXlsx(sheetXml("")), fileName: "a.xlsx" }, contactColumns),
    );
    expect(error.code).toBe("spreadsheet.empty");
  });
});

describe("Zip bombs", () => {
  // 50 MB of zeros deflates to about 50 KB.
  const zeros = Buffer.alloc(50 * MiB);
  const bomb = deflateRawSync(zeros);

  it("refuses a workbook declaring more uncompressed data than allowed, from its directory alone", async () => {
    const bytes = handMadeXlsx(zeros);
    expect(bytes.length).toBeLessThan(MiB);
    const error = await failure(
      readAll({ bytes, fileName: "a.xlsx" }, contactColumns, { maxBytes: MiB, maxRows: 10 }),
    );
    expect(error.code).toBe("spreadsheet.zip_bomb");
    expect(error.details).toEqual({ reason: "declared_size" });
  });

  it("refuses an entry compressed far beyond what a real sheet reaches", async () => {
    const bytes = handMadeXlsx(zeros.subarray(0, 5 * MiB));
    const error = await failure(readAll({ bytes, fileName: "a.xlsx" }, contactColumns, roomy));
    expect(error.code).toBe("spreadsheet.zip_bomb");
    expect(error.details).toEqual({ reason: "compression_ratio" });
  });

  it("stops inflating an entry that lies about its size in the directory", async () => {
    // Declares 100 KB, inflates to 50 MB.
    const bytes = handMadeXlsx(zeros, 100 * 1024);
    expect(bytes.length).toBeLessThan(bomb.length + 2048);
    const started = performance.now();
    const error = await failure(readAll({ bytes, fileName: "a.xlsx" }, contactColumns, roomy));
    expect(error.code).toBe("spreadsheet.zip_bomb");
    expect(error.details).toEqual({ reason: "size_exceeds_declared" });
    console.log(`lying entry refused after ${(performance.now() - started).toFixed(1)} ms`);
  });
});
