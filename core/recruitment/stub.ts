/** Placeholder while the verbs are written. */
export function notYet(): never {
  throw new Error("not implemented");
}
