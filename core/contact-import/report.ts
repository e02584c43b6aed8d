import { PassThrough } from "node:stream";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
import { columns as knownColumns } from "./columns";
import type { LineError } from "./validate";

/** What the agency reads in the report; the English message stays beside it for support. */
const french: Record<string, string> = {
  "contact.name_missing": "Nom manquant",
  "contact.unreachable": "Ni mobile ni email",
  "contact.mobile_invalid": "Numéro de téléphone invalide",
  "contact.email_invalid": "Email invalide",
  "contact.type_unknown": "Type inconnu (externe, interne ou client)",
  "contact.civility_unknown": "Civilité inconnue (M. ou Mme)",
  "contact.channel_unknown": "Canal inconnu (SMS ou email)",
  "import.duplicate_in_file": "Doublon dans le fichier",
  "import.conflict": "Le mobile et l'email appartiennent à deux contacts différents",
  "import.value_too_long": "Valeur trop longue",
  "spreadsheet.formula_without_value": "Formule sans valeur calculée",
  "spreadsheet.cell_error": "Cellule en erreur",
  "spreadsheet.cell_too_long": "Cellule trop longue",
  "spreadsheet.unclosed_quote": "Guillemet non fermé",
};

const detailColumns = (language: Language): Spreadsheet.SheetColumn[] =>
  language === "fr"
    ? [
        { header: "Ligne", key: "line", width: 8 },
        { header: "Colonne", key: "column", width: 18 },
        { header: "Valeur", key: "value", width: 30 },
        { header: "Erreur", key: "label", width: 40 },
        { header: "Détail", key: "message", width: 50 },
        { header: "Code", key: "code", width: 28 },
      ]
    : [
        { header: "Line", key: "line", width: 8 },
        { header: "Column", key: "column", width: 18 },
        { header: "Value", key: "value", width: 30 },
        { header: "Error", key: "label", width: 50 },
        { header: "Code", key: "code", width: 28 },
      ];

export type Language = "fr" | "en";

const labelOf = (error: LineError, language: Language) =>
  language === "fr" ? (french[error.code] ?? error.message) : error.message;

/**
 * The report's own columns in the sheet to fix. The import ignores headers it does not know, so the sheet
 * can be corrected and imported again as it is.
 */
export const reportHeaders = {
  fr: { line: "N° de ligne d'origine", errors: "Erreurs à corriger" },
  en: { line: "Original line number", errors: "Errors to fix" },
} as const;

function* detailRecords(errors: readonly LineError[], language: Language) {
  for (const error of errors) {
    yield {
      line: error.line,
      column: error.column,
      value: error.value ?? "",
      label: labelOf(error, language),
      message: error.message,
      code: error.code,
    };
  }
}

/** The lines in error as the file had them: `cells` by header, in the file's column order. */
export type Original = {
  headers: string[];
  rows: AsyncIterable<{ line: number; cells: Record<string, string> }>;
};

async function* toFix(errors: readonly LineError[], original: Original, language: Language) {
  const byLine = new Map<number, string[]>();
  for (const error of errors) {
    const said = `${error.column ? `${error.column} : ` : ""}${labelOf(error, language)}`;
    byLine.set(error.line, [...(byLine.get(error.line) ?? []), said]);
  }
  for await (const row of original.rows) {
    const said = byLine.get(row.line);
    if (!said) continue;
    const record: Record<string, string | number> = {
      "#line": row.line,
      "#errors": said.join(" ; "),
    };
    original.headers.forEach((header, index) => {
      record[`c${index}`] = row.cells[header] ?? "";
    });
    yield record;
  }
}

/**
 * The error report as an .xlsx under `key`, in the importer's language. First sheet: each line in error
 * with its original cells and what to fix, ready to correct and import again; second: one row per problem,
 * with its code for support. Values come from the uploaded file, so the writer stores them as text cells
 * that never run as formulas.
 */
export async function write(
  key: string,
  errors: readonly LineError[],
  options: { language: Language; original?: Original },
) {
  const { language, original } = options;
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  const names = reportHeaders[language];
  const sheets: Spreadsheet.Sheet[] = [];
  if (original)
    sheets.push({
      name: language === "fr" ? "À corriger" : "To fix",
      columns: [
        { header: names.line, key: "#line", width: 10 },
        { header: names.errors, key: "#errors", width: 50 },
        ...original.headers.map((header, index) => ({ header, key: `c${index}`, width: 18 })),
      ],
      rows: toFix(errors, original, language),
    });
  sheets.push({
    name: language === "fr" ? "Erreurs" : "Errors",
    columns: detailColumns(language),
    rows: detailRecords(errors, language),
  });
  await Spreadsheet.writeXlsx(output, sheets);
  await Storage.put(
    "attachments",
    key,
    Buffer.concat(chunks),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
}

/**
 * The .xlsx to start from: every column the import knows, under its first French name, and two example
 * lines (the type and channel written as the console shows them).
 */
export async function template(): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [
    {
      name: "Contacts",
      columns: knownColumns.map((column) => ({ header: column.aliases[0]!, key: column.key, width: 20 })),
      rows: [
        {
          civility: "Mme",
          firstName: "Léa",
          lastName: "Martin",
          mobile: "06 12 34 56 78",
          email: "lea.martin@exemple.fr",
          type: "Candidat externe",
          skills: "cariste, CACES 3",
          position: "Préparatrice de commandes · Vénissieux",
          preferredChannel: "SMS",
        },
        {
          civility: "M.",
          firstName: "Karim",
          lastName: "Benali",
          mobile: "07 81 22 33 44",
          type: "Salarié interne",
          description: "Disponible le week-end",
        },
      ],
    },
  ]);
  return Buffer.concat(chunks);
}
