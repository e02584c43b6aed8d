import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { Spreadsheet } from ".";
import { contactColumns, loadWorkbook, readAll, written } from "./spreadsheet-fixtures";

const columns = [
  { header: "Prénom", key: "firstName" },
  { header: "Nom", key: "lastName" },
  { header: "Téléphone", key: "phone" },
  { header: "Note", key: "note" },
  { header: "Inscrit le", key: "joined" },
  { header: "Missions", key: "missions" },
  { header: "Actif", key: "active" },
];

const hostile = ['=HYPERLINK("http://evil","x")', "+33612345678", "-2+3", "@SUM(A1)"];

const rows = [
  {
    firstName: "Jérôme",
    lastName: "Lefèvre",
    phone: "+33612345678",
    note: "Dispo; lundi",
    joined: new Date(Date.UTC(2024, 2, 1)),
    missions: 12,
    active: true,
  },
  {
    firstName: "Marie",
    lastName: "Curie",
    phone: null,
    note: undefined,
    joined: null,
    missions: 2.5,
    active: false,
  },
  ...hostile.map((text) => ({ firstName: "X", lastName: "Y", note: text })),
];

describe("Writing .xlsx", () => {
  it("reads back what it wrote", async () => {
    const bytes = await written((output) =>
      Spreadsheet.writeXlsx(output, [{ name: "Contacts", columns, rows }]),
    );
    const { rows: read, summary } = await readAll({ bytes, fileName: "export.xlsx" }, contactColumns);
    expect(summary.source).toMatchObject({ format: "xlsx", sheet: "Contacts" });
    expect(read[0]).toEqual({
      line: 2,
      values: { firstName: "Jérôme", lastName: "Lefèvre", phone: "+33612345678" },
      extra: { Note: "Dispo; lundi", "Inscrit le": "2024-03-01", Missions: "12", Actif: "true" },
      issues: [],
    });
    expect(read[1]?.extra).toEqual({ Missions: "2.5", Actif: "false" });
    expect(read.slice(2).map((row) => row.extra.Note)).toEqual(hostile);
  });

  it("writes formula-like text as text cells formatted as Text, never as formulas", async () => {
    const bytes = await written((output) =>
      Spreadsheet.writeXlsx(output, [
        {
          name: "Liste",
          columns: [{ header: "Valeur", key: "value" }],
          rows: hostile.map((value) => ({ value })),
        },
      ]),
    );
    const workbook = await loadWorkbook(bytes);
    const sheet = workbook.getWorksheet("Liste")!;
    const cells = hostile.map((_, index) => sheet.getCell(index + 2, 1));
    expect(cells.map((cell) => cell.type)).toEqual(hostile.map(() => ExcelJS.ValueType.String));
    expect(cells.map((cell) => cell.value)).toEqual(hostile);
    expect(cells.map((cell) => cell.numFmt)).toEqual(hostile.map(() => "@"));
  });

  it("freezes a bold header row and filters on every column", async () => {
    const bytes = await written((output) =>
      Spreadsheet.writeXlsx(output, [{ name: "Contacts", columns, rows }]),
    );
    const workbook = await loadWorkbook(bytes);
    const sheet = workbook.getWorksheet("Contacts")!;
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:G${rows.length + 1}`);
  });

  it("writes several sheets, making their names acceptable to Excel", async () => {
    const bytes = await written((output) =>
      Spreadsheet.writeXlsx(output, [
        { name: "Campagne: mars/avril", columns, rows: [] },
        { name: "campagne  mars avril", columns, rows: [] },
      ]),
    );
    const workbook = await loadWorkbook(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      "Campagne  mars avril",
      "campagne  mars avril (2)",
    ]);
  });

  it("accepts rows from an async source", async () => {
    async function* source() {
      for (let index = 0; index < 1200; index++) yield { firstName: `Jean${index}`, lastName: "Dupont" };
    }
    const bytes = await written((output) =>
      Spreadsheet.writeXlsx(output, [{ name: "Contacts", columns, rows: source() }]),
    );
    const { summary } = await readAll({ bytes, fileName: "export.xlsx" }, contactColumns);
    expect(summary.rows).toBe(1200);
  });
});

describe("Writing CSV", () => {
  it("starts with a BOM, separates with semicolons and prefixes formula-like text", async () => {
    const bytes = await written((output) => Spreadsheet.writeCsv(output, { columns, rows }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("Prénom;Nom;Téléphone;Note;Inscrit le;Missions;Actif");
    expect(lines[1]).toBe(`Jérôme;Lefèvre;'+33612345678;"Dispo; lundi";2024-03-01;12;true`);
    expect(lines[2]).toBe("Marie;Curie;;;;2,5;false");
    expect(lines.slice(3, 7).map((line) => line.split(";")[3])).toEqual([
      `"'=HYPERLINK(""http://evil"",""x"")"`,
      "'+33612345678",
      "'-2+3",
      "'@SUM(A1)",
    ]);
  });

  it("reads back what it wrote", async () => {
    const bytes = await written((output) => Spreadsheet.writeCsv(output, { columns, rows }));
    const { rows: read, summary } = await readAll({ bytes, fileName: "export.csv" }, contactColumns);
    expect(summary.source).toMatchObject({ format: "csv", encoding: "utf-8", delimiter: ";" });
    expect(read[0]?.values).toEqual({ firstName: "Jérôme", lastName: "Lefèvre", phone: "+33612345678" });
    expect(read.slice(2).map((row) => row.extra.Note)).toEqual(hostile);
  });
});
