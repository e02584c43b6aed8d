import * as z from "zod";
import { Contact } from "../contact";
import { VisibleError } from "../error";
import type { Spreadsheet } from "../spreadsheet";
import { type ImportField as Field, importFields as fields } from "./import.types";

/**
 * The columns an import understands, matched by header name whatever the case, accents or spaces; the
 * first alias is how a column is named to the user when it is missing.
 */
export { type Field, fields };

export const columns: Spreadsheet.Column<Field>[] = [
  { key: "civility", aliases: ["Civilité", "Civility", "Titre", "Title", "Genre"] },
  { key: "firstName", aliases: ["Prénom", "First name", "Firstname", "Given name"] },
  { key: "lastName", aliases: ["Nom", "Nom de famille", "Last name", "Lastname", "Surname", "Family name"] },
  {
    key: "email",
    aliases: ["Email", "E-mail", "Courriel", "Mail", "Adresse mail", "Adresse email", "Adresse e-mail"],
  },
  {
    key: "mobile",
    aliases: [
      "Mobile",
      "Téléphone",
      "Portable",
      "Tel",
      "Tél",
      "Téléphone mobile",
      "Téléphone portable",
      "Tel portable",
      "Tel mobile",
      "N° portable",
      "N° de portable",
      "Numéro de portable",
      "Numéro de mobile",
      "Numéro",
      "Numéro de téléphone",
      "GSM",
      "Phone",
      "Mobile phone",
      "Cell",
    ],
  },
  { key: "type", aliases: ["Type", "Type de contact", "Catégorie", "Category", "Contact type"] },
  { key: "skills", aliases: ["Compétences", "Skills", "Qualifications", "Métiers"] },
  { key: "description", aliases: ["Description", "Commentaire", "Commentaires", "Notes", "Remarques"] },
  {
    key: "position",
    aliases: [
      "Poste",
      "Lieu",
      "Position",
      "Fonction",
      "Site",
      "Lieu de travail",
      "Poste / lieu",
      "Position / place",
    ],
  },
  { key: "preferredChannel", aliases: ["Canal", "Canal préféré", "Preferred channel", "Channel"] },
];

/** How each field is named when the file has no column for it (errors still point somewhere). */
export const labels: Record<Field, string> = Object.fromEntries(
  columns.map((column) => [column.key, column.aliases[0] ?? column.key]),
) as Record<Field, string>;

/** Columns worth telling the user about when the file lacks them. */
export const expected: Field[] = ["lastName", "firstName", "mobile", "email"];

const customPrefix = "custom:";
const listPrefix = "list:";
const maxCustomName = 40;

/**
 * The mapping step's answer, header → what to do with the column: a contact field, `"custom"` (a custom
 * field named like the header), `"custom:<name>"` (a custom field with another name), `"list:<field>"`
 * (a variable field of the list being filled, e.g. `list:date_rdv`) or `null` (ignore). Headers left out
 * keep their automatic match; unknown columns not mentioned are ignored.
 */
export const Mapping = z.record(
  z.string().max(500),
  z.union([
    z.enum(fields),
    z.literal("custom"),
    z.string().regex(/^custom:.+$/),
    z.string().regex(/^list:.+$/),
    z.null(),
  ]),
);
export type Mapping = z.infer<typeof Mapping>;

export type Plan = {
  /** What the spreadsheet reader matches by itself or is told to. */
  reader: Spreadsheet.Mapping<Field>;
  /** Header → custom field name. */
  customs: Map<string, string>;
  /** Header → variable field of the list to fill. */
  listFields: Map<string, string>;
};

const invalidName = (header: string, name: string) =>
  new VisibleError(
    "spreadsheet.invalid_mapping",
    `Field names hold 1 to ${maxCustomName} characters ("${name}")`,
    400,
    { header },
  );

/** Splits the user's mapping into the reader's (known fields, ignored columns), custom and list fields. */
export function plan(mapping: Mapping = {}): Plan {
  const reader: Spreadsheet.Mapping<Field> = {};
  const customs = new Map<string, string>();
  const listFields = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    const custom = target === "custom" || (target?.startsWith(customPrefix) ?? false);
    const listField = target?.startsWith(listPrefix) ?? false;
    if (!custom && !listField) {
      reader[header] = target as Field | null;
      continue;
    }
    const name = (
      target === "custom" ? header : target!.slice((custom ? customPrefix : listPrefix).length)
    ).trim();
    if (!name || name.length > maxCustomName) throw invalidName(header, name);
    // The reader must leave the column alone even when its header looks like a known one.
    reader[header] = null;
    (custom ? customs : listFields).set(header, name);
  }
  return { reader, customs, listFields };
}

const maxLength = (field: Field): number => {
  const schema = Contact.Input.shape[field].unwrap();
  return schema instanceof z.ZodString ? (schema.maxLength ?? Number.POSITIVE_INFINITY) : 1000;
};

/** The longest text each field accepts, as the contact API does. */
export const maxLengths: Record<Field, number> = Object.fromEntries(
  fields.map((field) => [field, maxLength(field)]),
) as Record<Field, number>;
export const maxCustomValue = 500;
