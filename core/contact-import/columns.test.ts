import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Contact } from "../contact";
import { contactTypes } from "../contact/contact.entity";
import { Spreadsheet } from "../spreadsheet";
import { columns } from "./columns";
import { importFields, limits } from "./import.types";

/** What the console shows, read from its catalogues so that a new label cannot be forgotten here. */
const catalogues = ["fr", "en"].map(
  (language) =>
    JSON.parse(
      readFileSync(new URL(`../../web/src/contacts/messages.${language}.json`, import.meta.url), "utf8"),
    ) as Record<string, string>,
);

describe("Import columns and values", () => {
  it.each(importFields)(
    "matches the header the import page lists for %s, in French and English",
    async (field) => {
      for (const catalogue of catalogues) {
        const label = catalogue[`contactImport.field.${field}`];
        expect(label, `contactImport.field.${field}`).toBeTruthy();
        const { header } = await Spreadsheet.detectHeaders(
          { bytes: Buffer.from(`${label}\nx\n`), fileName: "contacts.csv" },
          columns,
          limits,
        );
        expect(header.matched, label).toEqual([{ key: field, header: label }]);
      }
    },
  );

  it.each(contactTypes)(
    "accepts every console label of the type %s, whatever the case and accents",
    (type) => {
      for (const catalogue of catalogues) {
        const label = catalogue[`contacts.type.${type}`]!;
        expect(label).toBeTruthy();
        const shouted = label.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase();
        for (const written of [label, shouted, ` ${label.toLowerCase()} `]) {
          const { value, issues } = Contact.normalize({
            lastName: "Dupont",
            mobile: "0612345678",
            type: written,
          });
          expect(issues, written).toEqual([]);
          expect(value.type, written).toBe(type);
        }
      }
    },
  );
});
