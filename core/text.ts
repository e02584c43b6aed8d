/** Case- and accent-insensitive form of a text, for searching and matching what people type. */
export const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/** Text placed inside HTML: names and values typed by people never become markup. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const segmenter = new Intl.Segmenter("fr", { granularity: "grapheme" });

/** Characters as a person sees them (« é », « 👍🏽 » count one), not UTF-16 units. */
export const graphemes = (text: string) => {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
};
