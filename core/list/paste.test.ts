import { describe, expect, it } from "vitest";
import * as Paste from "./paste";

const targets = (table: Paste.Table) =>
  table.columns.map((column) => ({ header: column.header, ...column.target }));

describe("Paste.parseTable", () => {
  it("reads a block with a header as one member a line, mapping headers to the address and the fields", () => {
    const table = Paste.parseTable(
      "Mobile\tDate RDV\tImmat\n06 12 34 56 78\t12/03/2027 09:00\tAB-123-CD\n0612345679\t13/03/2027\tEF-456-GH\n",
      { fields: ["Date_RDV"] },
    );
    expect(table).toMatchObject({ layout: "rows", header: true, entries: 2, rejected: [] });
    expect(targets(table)).toEqual([
      { header: "Mobile", kind: "mobile" },
      { header: "Date RDV", kind: "field", field: "Date_RDV" },
      { header: "Immat", kind: "ignored", reason: "unknown" },
    ]);
    expect(table.accepted.map(({ key, position, fields }) => ({ key, position, fields }))).toEqual([
      { key: "m:+33612345678", position: 2, fields: { Date_RDV: "12/03/2027 09:00" } },
      { key: "m:+33612345679", position: 3, fields: { Date_RDV: "13/03/2027" } },
    ]);
  });

  it("matches headers ignoring case, accents and spaces, and makes unknown ones new fields for a new list", () => {
    const table = Paste.parseTable(
      "TÉLÉPHONE;Courriel;date rdv;Lieu de RDV;Prénom\n06 12 34 56 78;lea@example.fr;12/03;Agence Nord;Léa",
      { fields: ["DATE_RDV"], newFields: true },
    );
    expect(targets(table)).toEqual([
      { header: "TÉLÉPHONE", kind: "mobile" },
      { header: "Courriel", kind: "email" },
      { header: "date rdv", kind: "field", field: "DATE_RDV" },
      { header: "Lieu de RDV", kind: "newField", field: "lieu_de_rdv" },
      { header: "Prénom", kind: "ignored", reason: "badName" },
    ]);
    expect(table.newFields).toEqual(["lieu_de_rdv"]);
    expect(table.accepted[0]).toMatchObject({
      value: { mobile: "+33612345678", email: "lea@example.fr", smsCapable: true },
      fields: { DATE_RDV: "12/03", lieu_de_rdv: "Agence Nord" },
    });
  });

  it("without a header, finds the address column by its content and gives the others the fields in order", () => {
    const table = Paste.parseTable(
      "12/03/2027\t06 12 34 56 78\tAB-123-CD\tx\n13/03/2027\t0612345679\tEF-456-GH",
      {
        fields: ["date_rdv", "immat"],
      },
    );
    expect(table).toMatchObject({ layout: "rows", header: false, entries: 2 });
    expect(targets(table)).toEqual([
      { header: null, kind: "field", field: "date_rdv" },
      { header: null, kind: "address" },
      { header: null, kind: "field", field: "immat" },
      { header: null, kind: "ignored", reason: "noField" },
    ]);
    expect(table.accepted[1]).toMatchObject({
      position: 2,
      fields: { date_rdv: "13/03/2027", immat: "EF-456-GH" },
    });
  });

  it("reads cells Excel quoted for holding a tab, a new line or a quote, and counts lines as the text has them", () => {
    const table = Paste.parseTable(
      'Mobile\tLieu\tNote\n0612345678\t"Agence Nord\n2e étage"\t"dit ""urgent""\tavant 9h"\n0612345679\tSud\t',
      { fields: ["Lieu", "Note"] },
    );
    expect(table.rejected).toEqual([]);
    expect(table.accepted.map(({ position, fields }) => ({ position, fields }))).toEqual([
      { position: 2, fields: { Lieu: "Agence Nord\n2e étage", Note: 'dit "urgent"\tavant 9h' } },
      { position: 4, fields: { Lieu: "Sud" } },
    ]);
  });

  it("refuses a line with a bad number or no address whole, by its line number, and folds repeats", () => {
    const table = Paste.parseTable(
      "Mobile\tEmail\tDate RDV\n06 12\t\t12/03\n0612345678\tpas-un-mail\t13/03\n\t\t14/03\n0612345679\t\t15/03\n06 12 34 56 79\t\t16/03",
      { fields: ["Date_RDV"] },
    );
    expect(table.rejected.map(({ position, code, entry }) => ({ position, code, entry }))).toEqual([
      { position: 2, code: "paste.phone_invalid", entry: "06 12" },
      { position: 3, code: "paste.email_invalid", entry: "pas-un-mail" },
      { position: 4, code: "paste.address_missing", entry: "14/03" },
    ]);
    expect(table.accepted.map(({ position, fields }) => ({ position, fields }))).toEqual([
      { position: 5, fields: { Date_RDV: "15/03" } },
    ]);
    expect(table.duplicates).toBe(1);
  });

  it("finds the address column by content when its header is not one it knows", () => {
    const table = Paste.parseTable("N° salarié;Contact;Immat\n12;0612345678;AB-123-CD", {
      fields: ["Immat"],
    });
    expect(targets(table).map((column) => column.kind)).toEqual(["ignored", "address", "field"]);
    expect(table.accepted[0]).toMatchObject({ key: "m:+33612345678", fields: { Immat: "AB-123-CD" } });
  });

  it("keeps the flat reading for one column, numbers side by side, and free-form text", () => {
    for (const text of [
      "06 12 34 56 78\n0612345679\nlea@example.fr",
      "0612345678\t0612345679\nlea@example.fr\tpaul@example.fr",
      "06 12 34 56 78; 0612345679, lea@example.fr",
    ]) {
      const table = Paste.parseTable(text, { fields: ["Date_RDV"] });
      expect(table.layout).toBe("entries");
      expect(table.accepted).toHaveLength(
        text.startsWith("06 12 34 56 78;") ? 3 : text.includes("\t") ? 4 : 3,
      );
    }
  });
});
