import { Contact } from "../contact";
import { Phone } from "../phone";
import * as Fields from "./fields";

/**
 * Numbers and emails pasted from Excel: cells arrive separated by tabs and newlines, and people also type
 * `;` or `,` between them. Spaces do not separate (06 12 34 56 78 is one number). Every entry is either
 * kept, folded into an earlier identical one, or reported with its reason: nothing is dropped silently.
 */
export const maxEntries = 10_000;
const maxEntryLength = 254;

export type Rejected = { entry: string; position: number; code: string; message: string };
export type Accepted = {
  entry: string;
  key: string;
  /** The entry's rank in a flat paste; the line in a paste of rows. */
  position: number;
  value: Contact.Normalized;
  /** Field values by field name, read from the row's other columns. */
  fields?: Record<string, string>;
};

export type Parsed = {
  /** Non-empty entries read, in order. */
  entries: number;
  accepted: Accepted[];
  /** Entries that repeat an earlier one (same number or email once normalised, or the same bad text). */
  duplicates: number;
  rejected: Rejected[];
};

const separators = /[\t\r\n;,]+/;
/** Quotes Excel adds around cells, "<a@b.fr>", "mailto:" and "tel:" prefixes. */
const wrapping = /^["'<«\s]+|["'>»\s]+$/g;

export function split(text: string): string[] {
  return text
    .split(separators)
    .map((entry) => entry.replace(wrapping, "").replace(/^(mailto|tel):/i, ""))
    .filter((entry) => entry.length > 0);
}

function read(entry: string): { key: string; value: Contact.Normalized } | { code: string; message: string } {
  if (entry.length > maxEntryLength)
    return { code: "paste.too_long", message: `Longer than ${maxEntryLength} characters` };
  if (entry.includes("@")) {
    const { value } = Contact.normalize({ email: entry });
    if (!value.email) return { code: "paste.email_invalid", message: "Invalid email address" };
    return {
      key: `e:${value.email}`,
      value: { email: value.email, smsCapable: false } as Contact.Normalized,
    };
  }
  if (!/\d/.test(entry))
    return { code: "paste.unrecognised", message: "Neither a phone number nor an email address" };
  const parsed = Phone.parse(entry);
  if (!parsed) return { code: "paste.phone_invalid", message: "Invalid phone number" };
  if (!parsed.mobile)
    return { code: "paste.not_mobile", message: "Landline or special number: cannot receive SMS" };
  return { key: `m:${parsed.e164}`, value: { mobile: parsed.e164, smsCapable: true } as Contact.Normalized };
}

/**
 * The values carry no `type`: Contact.merge keeps an existing contact's type only when the incoming one
 * is undefined, and a number pasted into a list says nothing about whether it is a candidate or an
 * employee. New contacts get the entity's default ("externe").
 */
export function parse(text: string): Parsed {
  const entries = split(text);
  const seen = new Set<string>();
  const accepted: Accepted[] = [];
  const rejected: Rejected[] = [];
  let duplicates = 0;
  entries.forEach((entry, index) => {
    const position = index + 1;
    const result = read(entry);
    const key = "key" in result ? result.key : `x:${entry}`;
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    if ("key" in result) accepted.push({ entry, key, position, value: result.value });
    else rejected.push({ entry, position, code: result.code, message: result.message });
  });
  return { entries: entries.length, accepted, duplicates, rejected };
}

/* ------------------------------------------------------------------------------------------------------
 * Columns. A block copied from Excel or Sheets arrives as rows of tab-separated cells (a CSV export as
 * `;`-separated); cells holding a tab, a new line or a quote come wrapped in quotes, "" standing for ".
 * ---------------------------------------------------------------------------------------------------- */

export type Target =
  | { kind: "mobile" }
  | { kind: "email" }
  /** A column found by its content (no header, or a header we do not know) holding numbers or emails. */
  | { kind: "address" }
  | { kind: "field"; field: string }
  /** Creating a list: a header no field matches becomes a new field of that name. */
  | { kind: "newField"; field: string }
  | { kind: "ignored"; reason: "unknown" | "repeated" | "noField" | "badName" | "tooMany" | "empty" };

export type Column = { index: number; header: string | null; sample: string | null; target: Target };

export type Row = { cells: string[]; line: number };

export type Options = {
  /** The list's field names, in order: matched by header, or by position without header. */
  fields?: string[];
  /** Creating a list: unmatched headers become fields (as many as the list may still hold). */
  newFields?: boolean;
};

export type Table = Parsed & {
  layout: "entries" | "rows";
  header: boolean;
  columns: Column[];
  /** New field names the columns ask for (creating a list). */
  newFields: string[];
};

/** Rows of a quoted, delimited block, each with the line it starts on (1-based). */
export function rows(text: string, delimiter: string): Row[] {
  const result: Row[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let atCellStart = true;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((value) => value.trim())) result.push({ cells, line: start });
    cells = [];
    cell = "";
    atCellStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === "\n") line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
    } else if (char === delimiter) {
      cells.push(cell);
      cell = "";
      atCellStart = true;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      start = line;
    } else {
      cell += char;
      if (char !== " ") atCellStart = false;
    }
  }
  endRow();
  return result.map((row) => ({ line: row.line, cells: row.cells.map((value) => value.trim()) }));
}

