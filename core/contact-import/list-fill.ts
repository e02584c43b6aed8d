import { VisibleError } from "../error";
import { List } from "../list";

/** Folded like the list's own field names: "Date_RDV" and "date_rdv" are the same field. */
const fold = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .trim();

/**
 * Checked when the import starts, so that filling the list at the end cannot be refused: the list exists
 * and the user may use it, and every column mapped to one of its variable fields names a real field.
 */
export async function assertUsable(listId: string, fieldNames: Iterable<string>) {
  const list = await List.fromId(listId);
  const known = new Set(list.fields.map((field) => fold(field.name)));
  const unknown = [...fieldNames].filter((name) => !known.has(fold(name)));
  if (unknown.length > 0) {
    throw new VisibleError(
      "import.list_field_unknown",
      `The list "${list.name}" has no field ${unknown.map((name) => `%${name}%`).join(", ")}`,
      400,
      { fields: unknown.map((name) => ({ path: "mapping", message: `Unknown list field "${name}"` })) },
    );
  }
}

/**
 * Fills the list once every row is written, never before: an import that fails leaves the list as it
 * was. `List.addMembers` is idempotent (a member already there with the same values is `unchanged`), so a
 * worker that dies half-way through simply adds the rest when the job is resumed.
 */
export function fill(listId: string, members: Array<{ contactId: string; fields?: Record<string, string> }>) {
  return List.addMembers(listId, members);
}
