/** How a reply to a Yes/No question reads: yes (green), no (orange), other (blue). */
export type Classification = "yes" | "no" | "other";

/** Lower case, no accents, typographic apostrophes straightened, punctuation reduced to spaces. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}'👍👎✅❌🙂😊\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const yes = new Set([
  "oui",
  "ouii",
  "ouiii",
  "ouai",
  "ouais",
  "ok",
  "okay",
  "okk",
  "d'accord",
  "dac",
  "daccord",
  "dispo",
  "disponible",
  "je suis dispo",
  "je suis disponible",
  "c'est bon",
  "cest bon",
  "c bon",
  "yes",
  "yep",
  "y",
  "o",
  "bien sur",
  "avec plaisir",
  "parfait",
  "go",
  "👍",
  "✅",
]);
const no = new Set([
  "non",
  "nn",
  "no",
  "nope",
  "n",
  "pas dispo",
  "pas disponible",
  "indisponible",
  "indispo",
  "non merci",
  "no thanks",
  "je ne suis pas dispo",
  "je suis pas dispo",
  "pas possible",
  "impossible",
  "👎",
  "❌",
]);
/** Polite words that do not change the answer: "oui merci", "non désolé", "ok 👍". */
const filler = new Set([
  "merci",
  "bonjour",
  "bonsoir",
  "desole",
  "desolee",
  "thanks",
  "thank you",
  "svp",
  "stp",
  "🙂",
  "😊",
  "👍",
  "bien",
]);

/**
 * Reads a short answer. Only a clear yes or a clear no counts; a sentence with anything else in it
 * ("oui mais pas avant 10h", "je rappelle") is "other", for a human to read.
 */
export function classify(body: string): Classification {
  const folded = fold(body);
  if (!folded) return "other";
  if (yes.has(folded)) return "yes";
  if (no.has(folded)) return "no";
  // Strip polite words from the end and try again: "oui merci", "non merci beaucoup" → no.
  const words = folded.split(" ");
  while (words.length > 1) {
    const last = words.at(-1)!;
    if (!filler.has(last) && last !== "beaucoup" && last !== "!") break;
    words.pop();
    const rest = words.join(" ");
    if (no.has(rest)) return "no";
    if (yes.has(rest)) return "yes";
  }
  // "Bonjour, oui" / "merci oui"
  while (words.length > 1 && filler.has(words[0]!)) {
    words.shift();
    const rest = words.join(" ");
    if (no.has(rest)) return "no";
    if (yes.has(rest)) return "yes";
  }
  // Two clear answers that agree: "oui je suis dispo", "non pas dispo".
  for (let cut = 1; cut < words.length; cut++) {
    const head = words.slice(0, cut).join(" ");
    const tail = words.slice(cut).join(" ");
    if (yes.has(head) && yes.has(tail)) return "yes";
    if (no.has(head) && no.has(tail)) return "no";
  }
  return "other";
}

/** SMS opt-out keywords (France and English); the whole message must be the keyword. */
const stopWords = new Set([
  "stop",
  "stop sms",
  "arret",
  "arret sms",
  "desabonner",
  "desinscrire",
  "unsubscribe",
  "stop all",
]);

export type Command = { kind: "optout" } | { kind: "channel"; channel: "sms" | "email" } | undefined;

/** STOP-like opt-outs and "EMAIL"/"SMS" channel switches, read before any Yes/No classification. */
export function command(body: string): Command {
  const folded = fold(body);
  if (stopWords.has(folded)) return { kind: "optout" };
  if (folded === "email" || folded === "mail" || folded === "e mail")
    return { kind: "channel", channel: "email" };
  if (folded === "sms") return { kind: "channel", channel: "sms" };
  return undefined;
}
