/** How a reply to a Yes/No question reads: yes (green), no (orange), other (blue). */
export type Classification = "yes" | "no" | "other";

/**
 * Why a reply was read the way it was: a short stable code, stored with the reply and shown in the
 * console ("manual" once a recruiter corrected it). Never rename one: stored replies keep it.
 */
export const ruleCodes = [
  "yes.word",
  "yes.phrase",
  "yes.emoji",
  "no.word",
  "no.negation",
  "no.emoji",
  "other.empty",
  "other.question",
  "other.conditional",
  "other.hedge",
  "other.mixed",
  "other.long",
  "other.unknown",
  "other.command",
  "manual",
] as const;
export type Rule = (typeof ruleCodes)[number];

export type Reading = { classification: Classification; rule: Rule };

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

/**
 * Folded for reading: apostrophes dropped as SMS writers do ("j'peux" = "jpeux", "can't" = "cant"),
 * stretched letters shortened ("ouiii", "nonnn"), only the emojis that answer kept.
 */
function words(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/['’‘`]/g, "")
    .replace(/[^\p{L}\p{N}👍👎✅❌👌\s]/gu, " ")
    .replace(/(\p{L})\1{2,}/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whole words only, accented letters included (`\\b` knows ASCII only). */
const re = (source: string, flags = "u") =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, flags);

/** Read as yes before negations are looked for: "pas de souci" is no negation. */
const notAProblem = re(
  "pas de (?:souci|soucis|probleme|problemes|pb|prob)|sans (?:souci|soucis|probleme|pb)|aucun (?:souci|probleme|pb)|no (?:problem|prob|worries|souci|soucis|stress)",
  "gu",
);

/** A restriction or a condition: the answer holds only in part, a human reads it. */
const condition = re(
  [
    "sauf|si|except|excepte|if|unless|only|seulement|uniquement|juste",
    "a partir d\\w*|des que|pas avant|avant|apres(?! midi)|after|before|until|jusqu\\w*|a condition\\w*",
    "en retard|late|semaine prochaine|next week",
    "(?:dispo|disponible|libre|ne \\S+|peux|suis dispo) que",
  ].join("|"),
);
/** Words that join two halves ("oui mais…"): conditional unless the first half is only politeness. */
const but = re("mais|but|par contre");

/** A question without its question mark: "c'est à quelle heure", "who is this". */
const asking = re(
  "quels?|quelles?|combien|cest (?:ou|qui|quoi)|vous etes qui|what|where|who|how much|how many|which",
);

/** Not an answer yet: maybe, later, call me. */
const hedge = re(
  [
    "peut etre|peutetre|ptet|ptetre|maybe|perhaps|possible ?ment|possibly|probablement|probably|surement",
    "normalement|je pense|jpense|je crois|jcrois|i think|not sure|pas sur|pas sure|pas certaine?",
    "(?:je |j)?(?:ne )?sais pas|jsp|jsais pas|chais pas|dont know|dunno|je vais voir|on verra|a voir",
    "pourquoi pas|pk pas|reflechi\\w*|j?hesite|dis pas non|let me (?:check|see|think)|let you know|get back",
    "vous (?:dis|redis|tiens|recontacte|reponds)|je reponds|rappel\\w*|call (?:me|back)|appel\\w*",
    "plus tard|later|je regarde|depend\\w*",
    "confirm\\w* (?:ce soir|demain|plus tard|tout a l heure|tomorrow|tonight|later)",
  ].join("|"),
);

/** Negative phrases, read before the positive ones they contain ("je peux pas" holds "je peux"). */
const negation = re(
  [
    "(?:peux|peu|peut|jpeux|jpeu|pourrai|pourrais|pourai|pourra|serai|serais|sera|vais|va|viendrai|viendrais) pas?(?: (?:etre|venir|y aller))?(?: (?:la|present\\w*|dispo\\w*|disponible|libre))?",
    "(?:pas?|plus) (?:dispo\\w*|disponible|libre|possible|interesse\\w*|moyen|pour moi|cette fois|demain|aujourdhui|ce soir|cette semaine|la)",
    "(?:interesse|minteresse|arrange|marrange|convient|marche) pas",
    "indispo\\w*|impossible|malheureusement|unfortunately|unavailable|cant|cannot|can not|wont|busy",
    "absente?s?|occupee?s?|empechement|malade|sick|declin\\w*|refuse|en conge|vacances|en arret",
    "not (?:available|interested|this time|for me|free|possible|today|tomorrow)",
    "deja (?:pris\\w*|en mission|une mission|occupe\\w*)|travaille deja|jai deja",
    "passe mon tour|ill pass|i will pass|je passe$|cest mort",
  ].join("|"),
  "gu",
);
const noWord = re("non+|nn|nan|no+|nop|nope|nah");

const yesWord = re(
  "oui+|ouai+s?|ouep|ouaip|ui|yes+|yeah|yep|yup|ok+|oke|okay|oki|okey|dac+|daccord|d accord|go",
);
const acceptance = re(
  [
    "dispo+|dispos|dispon+ible|available",
    "(?:je|j) (?:la )?prends?|je prend|take it|jy serai\\w*|serai[st]? (?:la|present\\w*)|presente?",
    "je peux|je peu|je peut|jpeux|i can|i can do it|je veux bien|je viens(?! de| d)",
    "(?:ca|sa|cela) (?:marche|roule|me va|me convient)|partante?s?|interesse\\w*",
    "(?:cest|c|ces) (?:bon|ok|note|parfait)|bon pour moi|je suis ok|confirm\\w*",
    "avec plaisir|volontiers|bien sur|evidemment|carrement|parfait|super|top",
    "count me in|im in|i am in|sounds good|works for me|that works|fine by me|sure|of course|absolutely|definitely",
    "ill be there|i will be there|ill take it",
  ].join("|"),
);
const yesEmoji = /[👍✅👌]/u;
const noEmoji = /[👎❌]/u;

/** Past this many words a reply is read by a human, not by rules. */
const longReply = 30;

/** Where each kind of signal first appears in `text`, or -1. */
function signals(text: string) {
  const marked = text.replace(notAProblem, " ✓ ").replace(negation, " ✗ ");
  const at = (pattern: RegExp) => marked.search(pattern);
  return {
    yesWord: at(yesWord),
    yesPhrase: Math.max(marked.indexOf("✓"), marked.search(acceptance)),
    yesEmoji: at(yesEmoji),
    noWord: at(noWord),
    noNegation: marked.indexOf("✗"),
    noEmoji: at(noEmoji),
  };
}

function firstOf<K extends string>(found: Record<K, number>): K | undefined {
  let best: K | undefined;
  for (const key of Object.keys(found) as K[])
    if (found[key] >= 0 && (best === undefined || found[key] < found[best])) best = key;
  return best;
}

/** Reads the signals of a clear answer; both a yes and a no in one reply is "other.mixed". */
function polarity(text: string): Reading {
  const found = signals(text);
  const yes = firstOf({
    "yes.word": found.yesWord,
    "yes.phrase": found.yesPhrase,
    "yes.emoji": found.yesEmoji,
  });
  const no = firstOf({ "no.word": found.noWord, "no.negation": found.noNegation, "no.emoji": found.noEmoji });
  if (yes && no) return { classification: "other", rule: "other.mixed" };
  if (yes) return { classification: "yes", rule: yes };
  if (no) return { classification: "no", rule: no };
  return { classification: "other", rule: "other.unknown" };
}

/**
 * Reads a reply as a recruiter would, and says which rule decided. Only a clear yes or a clear no
 * counts; a condition, a question, a "maybe" or both answers at once is "other", for a human to read.
 * Measured on core/delivery/replies-corpus.json (replies-corpus.test.ts).
 */
export function classifyReply(body: string): Reading {
  let text = words(body);
  if (!text) return { classification: "other", rule: "other.empty" };
  if (body.includes("?") || text.search(asking) >= 0)
    return { classification: "other", rule: "other.question" };
  if (text.split(" ").length > longReply) return { classification: "other", rule: "other.long" };
  if (text === "o" || text === "y") return { classification: "yes", rule: "yes.word" };
  if (text === "n") return { classification: "no", rule: "no.word" };
  // "Merci mais non" is a no; "oui mais pas avant 10h" is an answer with a condition.
  const joint = text.match(but);
  if (joint?.index !== undefined) {
    if (polarity(text.slice(0, joint.index)).classification !== "other")
      return { classification: "other", rule: "other.conditional" };
    text = text.slice(joint.index + joint[0].length).trim();
  }
  if (text.search(condition) >= 0) return { classification: "other", rule: "other.conditional" };
  if (text.search(hedge) >= 0) return { classification: "other", rule: "other.hedge" };
  return polarity(text);
}

/** The reading alone, for callers that do not keep the rule. */
export function classify(body: string): Classification {
  return classifyReply(body).classification;
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