/** "Date RDV", "date_rdv" and "DATE-RDV" name the same column. */
export const headerKey = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

const mobileHeaders = new Set(
  [
    "mobile",
    "telephone",
    "tel",
    "portable",
    "gsm",
    "phone",
    "numero",
    "mobilephone",
    "telportable",
    "telephoneportable",
    "telmobile",
    "telephonemobile",
    "numerodetelephone",
    "numerodemobile",
    "numerodeportable",
  ].map(headerKey),
);
const emailHeaders = new Set(["email", "e-mail", "mail", "courriel", "adresseemail", "adressemail"]);

/** A valid number or email, as the paste reads it. */
const isAddress = (cell: string) => {
  const entry = unwrap(cell);
  return entry.length > 0 && "key" in read(entry);
};
const unwrap = (cell: string) => cell.replace(wrapping, "").replace(/^(mailto|tel):/i, "");

/** At least half the non-empty cells of the column are numbers or emails (the others are bad ones). */
function addressLike(table: Row[], index: number) {
  const cells = table.map((row) => row.cells[index] ?? "").filter(Boolean);
  const valid = cells.filter(isAddress).length;
  return valid > 0 && valid * 2 >= cells.length;
}

/** The first row names the columns when none of its cells is a number or an email, and it says so. */
function isHeader(first: Row, known: Set<string>) {
  const cells = first.cells.filter(Boolean);
  if (cells.some((cell) => cell.includes("@") || Phone.parse(cell) || isAddress(cell))) return false;
  const named = cells.some((cell) => {
    const key = headerKey(cell);
    return mobileHeaders.has(key) || emailHeaders.has(key) || known.has(key);
  });
  return named || !cells.some((cell) => (cell.match(/\d/g)?.length ?? 0) >= 4);
}

/** A header turned into a field name as the console makes them: "Date RDV" → "date_rdv". */
export function fieldName(header: string) {
  return header
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, Fields.maxFieldName);
}
const globals = new Set(["prenom", "nom", "email", "mobile"]);

function mapColumns(table: Row[], header: boolean, options: Options): Column[] {
  const fields = options.fields ?? [];
  const byKey = new Map(fields.map((name) => [headerKey(name), name]));
  const width = Math.max(...table.map((row) => row.cells.length));
  const body = header ? table.slice(1) : table;
  const used = new Set<string>();
  const newFields: string[] = [];
  let mobile = false;
  let email = false;
  const columns: Column[] = [];
  for (let index = 0; index < width; index++) {
    const title = header ? (table[0]!.cells[index] ?? "") : null;
    const sample = body.map((row) => row.cells[index] ?? "").find(Boolean) ?? null;
    const column = (target: Target): Column => ({ index, header: title, sample, target });
    if (title === null) {
      columns.push(
        column(addressLike(body, index) ? { kind: "address" } : { kind: "ignored", reason: "noField" }),
      );
      continue;
    }
    const key = headerKey(title);
    if (!key) columns.push(column({ kind: "ignored", reason: "empty" }));
    else if (mobileHeaders.has(key) && !mobile) {
      mobile = true;
      columns.push(column({ kind: "mobile" }));
    } else if (emailHeaders.has(key) && !email) {
      email = true;
      columns.push(column({ kind: "email" }));
    } else if (byKey.has(key)) {
      const field = byKey.get(key)!;
      columns.push(
        column(used.has(key) ? { kind: "ignored", reason: "repeated" } : { kind: "field", field }),
      );
      used.add(key);
    } else if (mobileHeaders.has(key) || emailHeaders.has(key)) {
      columns.push(column({ kind: "ignored", reason: "repeated" }));
    } else if (options.newFields) {
      const field = fieldName(title);
      const folded = Fields.foldName(field);
      if (!field || globals.has(folded)) columns.push(column({ kind: "ignored", reason: "badName" }));
      else if (used.has(headerKey(field))) columns.push(column({ kind: "ignored", reason: "repeated" }));
      else if (fields.length + newFields.length >= Fields.maxFields)
        columns.push(column({ kind: "ignored", reason: "tooMany" }));
      else {
        used.add(headerKey(field));
        newFields.push(field);
        columns.push(column({ kind: "newField", field }));
      }
    } else columns.push(column({ kind: "ignored", reason: "unknown" }));
  }
  if (!header) {
    // Without names, the columns that are not addresses take the list's fields in order.
    let next = 0;
    for (const column of columns) {
      if (column.target.kind !== "ignored") continue;
      const field = fields[next++];
      if (field) column.target = { kind: "field", field };
    }
  } else if (!mobile && !email) {
    // Headers we do not know ("N°", "Contact"): the address column is found by what it holds.
    const found = columns.find((column) => column.target.kind !== "field" && addressLike(body, column.index));
    if (found) {
      if (found.target.kind === "newField") newFields.splice(newFields.indexOf(found.target.field), 1);
      found.target = { kind: "address" };
    }
  }
  return columns;
}

