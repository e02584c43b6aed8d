import type { ContentType } from "./attachment.types";

/**
 * Does a file's start match the type it was declared with? The browser's claim and the name are the
 * uploader's word; the first bytes are not. A small table of magic numbers (no maintained library in
 * node_modules does this), refusing executables whatever the claim.
 */
export const headBytes = 512;

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const startsWith = (bytes: Uint8Array, magic: number[], offset = 0) =>
  magic.every((byte, index) => bytes[offset + index] === byte);

const executables: number[][] = [
  ascii("MZ"), // Windows PE (.exe, .dll, .scr)
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O, both word sizes and byte orders
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal (and Java classes)
  ascii("#!"), // scripts
];

const zip = [0x50, 0x4b, 0x03, 0x04];
const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** OpenDocument files are zips whose first entry, stored, is `mimetype` holding their type. */
const openDocument = (bytes: Uint8Array, type: string) =>
  startsWith(bytes, zip) &&
  new TextDecoder("latin1").decode(bytes.subarray(30, 38 + type.length)) === `mimetype${type}`;

/** Text has no NUL and no control characters other than tab, line breaks and form feed. */
const looksLikeText = (bytes: Uint8Array) =>
  bytes.every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d);

const matchers: Record<ContentType, (bytes: Uint8Array) => boolean> = {
  "application/pdf": (bytes) => startsWith(bytes, ascii("%PDF-")),
  "image/png": (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  "image/gif": (bytes) => startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a")),
  "image/webp": (bytes) => startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8),
  "text/plain": looksLikeText,
  "text/csv": looksLikeText,
  "application/msword": (bytes) => startsWith(bytes, ole),
  "application/vnd.ms-excel": (bytes) => startsWith(bytes, ole),
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (bytes) =>
    startsWith(bytes, zip),
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (bytes) => startsWith(bytes, zip),
  "application/vnd.oasis.opendocument.text": (bytes) =>
    openDocument(bytes, "application/vnd.oasis.opendocument.text"),
  "application/vnd.oasis.opendocument.spreadsheet": (bytes) =>
    openDocument(bytes, "application/vnd.oasis.opendocument.spreadsheet"),
};

/** `executable` whatever the declared type; `mismatch` when the bytes are not of that type. */
export function sniff(head: Uint8Array, contentType: string): "ok" | "executable" | "mismatch" {
  if (executables.some((magic) => startsWith(head, magic))) return "executable";
  const matches = matchers[contentType as ContentType];
  return matches?.(head) ? "ok" : "mismatch";
}

/** Extensions Windows or a mail client would run; refused last, so `facture.pdf.exe` is too. */
const runnable = new Set(
  "exe com scr pif bat cmd msi msp msc js jse vbs vbe wsf wsh ps1 psm1 hta cpl jar lnk reg dll sh app dmg scf inf apk".split(
    " ",
  ),
);

export function runnableName(fileName: string) {
  const extension = /\.([^.]+)$/.exec(fileName.trim().replace(/[.\s]+$/, ""))?.[1]?.toLowerCase();
  return extension !== undefined && runnable.has(extension);
}
