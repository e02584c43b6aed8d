/**
 * French number plates as garages type them. SIV (since 2009) is shown AB-123-CD; FNI (before 2009)
 * 123 ABC 75, and such plates are still on the road.
 */
export type PlateResult =
  | { ok: true; plate: string; format: "SIV" | "FNI" }
  | { ok: false; code: "plate.invalid"; message: string };

const expected = "attendu AB-123-CD (ou l'ancien format 123 ABC 75)";

const invalid = (detail: string): PlateResult => ({
  ok: false,
  code: "plate.invalid",
  message: `Immatriculation invalide : ${detail}`,
});

const siv = /^([A-Z]{2})(\d{3})([A-Z]{2})$/;
// The département is whatever follows the letters; it is checked apart to name it in the message.
const fni = /^(\d{1,4})([A-Z]{1,3})(\d{2,3}|2[AB])$/;

function departementError(departement: string) {
  if (departement === "20") return "le département 20 s'écrit 2A ou 2B";
  if (/^2[AB]$/.test(departement)) return undefined;
  const number = Number(departement);
  if (departement.length === 2 && number >= 1 && number <= 95) return undefined;
  if (departement.length === 3 && number >= 971 && number <= 976) return undefined;
  return `département ${departement} inconnu (01 à 95, 2A, 2B ou 971 à 976)`;
}

export function parsePlate(text: string): PlateResult {
  // Spaces of any kind (\s covers no-break ones from a copied cell) and dashes are only presentation.
  const compact = text.replace(/[\s\u2010-\u2015-]/g, "").toUpperCase();
  if (compact === "") return invalid(`immatriculation vide, ${expected}`);

  const modern = siv.exec(compact);
  if (modern) {
    const [, first = "", digits = "", last = ""] = modern;
    if (/[IOU]/.test(first + last)) {
      return invalid("les lettres I, O et U ne sont pas utilisées (confusion avec 1, 0 et V)");
    }
    if (first === "SS" || last === "SS") return invalid("SS n'est utilisé ni au début ni à la fin");
    if (first === "WW") return invalid("WW est une immatriculation provisoire, saisissez la définitive");
    if (digits === "000") return invalid("le numéro 000 n'est pas utilisé");
    return { ok: true, plate: `${first}-${digits}-${last}`, format: "SIV" };
  }

  const old = fni.exec(compact);
  if (old) {
    const [, digits = "", letters = "", departement = ""] = old;
    const error = departementError(departement);
    if (error) return invalid(error);
    return { ok: true, plate: `${digits} ${letters} ${departement}`, format: "FNI" };
  }

  return invalid(expected);
}
