import { PassThrough } from "node:stream";
import { Spreadsheet } from "../../core/spreadsheet";

/**
 * A realistic agency export, generated: French names with accents, numbers typed every way French
 * people type them, some landlines, emails, skills, places. Deterministic for a given seed, unique
 * numbers and emails per row (so every row is a new contact).
 */
const firstNames = [
  "Camille",
  "Léa",
  "Jérôme",
  "Chloé",
  "Mathéo",
  "Inès",
  "Noé",
  "Anaïs",
  "François",
  "Zoé",
  "Hélène",
  "Loïc",
  "Maëlle",
  "Gaëtan",
  "Océane",
  "Rémi",
];
const lastNames = [
  "Martin",
  "Bernard",
  "Dubois",
  "Lefèvre",
  "Moreau",
  "Laurent",
  "Girard",
  "Bonnet",
  "Dupré",
  "Rousseau",
  "Lemaître",
  "Faure",
  "Mercier",
  "Blanc",
  "Guérin",
  "Boyer",
];
const skills = [
  "cariste CACES 3",
  "soudeur TIG",
  "préparateur de commandes",
  "manutentionnaire",
  "agent de quai",
  "conducteur PL",
  "électricien",
  "maçon",
  "aide-soignant",
  "plombier",
];
const places = [
  "Lyon 7e",
  "Vénissieux",
  "Saint-Priest",
  "Villeurbanne",
  "Grenoble",
  "Décines",
  "Bron",
  "Vaulx-en-Velin",
];
const types = ["Intérimaire", "Candidat", "Salarié", "Client", "externe"];

function phone(index: number, offset: number) {
  const digits = String(600_000_000 + offset + index).padStart(9, "0"); // 6xxxxxxxx, unique
  const national = `0${digits}`;
  switch (index % 5) {
    case 0:
      return national.replace(/(\d\d)(?=\d)/g, "$1 "); // 06 12 34 56 78
    case 1:
      return national.replace(/(\d\d)(?=\d)/g, "$1."); // 06.12.34.56.78
    case 2:
      return `+33 ${digits[0]} ${digits.slice(1).replace(/(\d\d)(?=\d)/g, "$1 ")}`; // +33 6 12 34 56 78
    case 3:
      return `0033${digits}`; // 0033612345678
    default:
      return national; // 0612345678
  }
}

export const columns: Spreadsheet.SheetColumn[] = [
  { header: "Civilité", key: "civility" },
  { header: "Prénom", key: "firstName" },
  { header: "Nom", key: "lastName" },
  { header: "Téléphone portable", key: "mobile" },
  { header: "E-mail", key: "email" },
  { header: "Type", key: "type" },
  { header: "Compétences", key: "skills" },
  { header: "Lieu", key: "position" },
  { header: "Commentaire", key: "description" },
];

export function* contactRows(count: number, offset: number, tag: string) {
  for (let index = 0; index < count; index++) {
    const firstName = firstNames[index % firstNames.length]!;
    const lastName = lastNames[(index * 7) % lastNames.length]!;
    yield {
      civility: index % 2 === 0 ? "Mme" : "M.",
      firstName,
      lastName,
      mobile: phone(index, offset),
      email: `${firstName}.${lastName}.${index}.${tag}@exemple.fr`
        .toLowerCase()
        .normalize("NFD")
        .replace(/\p{Diacritic}/gu, ""),
      type: types[index % types.length],
      skills: `${skills[index % skills.length]}, ${skills[(index + 3) % skills.length]}`,
      position: places[index % places.length],
      description: index % 4 === 0 ? "Disponible immédiatement, véhiculé" : "",
    };
  }
}

/** The .xlsx bytes, produced by the streaming writer. */
export async function contactsXlsx(count: number, offset: number, tag: string): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await Spreadsheet.writeXlsx(output, [{ name: "Contacts", columns, rows: contactRows(count, offset, tag) }]);
  return Buffer.concat(chunks);
}
