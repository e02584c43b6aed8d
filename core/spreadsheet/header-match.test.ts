import { describe, expect, it } from "vitest";
import { Spreadsheet } from ".";
import { contactColumns, csv, failure, readAll, roomy } from "./spreadsheet-fixtures";

const headersOf = (headerLine: string) =>
  Spreadsheet.detectHeaders(csv(`${headerLine}\nx;y;z;w\n`), contactColumns, roomy);

describe("Header matching", () => {
  it("ignores case, accents, spaces and punctuation", async () => {
    const { header } = await headersOf("PRENOM ;  nom;TÉLÉPHONE;e-mail");
    expect(header.matched).toEqual([
      { key: "firstName", header: "PRENOM" },
      { key: "lastName", header: "nom" },
      { key: "phone", header: "TÉLÉPHONE" },
      { key: "email", header: "e-mail" },
    ]);
    expect(header.unknown).toEqual([]);
    expect(header.missing).toEqual([]);
  });

  it("recognises English names and snake_case keys", async () => {
    const { header } = await headersOf("First name;last_name;Mobile;EMAIL");
    expect(header.matched.map((match) => match.key)).toEqual(["firstName", "lastName", "phone", "email"]);
  });

  it("accepts Courriel for the email column", async () => {
    const { header } = await headersOf("Prénom;Nom;Courriel");
    expect(header.matched.find((match) => match.key === "email")?.header).toBe("Courriel");
  });

  it("reports headers it does not know and required columns it did not find", async () => {
    const { header } = await headersOf("Prénom;Agence;Date d'entrée");
    expect(header.unknown).toEqual(["Agence", "Date d'entrée"]);
    expect(header.missing).toEqual(["lastName"]);
  });

  it("lets an explicit mapping override aliases", async () => {
    const { header } = await Spreadsheet.detectHeaders(
      csv("Prénom;Nom;Téléphone;Portable perso\nA;B;C;D\n"),
      contactColumns,
      roomy,
      { mapping: { "Portable perso": "phone", Téléphone: null } },
    );
    expect(header.matched).toContainEqual({ key: "phone", header: "Portable perso" });
    expect(header.unknown).toEqual(["Téléphone"]);
  });

  it("routes values through the mapping and keeps unknown columns in extra", async () => {
    const { rows } = await readAll(
      csv("Prénom;Nom;Tél. perso;Agence\nJean;Dupont;0612345678;Lyon\n"),
      contactColumns,
      roomy,
      {
        mapping: { "tel perso": "phone" },
      },
    );
    expect(rows[0]?.values).toEqual({ firstName: "Jean", lastName: "Dupont", phone: "0612345678" });
    expect(rows[0]?.extra).toEqual({ Agence: "Lyon" });
  });

  it("refuses a mapping to a field that does not exist", async () => {
    const error = await failure(
      Spreadsheet.detectHeaders(csv("Prénom;Nom\nA;B\n"), contactColumns, roomy, {
        mapping: { Nom: "surname" },
      }),
    );
    expect(error.code).toBe("spreadsheet.invalid_mapping");
  });

  it("keeps the first of two columns matching the same key and names the second apart", async () => {
    const { header } = await headersOf("Prénom;Nom;Téléphone;Téléphone");
    expect(header.matched).toContainEqual({ key: "phone", header: "Téléphone" });
    expect(header.unknown).toEqual(["Téléphone (2)"]);
  });

  it("refuses rows when a required column is missing, naming it", async () => {
    const error = await failure(readAll(csv("Prénom;Email\nJean;j@x.fr\n"), contactColumns));
    expect(error.code).toBe("spreadsheet.missing_columns");
    expect(error.details).toEqual({ missing: ["lastName"] });
    expect(error.message).toContain("Nom");
  });

  it("normalises ligatures and strips everything but letters and digits", () => {
    expect(Spreadsheet.normaliseHeader(" Nº de sécurité sociale (NIR) ")).toBe("nodesecuritesocialenir");
    expect(Spreadsheet.normaliseHeader("Cœur")).toBe("coeur");
  });
});
