import { unreadable } from "./spreadsheet-error";

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/** Control characters that never appear in a text export; random or binary bytes are full of them. */
function looksBinary(bytes: Buffer): boolean {
  if (bytes.includes(0)) return true;
  const sample = Math.min(bytes.byteLength, 64 * 1024);
  let controls = 0;
  for (let index = 0; index < sample; index++) {
    const byte = bytes[index]!;
    // tab, line feed, vertical tab, form feed, carriage return, and the DOS end-of-file mark are fine
    if (
      byte < 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0b &&
      byte !== 0x0c &&
      byte !== 0x0d &&
      byte !== 0x1a
    ) {
      controls++;
    }
  }
  return controls > sample / 100;
}

/**
 * UTF-8 (BOM or not) and UTF-16 with a BOM are decoded as such; bytes that are not valid UTF-8 are
 * Windows-1252, which is what French Excel writes for "CSV (séparateur: point-virgule)".
 */
export function decodeText(bytes: Buffer): { text: string; encoding: Encoding } {
  const utf16: Encoding | undefined =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? "utf-16le"
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? "utf-16be"
        : undefined;
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes.subarray(2));
    if (text.includes("\u0000")) throw unreadable("binary");
    return { text, encoding: utf16 };
  }
  if (looksBinary(bytes)) throw unreadable("binary");
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return {
      text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body),
      encoding: "utf-8",
    };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(body), encoding: "windows-1252" };
  }
}
