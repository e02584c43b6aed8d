import { VisibleError } from "../error";

/**
 * A list's custom variable fields ("Variables personnalisées"), used as %date_rdv% in templates. Names
 * are letters, digits and underscores, unique ignoring case and accents, and may not shadow the global
 * variables (%Prénom %Nom %Email %Mobile).
 */
export type Field = { id: string; name: string };

export const maxFields = 15;
export const maxFieldName = 30;
export const maxValueLength = 500;

const namePattern = /^[\p{L}\p{N}_]+$/u;
const globals = new Set(["prenom", "nom", "email", "mobile"]);

/** How names compare: "Date_RDV" and "date_rdv" are the same field, so are "Lieu" and "lieu". */
export const foldName = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

type Problem = { path: string; message: string };

const refuse = (problems: Problem[]) =>
  new VisibleError("list.fields_invalid", problems.map((problem) => problem.message).join("; "), 400, {
    fields: problems,
  });

function nameProblem(name: string, path: string): Problem | undefined {
  if (name.length === 0) return { path, message: "A field name is required" };
  if (name.length > maxFieldName)
    return { path, message: `Field name "${name}" is longer than ${maxFieldName} characters` };
  if (!namePattern.test(name))
    return { path, message: `Field name "${name}" may only hold letters, digits and _` };
  if (globals.has(foldName(name)))
    return { path, message: `"${name}" is a global variable (%Prénom %Nom %Email %Mobile)` };
  return undefined;
}

/**
 * The fields a list will have after an edit. `wanted` is the whole new ordered list: an entry with the id
 * of a current field keeps (or renames) it, an entry without id adds a field, a current field left out is
 * removed. Members' values live under ids, so renames and removals never touch the members.
 */
export function plan(current: Field[], wanted: Array<{ id?: string; name: string }>, seq: number) {
  const problems: Problem[] = [];
  if (wanted.length > maxFields)
    problems.push({ path: "fields", message: `A list has at most ${maxFields} custom fields` });
  const known = new Set(current.map((field) => field.id));
  const seenIds = new Set<string>();
  const seenNames = new Map<string, number>();
  let next = seq;
  const fields: Field[] = wanted.map((entry, index) => {
    const name = entry.name.trim();
    const path = `fields.${index}`;
    const problem = nameProblem(name, `${path}.name`);
    if (problem) problems.push(problem);
    const folded = foldName(name);
    if (seenNames.has(folded))
      problems.push({ path: `${path}.name`, message: `Field "${name}" appears twice (case is ignored)` });
    seenNames.set(folded, index);
    if (entry.id !== undefined) {
      if (!known.has(entry.id)) problems.push({ path: `${path}.id`, message: `Unknown field ${entry.id}` });
      else if (seenIds.has(entry.id))
        problems.push({ path: `${path}.id`, message: `Field ${entry.id} appears twice` });
      seenIds.add(entry.id);
      return { id: entry.id, name };
    }
    next += 1;
    return { id: `f${next}`, name };
  });
  if (problems.length > 0) throw refuse(problems);
  // seq also versions the fields: every edit moves it, so concurrent edits can be detected.
  return { fields, seq: next > seq ? next : seq + 1 };
}

/** Fields of a new list, from their names. */
export const fromNames = (names: string[]) =>
  plan(
    [],
    names.map((name) => ({ name })),
    0,
  );

/**
 * Turns values keyed by field name (what people and imports speak) into values keyed by field id (what
 * members store). Names match ignoring case and accents; an unknown name is an error naming it. `null` or
 * blank clears a value.
 */
export function toIds(fields: Field[], byName: Record<string, string | null | undefined>) {
  const ids = new Map(fields.map((field) => [foldName(field.name), field.id]));
  const unknown: string[] = [];
  const values: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(byName)) {
    const id = ids.get(foldName(name.trim()));
    if (!id) {
      unknown.push(name);
      continue;
    }
    const text = value?.trim();
    if (text && text.length > maxValueLength)
      throw refuse([
        { path: `fields.${name}`, message: `"${name}" is longer than ${maxValueLength} characters` },
      ]);
    values[id] = text ? text : null;
  }
  if (unknown.length > 0)
    throw new VisibleError(
      "list.field_unknown",
      `Unknown field(s) for this list: ${unknown.join(", ")}`,
      400,
      { fields: unknown.map((name) => ({ path: `fields.${name}`, message: `Unknown field "${name}"` })) },
    );
  return values;
}

/** Stored values with changes applied (null removes); values of removed fields are dropped on the way. */
export function applyValues(
  fields: Field[],
  stored: Record<string, string> | undefined,
  changes: Record<string, string | null>,
) {
  const live = new Set(fields.map((field) => field.id));
  const result: Record<string, string> = {};
  for (const [id, value] of Object.entries({ ...stored, ...changes })) {
    if (value !== null && value !== undefined && live.has(id)) result[id] = value;
  }
  return result;
}

/** Values keyed by field name, in the list's field order, for answers, exports and templates. */
export function byName(fields: Field[], stored: Record<string, string> | undefined) {
  const result: Record<string, string> = {};
  for (const field of fields) {
    const value = stored?.[field.id];
    if (value !== undefined) result[field.name] = value;
  }
  return result;
}
