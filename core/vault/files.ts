import { fold } from "../text";

/** What the vault stores: documents people read and print. Anything else is refused before upload. */
export const vaultTypes = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
} as const;
export type VaultContentType = (typeof vaultTypes)[keyof typeof vaultTypes];

export const limits = { bytes: 20 * 1024 * 1024, filesPerBatch: 5000 };

/**
 * The name a file keeps: its last path segment only, without control characters (NUL included) or
 * characters Windows refuses, NFC, at most 150 characters; the extension survives the cut.
 */
export function safeName(typed: string): string {
  const last = typed.split(/[\\/]/).pop() ?? "";
  const cleaned = last
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/[:*?"<>|]/g, "_")
    .replace(/^[.\s]+/, "")
    .trim();
  if (cleaned.length <= 150) return cleaned || "document";
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 6 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 150 - extension.length) + extension;
}

export function contentTypeOf(fileName: string): VaultContentType | undefined {
  const extension = fileName.split(".").pop()?.toLowerCase() ?? "";
  return (vaultTypes as Record<string, VaultContentType>)[extension];
}

export const rules = ["matricule", "name"] as const;
export type Rule = (typeof rules)[number];

export type Candidate = {
  partnerId: string;
  matricule?: string;
  firstName?: string;
  lastName?: string;
  organisation?: string;
  kind: string;
};

const words = (text: string) =>
  fold(text)
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);

/** The partners' matricules and names, folded, for matching thousands of file names at once. */
export function indexOf(partners: Candidate[]) {
  const byMatricule = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, partnerId: string) => {
    if (!key) return;
    const ids = map.get(key) ?? [];
    if (!ids.includes(partnerId)) ids.push(partnerId);
    map.set(key, ids);
  };
  for (const partner of partners) {
    if (partner.matricule) add(byMatricule, words(partner.matricule).join(""), partner.partnerId);
    if (partner.kind === "organisation")
      add(byName, words(partner.organisation ?? "").join(" "), partner.partnerId);
    else {
      const last = words(partner.lastName ?? "").join(" ");
      const first = words(partner.firstName ?? "").join(" ");
      if (last && first) {
        add(byName, `${last} ${first}`, partner.partnerId);
        add(byName, `${first} ${last}`, partner.partnerId);
      } else add(byName, last || first, partner.partnerId);
    }
  }
  return { byMatricule, byName };
}

export type Match =
  | { status: "matched"; partnerId: string }
  | { status: "unmatched" }
  | { status: "ambiguous"; partnerIds: string[] };

/**
 * The partner a file is for, from its name: by matricule, any word of the name equal to a partner's
 * matricule (`0042_bulletin_2026-11.pdf`); by name, the words `NOM_Prénom` or `Prénom NOM` (accents, case
 * and separators ignored). Two partners found is ambiguous: nothing is guessed.
 */
export function match(fileName: string, rule: Rule, index: ReturnType<typeof indexOf>): Match {
  const base = fileName.replace(/\.[a-z0-9]{1,5}$/i, "");
  const tokens = words(base);
  const found = new Set<string>();
  if (rule === "matricule") {
    for (const token of tokens) for (const id of index.byMatricule.get(token) ?? []) found.add(id);
  } else {
    for (let size = 4; size >= 1 && found.size === 0; size--)
      for (let start = 0; start + size <= tokens.length; start++)
        for (const id of index.byName.get(tokens.slice(start, start + size).join(" ")) ?? []) found.add(id);
  }
  if (found.size === 1) return { status: "matched", partnerId: [...found][0]! };
  if (found.size === 0) return { status: "unmatched" };
  return { status: "ambiguous", partnerIds: [...found] };
}
