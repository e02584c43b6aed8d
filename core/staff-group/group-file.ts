import { Partner } from "../partner";
import { Phone } from "../phone";
import { Spreadsheet } from "../spreadsheet";

/** A group's file is a column of identifiers, rarely more than a few thousand lines. */
export const fileLimits = { maxBytes: 5 * 1024 * 1024, maxRows: 5000 };

/** One value naming a partner: the partner keys it may stand for, and its line in a file. */
export type Named = { value: string; keys: string[]; line?: number };
export type LineIssue = { line: number; code: string; message: string };

type Id = "matricule" | "mobile" | "email";
/** In this order a line's identifiers are tried: a matricule names one person, a mobile may be shared. */
const columns: Spreadsheet.Column<Id>[] = [
  {
    key: "matricule",
    aliases: [
      "Matricule",
      "N° matricule",
      "Numéro de matricule",
      "Matricule salarié",
      "Employee ID",
      "Employee number",
      "Staff number",
    ],
  },
  {
    key: "mobile",
    aliases: [
      "Mobile",
      "Téléphone",
      "Portable",
      "Téléphone portable",
      "Numéro de mobile",
      "Numéro de téléphone",
      "Tél",
      "GSM",
      "Phone",
      "Mobile phone",
      "Cell phone",
    ],
  },
  {
    key: "email",
    aliases: ["Email", "E-mail", "Courriel", "Adresse e-mail", "Adresse email", "Mail", "Email address"],
  },
];

const keyAs: Record<Id, (value: string) => string | undefined> = {
  matricule: (value) => Partner.keysOf({ matricule: value })[0],
  mobile: (value) => {
    const mobile = Phone.mobile(value);
    return mobile ? `mobile#${mobile}` : undefined;
  },
  email: (value) => (value.includes("@") ? `email#${value.toLowerCase()}` : undefined),
};

/** The partner key a value of unknown kind stands for: an email, a mobile, else a matricule. */
export function guessKey(value: string): string | undefined {
  return keyAs.email(value) ?? keyAs.mobile(value) ?? keyAs.matricule(value);
}

/**
 * The identifiers of an .xlsx or CSV file, by line: its Matricule, Mobile or Email columns (French or
 * English headers); a file with none of these headers is read from its first column, its first line
 * included when it holds a digit or an @ (an identifier rather than a header). Refuses a file it cannot read
 * (SpreadsheetError) before anything is returned.
 */
export async function readIdentifiers(input: Spreadsheet.Input) {
  const rows: Spreadsheet.Row<Id>[] = [];
  const reading = Spreadsheet.readRows(input, columns, fileLimits);
  let step = await reading.next();
  while (!step.done) {
    rows.push(step.value);
    step = await reading.next();
  }
  const { header } = step.value;
  const byHeader = header.matched.length > 0;
  const first = header.headers[0] ?? "";
  const named: Named[] = [];
  const issues: LineIssue[] = [];
  const firstKey = byHeader || !/[\d@]/.test(first) ? undefined : guessKey(first);
  if (firstKey) named.push({ value: first, keys: [firstKey], line: header.line });
  const watched = new Set(byHeader ? header.matched.map((match) => match.header) : [first]);
  for (const row of rows) {
    const problem = row.issues.find((issue) => issue.column !== undefined && watched.has(issue.column));
    const values: Array<[Id | undefined, string]> = byHeader
      ? columns.flatMap(({ key }) => (row.values[key] ? [[key, row.values[key]] as [Id, string]] : []))
      : row.extra[first]
        ? [[undefined, row.extra[first]]]
        : [];
    if (values.length === 0) {
      issues.push(
        problem
          ? { line: row.line, code: problem.code, message: problem.message }
          : {
              line: row.line,
              code: "group.line_empty",
              message: "No matricule, mobile or email on this line",
            },
      );
      continue;
    }
    const keys = values.flatMap(([id, value]) => {
      const key = id ? keyAs[id](value) : guessKey(value);
      return key ? [key] : [];
    });
    named.push({ value: values.map(([, value]) => value).join(" · "), keys, line: row.line });
  }
  return { named, issues };
}
