/** Case- and accent-insensitive form of a text, for searching and matching what people type. */
export const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
