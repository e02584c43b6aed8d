import { describe, expect, it } from "vitest";
import { contactColumns, csv, readAll } from "./spreadsheet-fixtures";

const names = [
  { key: "firstName" as const, aliases: ["Prénom"], required: true },
  { key: "lastName" as const, aliases: ["Nom"], required: true },
];

describe("Reading CSV", () => {
  it("detects semicolons, commas and tabs from the header line", async () => {
    for (const [text, delimiter] of [
      ["Prénom;Nom\nJean;Dupont, fils\n", ";"],
      ["Prénom,Nom\nJean,Dupont; fils\n", ","],
      ["Prénom\tNom\nJean\tDupont, fils\n", "\t"],
    ] as const) {
      const { rows, summary } = await readAll(csv(text), names);
      expect(summary.source).toMatchObject({ format: "csv", delimiter });
      expect(rows[0]?.values.lastName).toMatch(/^Dupont. fils$/);
    }
  });

  it("ignores delimiters inside quotes when detecting", async () => {
    const { summary } = await readAll(csv('"Prénom;Nom, etc",Nom\nJean,Dupont\n'), names, undefined, {
      mapping: { "Prénom;Nom, etc": "firstName" },
    });
    expect(summary.source).toMatchObject({ delimiter: "," });
  });

  it("reads quoted fields with delimiters, line breaks and doubled quotes", async () => {
    const { rows } = await readAll(
      csv(
        'Prénom;Nom;Adresse\n"Jean; dit ""Jeannot""";Dupont;"12 rue de la Paix\n75002 Paris"\nMarie;Curie;\n',
      ),
      names,
    );
    expect(rows[0]?.values.firstName).toBe('Jean; dit "Jeannot"');
    expect(rows[0]?.extra.Adresse).toBe("12 rue de la Paix\n75002 Paris");
    // A quoted line break stays inside one Excel row, so the next record is line 3.
    expect(rows[1]?.line).toBe(3);
  });

  it("reads UTF-8 with a BOM", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("Prénom;Nom\nJérôme;Lefèvre\n"),
    ]);
    const { rows, summary } = await readAll({ bytes, fileName: "a.csv" }, names);
    expect(summary.header.matched[0]).toEqual({ key: "firstName", header: "Prénom" });
    expect(summary.source).toMatchObject({ encoding: "utf-8" });
    expect(rows[0]?.values).toEqual({ firstName: "Jérôme", lastName: "Lefèvre" });
  });

  it("reads UTF-8 without a BOM", async () => {
    const { rows, summary } = await readAll(csv("Prénom;Nom\nJérôme;Lefèvre\n"), names);
    expect(summary.source).toMatchObject({ encoding: "utf-8" });
    expect(rows[0]?.values).toEqual({ firstName: "Jérôme", lastName: "Lefèvre" });
  });

  it("reads Windows-1252 as saved by French Excel", async () => {
    // "Œ" and "€" exist in Windows-1252 (0x8c, 0x80) but not in Latin-1.
    const bytes = Buffer.concat([
      Buffer.from("Prénom;Nom\nJérôme;Lefèvre\n", "latin1"),
      Buffer.from([0x8c]),
      Buffer.from("dipe;Coût 5 ", "latin1"),
      Buffer.from([0x80, 0x0a]),
    ]);
    const { rows, summary } = await readAll({ bytes, fileName: "a.csv" }, names);
    expect(summary.source).toMatchObject({ encoding: "windows-1252" });
    expect(summary.header.matched[0]?.header).toBe("Prénom");
    expect(rows[0]?.values).toEqual({ firstName: "Jérôme", lastName: "Lefèvre" });
    expect(rows[1]?.values).toEqual({ firstName: "Œdipe", lastName: "Coût 5 €" });
  });

  it("reads UTF-16 LE with its BOM, as Excel's Unicode text export writes it", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("Prénom\tNom\r\nJérôme\tLefèvre\r\n", "utf16le"),
    ]);
    const { rows, summary } = await readAll({ bytes, fileName: "a.txt" }, names);
    expect(summary.source).toMatchObject({ encoding: "utf-16le", delimiter: "\t" });
    expect(rows[0]?.values).toEqual({ firstName: "Jérôme", lastName: "Lefèvre" });
  });

  it("reads UTF-16 BE with its BOM", async () => {
    const bytes = Buffer.from("\ufeffPrénom;Nom\nJérôme;Lefèvre\n", "utf16le").swap16();
    const { rows, summary } = await readAll({ bytes, fileName: "a.csv" }, names);
    expect(summary.source).toMatchObject({ encoding: "utf-16be" });
    expect(rows[0]?.values).toEqual({ firstName: "Jérôme", lastName: "Lefèvre" });
  });

  it("reports a cell longer than Excel allows instead of importing it", async () => {
    const { rows } = await readAll(csv(`Prénom;Nom\nJean;${"x".repeat(40_000)}\n`), names);
    expect(rows[0]?.values).toEqual({ firstName: "Jean" });
    expect(rows[0]?.issues).toEqual([
      expect.objectContaining({ line: 2, column: "Nom", code: "spreadsheet.cell_too_long" }),
    ]);
  });

  it("reads CRLF line endings without leaving carriage returns in values", async () => {
    const { rows } = await readAll(csv("Prénom;Nom\r\nJean;Dupont\r\nMarie;Curie\r\n"), names);
    expect(rows.map((row) => row.values)).toEqual([
      { firstName: "Jean", lastName: "Dupont" },
      { firstName: "Marie", lastName: "Curie" },
    ]);
  });

  it("trims values, skips empty rows and keeps Excel's line numbers", async () => {
    const { rows, summary } = await readAll(
      csv("\n;;\nPrénom;Nom\n  Jean  ; Dupont\n\n;\nMarie;Curie\n"),
      names,
    );
    expect(summary.header.line).toBe(3);
    expect(rows.map((row) => [row.line, row.values.firstName])).toEqual([
      [4, "Jean"],
      [7, "Marie"],
    ]);
    expect(summary).toMatchObject({ rows: 2, lastLine: 7 });
  });

  it("ignores cells beyond the last header column", async () => {
    const { rows } = await readAll(csv("Prénom;Nom\nJean;Dupont;surplus\n;;surplus seul\n"), names);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.extra).toEqual({});
  });

  it("honours Excel's sep= line and does not count it as a row", async () => {
    const { rows, summary } = await readAll(csv("sep=,\nPrénom,Nom\nJean,Dupont\n"), names);
    expect(summary.source).toMatchObject({ delimiter: "," });
    expect(rows[0]?.line).toBe(2);
  });

  it("reports a quote that never closes and reads the cell as written", async () => {
    const { rows } = await readAll(csv('Prénom;Nom\nJean;"Dupont\n'), names);
    expect(rows[0]?.values.lastName).toBe('"Dupont');
    expect(rows[0]?.issues).toEqual([
      expect.objectContaining({ line: 2, column: "Nom", code: "spreadsheet.unclosed_quote" }),
    ]);
  });

  it("removes the apostrophe our CSV export puts before formula-like text", async () => {
    const { rows } = await readAll(
      csv("Prénom;Nom;Téléphone\nJean;'=Dupont;'+33612345678\n"),
      contactColumns,
    );
    expect(rows[0]?.values).toMatchObject({ lastName: "=Dupont", phone: "+33612345678" });
  });
});
