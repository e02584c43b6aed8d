/**
 * How many SMS parts a body takes, and in which encoding, as carriers count them:
 * GSM 03.38 (7-bit) fits 160 septets in one part or 153 per part once concatenated (the UDH takes 7);
 * anything outside GSM-7 switches the whole message to UCS-2: 70 UTF-16 units, or 67 per part.
 */

// GSM 03.38 default alphabet (without the escape code 0x1B, which is not a character).
const basic = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
// Extension table: each costs two septets (escape + code).
const extension = new Set("^{}\\[~]|€\f");

/** Values as documented for the event's messageEncoding field. */
export type Encoding = "GSM" | "Unicode";

export type Segments = { encoding: Encoding; parts: number; characters: number };

export function isGsm7(body: string): boolean {
  for (const char of body) if (!basic.has(char) && !extension.has(char)) return false;
  return true;
}

export function countSegments(body: string): Segments {
  if (isGsm7(body)) {
    const septets = [...body].map((char) => (extension.has(char) ? 2 : 1));
    return { encoding: "GSM", parts: pack(septets, 160, 153), characters: septets.length };
  }
  // Code points outside the BMP take two UTF-16 units and must not be split across parts.
  const units = [...body].map((char) => char.length);
  return { encoding: "Unicode", parts: pack(units, 70, 67), characters: units.length };
}

/** Fills parts greedily without splitting a character (escape pair or surrogate pair) across two parts. */
function pack(sizes: number[], single: number, multi: number): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}
