import * as z from "zod";
import { SpreadsheetError } from "./spreadsheet-error";

/** A column the caller knows. The key itself also counts as an alias. */
export type Column<K extends string> = { key: K; aliases: string[]; required?: boolean };

/** The user's choice in the mapping step: header → key, or null to leave that column unmapped. */
export const Mapping = z.record(z.string().max(500), z.string().max(100).nullable());
export type Mapping<K extends string = string> = Record<string, K | null>;

export type HeaderMatch<K extends string> = {
  /** Line of the header row in the file (1 unless blank rows precede it). */
  line: number;
  /** Header cells left to right, trimmed, made unique with " (2)", " (3)"…; "" where a header is blank. */
  headers: string[];
  matched: Array<{ key: K; header: string }>;
  /** Headers that matched no column; their values arrive in `extra` under these names. */
  unknown: string[];
  /** Required keys that no header matched. */
  missing: K[];
};

/** How data cells are routed once the header is known. */
export type ColumnPlan<K extends string> = {
  match: HeaderMatch<K>;
  /** Columns past this index hold no header and are ignored. */
  width: number;
  keyAt: Array<K | undefined>;
  extraAt: Array<string | undefined>;
};

/**
 * Case, accents, spaces and punctuation do not matter: "Prénom ", "PRENOM" and "pre-nom" compare equal.
 * NFKD rather than NFD so that "Nº", ligatures and full-width letters fold too.
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]/g, "");
}

function aliasIndex<K extends string>(columns: Column<K>[]): Map<string, K> {
  const index = new Map<string, K>();
  for (const column of columns) {
    for (const alias of [column.key, ...column.aliases]) {
      const normal = normaliseHeader(alias);
      const owner = index.get(normal);
      // Two keys sharing an alias is a programming error, not something a user can fix.
      if (owner !== undefined && owner !== column.key) {
        throw new Error(`Alias "${alias}" is claimed by both "${owner}" and "${column.key}"`);
      }
      if (normal) index.set(normal, column.key);
    }
  }
  return index;
}

function uniqueHeaders(cells: Array<string | undefined>): string[] {
  const seen = new Map<string, number>();
  return Array.from(cells, (cell) => {
    const header = cell?.trim() ?? "";
    if (!header) return "";
    const count = (seen.get(header) ?? 0) + 1;
    seen.set(header, count);
    return count === 1 ? header : `${header} (${count})`;
  });
}

function lookupMapping<K extends string>(mapping: Mapping<K>, header: string): K | null | undefined {
  if (Object.hasOwn(mapping, header)) return mapping[header];
  // A mapping saved from an earlier file may differ in case or accents only.
  const normal = normaliseHeader(header);
  for (const [name, key] of Object.entries(mapping)) {
    if (normaliseHeader(name) === normal) return key;
  }
  return undefined;
}

/** Matches the header row to the known columns; an explicit mapping wins over aliases. */
export function planColumns<K extends string>(
  line: number,
  cells: Array<string | undefined>,
  columns: Column<K>[],
  mapping?: Mapping<K>,
): ColumnPlan<K> {
  const aliases = aliasIndex(columns);
  const known = new Set<string>(columns.map((column) => column.key));
  const headers = uniqueHeaders(cells);
  let width = headers.length;
  while (width > 0 && !headers[width - 1]) width--;
  headers.length = width;

  const keyAt: Array<K | undefined> = new Array(width).fill(undefined);
  const decided: boolean[] = new Array(width).fill(false);
  const assigned = new Set<K>();

  if (mapping) {
    for (let index = 0; index < width; index++) {
      const header = headers[index];
      if (!header) continue;
      const key = lookupMapping(mapping, header);
      if (key === undefined) continue;
      decided[index] = true;
      if (key === null) continue;
      if (!known.has(key)) {
        throw new SpreadsheetError(
          "spreadsheet.invalid_mapping",
          `"${header}" is mapped to unknown field "${key}"`,
          {
            header,
            key,
          },
        );
      }
      if (assigned.has(key)) {
        throw new SpreadsheetError("spreadsheet.invalid_mapping", `Several columns are mapped to "${key}"`, {
          header,
          key,
        });
      }
      assigned.add(key);
      keyAt[index] = key;
    }
  }

  for (let index = 0; index < width; index++) {
    const header = headers[index];
    if (!header || decided[index]) continue;
    const key = aliases.get(normaliseHeader(header));
    // The first matching column wins; a second "Téléphone" is left for the mapping step.
    if (key !== undefined && !assigned.has(key)) {
      assigned.add(key);
      keyAt[index] = key;
    }
  }

  const matched: HeaderMatch<K>["matched"] = [];
  const unknown: string[] = [];
  const extraAt: Array<string | undefined> = new Array(width).fill(undefined);
  for (let index = 0; index < width; index++) {
    const header = headers[index];
    if (!header) continue;
    const key = keyAt[index];
    if (key !== undefined) {
      matched.push({ key, header });
    } else {
      unknown.push(header);
      extraAt[index] = header;
    }
  }
  const missing = columns.filter((column) => column.required && !assigned.has(column.key)).map((c) => c.key);

  return { match: { line, headers, matched, unknown, missing }, width, keyAt, extraAt };
}

/** Names a missing column the way the user would look for it: its first alias. */
export function describeMissing<K extends string>(missing: K[], columns: Column<K>[]): string {
  return missing
    .map((key) => {
      const label = columns.find((column) => column.key === key)?.aliases[0];
      return label ? `${label} (${key})` : key;
    })
    .join(", ");
}
