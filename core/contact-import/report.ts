import { PassThrough } from "node:stream";
import * as Storage from "../platform/storage";
import { Spreadsheet } from "../spreadsheet";
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

const columns: Spreadsheet.SheetColumn[] = [
  { header: "Ligne", key: "line", width: 8 },
  { header: "Colonne", key: "column", width: 18 },
  { header: "Valeur", key: "value", width: 30 },
  { header: "Erreur", key: "label", width: 40 },
  { header: "Détail", key: "message", width: 50 },
  { header: "Code", key: "code", width: 28 },
];

function* records(errors: readonly LineError[]) {
  for (const error of errors) {
    yield {
      line: error.line,
      column: error.column,
      value: error.value ?? "",
      label: french[error.code] ?? error.message,
      message: error.message,
      code: error.code,
    };
  }
}

/**
 * The error report as an .xlsx under `key`: one row per problem, in file order. Values come from the
 * uploaded file, so the writer stores them as text cells that never run as formulas.
 */
export async function write(key: string, errors: readonly LineError[]) {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [{ name: "Erreurs", columns, rows: records(errors) }]);
  await Storage.put(
    "attachments",
    key,
    Buffer.concat(chunks),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
}
