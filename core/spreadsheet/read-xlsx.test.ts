import { describe, expect, it } from "vitest";
import { Spreadsheet } from ".";
import {
  type ContactKey,
  contactColumns,
  handMadeXlsx,
  readAll,
  roomy,
  sheetXml,
  xlsx,
} from "./spreadsheet-fixtures";

const header = ["Prénom", "Nom", "Téléphone", "Email"];

describe("Reading .xlsx", () => {
  it("turns phone numbers stored as numbers into their digits", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow(header);
      sheet.addRow(["Jean", "Dupont", 612345678]);
      sheet.addRow(["Marie", "Curie", 33612345678]);
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows.map((row) => row.values.phone)).toEqual(["612345678", "33612345678"]);
  });

  it("writes numbers as typed: no float noise, zero-padded formats keep their zeros", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow([...header, "Taux", "Code postal"]);
      sheet.addRow(["Jean", "Dupont", null, null, 0.1 + 0.2, 1000]);
      sheet.getCell("F2").numFmt = "00000";
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[0]?.extra).toEqual({ Taux: "0.3", "Code postal": "01000" });
  });

  // exceljs's writer, like Excel, puts the styles after the sheet: dates are only found if the reader
  // reorders the parts.
  it("gives dates as ISO text, with the time when there is one", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow([...header, "Naissance", "Rendez-vous", "Heure"]);
      sheet.addRow([
        "Jean",
        "Dupont",
        null,
        null,
        new Date(Date.UTC(1990, 4, 17)),
        new Date(Date.UTC(2024, 2, 1, 9, 30)),
      ]);
      sheet.getCell("E2").numFmt = "dd/mm/yyyy";
      sheet.getCell("F2").numFmt = "dd/mm/yyyy hh:mm";
      sheet.getCell("G2").value = 0.375;
      sheet.getCell("G2").numFmt = "hh:mm";
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[0]?.extra).toEqual({
      Naissance: "1990-05-17",
      "Rendez-vous": "2024-03-01T09:30:00",
      Heure: "09:00:00",
    });
  });

  it("reads formulas as their cached result and never evaluates them", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow([...header, "Total", "Début"]);
      sheet.addRow([
        "Jean",
        { formula: 'UPPER("dupont")', result: "DUPONT" },
        { formula: "A1*2", result: 612345678 },
      ]);
      sheet.getCell("E2").value = { formula: "1+1", result: 3 };
      sheet.getCell("F2").value = { formula: "DATE(2024,3,1)", result: 45352 };
      sheet.getCell("F2").numFmt = "dd/mm/yyyy";
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[0]?.values).toEqual({ firstName: "Jean", lastName: "DUPONT", phone: "612345678" });
    // 3, not 2: the cached value is what the user saw.
    expect(rows[0]?.extra).toEqual({ Total: "3", Début: "2024-03-01" });
    expect(rows[0]?.issues).toEqual([]);
  });

  it("reports a formula saved without its result on its line and column", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow(header);
      sheet.addRow(["Jean", "Dupont", "0612345678"]);
      sheet.addRow(["Marie", "Curie", { formula: "C2" }]);
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[1]?.values).toEqual({ firstName: "Marie", lastName: "Curie" });
    expect(rows[1]?.issues).toEqual([
      expect.objectContaining({ line: 3, column: "Téléphone", code: "spreadsheet.formula_without_value" }),
    ]);
  });

  it("reports a formula with an empty cached value as a formula without value, not as an error", async () => {
    const rows = `<row r="1"><c r="A1" t="inlineStr"><is><t>Prénom</t></is></c><c r="B1" t="inlineStr"><is><t>Nom</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Jean</t></is></c><c r="B2"><f>UPPER("x")</f><v></v></c></row>`;
    const { rows: read } = await readAll(
      { bytes: handMadeXlsx(sheetXml(rows)), fileName: "a.xlsx" },
      contactColumns,
    );
    expect(read[0]?.issues).toEqual([
      {
        line: 2,
        column: "Nom",
        cell: "B2",
        code: "spreadsheet.formula_without_value",
        message:
          "Cell B2 holds a formula without a computed value: open the file in Excel, save it, then import it again",
      },
    ]);
  });

  it("reports error cells such as #N/A", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow(header);
      sheet.addRow(["Jean", "Dupont", { error: "#N/A" }]);
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[0]?.issues).toEqual([
      expect.objectContaining({
        line: 2,
        column: "Téléphone",
        code: "spreadsheet.cell_error",
        message: expect.stringContaining("#N/A"),
      }),
    ]);
  });

  it("joins rich text runs and reads hyperlinks as their text", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow(header);
      sheet.addRow([
        { richText: [{ text: "Jean-" }, { text: "Pierre", font: { bold: true } }] },
        "Dupont",
        null,
        { text: "jp@exemple.fr", hyperlink: "mailto:jp@exemple.fr" },
      ]);
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[0]?.values).toEqual({ firstName: "Jean-Pierre", lastName: "Dupont", email: "jp@exemple.fr" });
  });

  it("reads booleans as true and false", async () => {
    const input = await xlsx((sheet) => {
      sheet.addRow([...header, "Actif"]);
      sheet.addRow(["Jean", "Dupont", null, null, true]);
    });
    const { rows } = await readAll(input, contactColumns);
    expect(rows[0]?.extra).toEqual({ Actif: "true" });
  });

  it("skips empty rows but keeps the line numbers Excel shows", async () => {
    const input = await xlsx((sheet) => {
      sheet.getCell("B3").value = "Prénom";
      sheet.getCell("C3").value = "Nom";
      sheet.getCell("B4").value = "Jean";
      sheet.getCell("C4").value = "Dupont";
      sheet.getCell("B7").value = "Marie";
      sheet.getCell("C7").value = "Curie";
      sheet.getCell("F9").value = "beyond the header";
    });
    const { rows, summary } = await readAll(input, contactColumns);
    expect(summary.header.line).toBe(3);
    expect(rows.map((row) => [row.line, row.values.firstName])).toEqual([
      [4, "Jean"],
      [7, "Marie"],
    ]);
    expect(summary).toMatchObject({ rows: 2, lastLine: 9, source: { format: "xlsx", sheet: "Contacts" } });
  });

  it("reads the first visible sheet", async () => {
    const input = await xlsx((first, workbook) => {
      first.state = "hidden";
      const second = workbook.addWorksheet("Candidats");
      second.addRow(header);
      second.addRow(["Jean", "Dupont"]);
    });
    const { rows, summary } = await readAll(input, contactColumns);
    expect(summary.source).toMatchObject({ sheet: "Candidats" });
    expect(rows[0]?.values).toEqual({ firstName: "Jean", lastName: "Dupont" });
  });

  it("reads a workbook without shared strings or styles, as minimal generators write it", async () => {
    const bytes = handMadeXlsx(
      sheetXml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Prénom</t></is></c><c r="B1" t="inlineStr"><is><t>Nom</t></is></c></row>' +
          '<row r="2"><c r="A2" t="inlineStr"><is><t> Jean </t></is></c><c r="B2" t="str"><v>Dupont</v></c><c r="C2"><v>612345678</v></c></row>',
      ),
    );
    const { rows } = await readAll<ContactKey>({ bytes, fileName: "export.xlsx" }, contactColumns, roomy);
    expect(rows[0]?.values).toEqual({ firstName: "Jean", lastName: "Dupont" });
  });
});

describe("accented text across chunk boundaries", () => {
  it("reads 20,000 accented names back unchanged", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Contacts");
    sheet.addRow(["Prénom", "Nom"]);
    for (let index = 0; index < 20_000; index++) sheet.addRow([`Hélène-${index}`, `Lefèvre-Dupré-${index}`]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const columns = [
      { key: "firstName" as const, aliases: ["Prénom"] },
      { key: "lastName" as const, aliases: ["Nom"] },
    ];
    let count = 0;
    for await (const row of Spreadsheet.readRows({ bytes, fileName: "a.xlsx" }, columns, {
      maxBytes: 50_000_000,
      maxRows: 50_000,
    })) {
      const index = row.line - 2;
      if (row.values.firstName !== `Hélène-${index}` || row.values.lastName !== `Lefèvre-Dupré-${index}`) {
        throw new Error(`line ${row.line}: ${row.values.firstName} ${row.values.lastName}`);
      }
      count++;
    }
    expect(count).toBe(20_000);
  }, 60_000);
});