const addressKinds = new Set(["mobile", "email", "address"]);

/**
 * Reads a paste: rows of columns when it has some (one member a row, with its field values), else the
 * flat bag of numbers and emails `parse` reads. A row whose number or email is bad, or that has none, is
 * refused whole with its line number; its values are not applied either.
 */
export function parseTable(text: string, options: Options = {}): Table {
  const flat = (): Table => ({
    ...parse(text),
    layout: "entries",
    header: false,
    columns: [],
    newFields: [],
  });
  const delimiter = text.includes("\t") ? "\t" : text.includes(";") ? ";" : null;
  if (!delimiter) return flat();
  const table = rows(text, delimiter);
  if (table.length === 0 || Math.max(...table.map((row) => row.cells.length)) < 2) return flat();
  const known = new Set((options.fields ?? []).map(headerKey));
  const header = isHeader(table[0]!, known);
  const columns = mapColumns(table, header, options);
  const addresses = columns.filter((column) => addressKinds.has(column.target.kind));
  // Numbers side by side with nothing else to fill, or text typed with `;` (a CSV export has as many
  // cells on every line, typed text seldom does): the old flat reading.
  const onlyAddresses = (index: number) =>
    table.every((row) => split(row.cells[index] ?? "").every(isAddress));
  if (
    !header &&
    (addresses.length === 0 ||
      (delimiter === ";" &&
        (table.length === 1 || table.some((row) => row.cells.length !== table[0]!.cells.length))) ||
      addresses.length === columns.length ||
      columns.every((column) => onlyAddresses(column.index)))
  )
    return flat();
  const fills = columns.filter(
    (column) => column.target.kind === "field" || column.target.kind === "newField",
  );
  const body = header ? table.slice(1) : table;
  const seen = new Set<string>();
  const accepted: Accepted[] = [];
  const rejected: Rejected[] = [];
  let duplicates = 0;
  for (const row of body) {
    const refuse = (entry: string, code: string, message: string) =>
      rejected.push({ entry, position: row.line, code, message });
    const value: { mobile?: string; email?: string; smsCapable: boolean } = { smsCapable: false };
    const keys: string[] = [];
    let problem: Rejected | undefined;
    for (const column of addresses) {
      const cell = unwrap(row.cells[column.index] ?? "");
      if (!cell) continue;
      const result =
        column.target.kind === "email" && !cell.includes("@")
          ? { code: "paste.email_invalid", message: "Invalid email address" }
          : read(cell);
      if (!("key" in result)) {
        problem ??= { entry: cell, position: row.line, code: result.code, message: result.message };
        continue;
      }
      if (result.value.mobile && !value.mobile) {
        value.mobile = result.value.mobile;
        value.smsCapable = true;
      }
      if (result.value.email && !value.email) value.email = result.value.email;
      keys.push(result.key);
    }
    if (problem) {
      rejected.push(problem);
      continue;
    }
    const entry = row.cells.filter(Boolean).join(" · ");
    if (keys.length === 0) {
      refuse(entry, "paste.address_missing", "No phone number or email on this line");
      continue;
    }
    const values: Record<string, string> = {};
    const long = fills.find((column) => (row.cells[column.index] ?? "").length > Fields.maxValueLength);
    if (long) {
      refuse(
        row.cells[long.index]!.slice(0, 60),
        "paste.value_too_long",
        `Longer than ${Fields.maxValueLength} characters`,
      );
      continue;
    }
    for (const column of fills) {
      const cell = row.cells[column.index] ?? "";
      // A blank cell leaves the member's value as it was rather than erasing it.
      if (cell && "field" in column.target) values[column.target.field] = cell;
    }
    if (keys.some((key) => seen.has(key))) {
      duplicates++;
      continue;
    }
    for (const key of keys) seen.add(key);
    accepted.push({
      entry,
      key: keys[0]!,
      position: row.line,
      value: value as Contact.Normalized,
      fields: values,
    });
  }
  return {
    entries: body.length,
    accepted,
    duplicates,
    rejected: rejected.sort((a, b) => a.position - b.position),
    layout: "rows",
    header,
    columns,
    newFields: columns.flatMap((column) => (column.target.kind === "newField" ? [column.target.field] : [])),
  };
}
