import { passwordProtected, SpreadsheetError, unreadable, unsupportedFormat } from "./spreadsheet-error";

export type Container = "zip" | "text";

const startsWith = (bytes: Buffer, ...magic: number[]) => magic.every((byte, index) => bytes[index] === byte);

/** Password-protected .xlsx files are OLE containers holding these streams instead of a zip. */
const encryptedPackage = Buffer.from("EncryptedPackage", "utf16le");

/**
 * Decides from the first bytes what the upload really is; the extension lies too often (HTML tables and
 * tab-separated text saved as ".xls" by ATS exports, CSV named ".xlsx").
 */
export function sniffContainer(bytes: Buffer): Container {
  if (bytes.byteLength === 0) {
    throw new SpreadsheetError("spreadsheet.empty", "The file is empty.");
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return "zip";
  if (startsWith(bytes, 0x50, 0x4b, 0x05, 0x06)) throw unreadable("empty_zip");
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    if (bytes.includes(encryptedPackage)) throw passwordProtected();
    throw unsupportedFormat("an Excel 97-2003 workbook (.xls)");
  }
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) throw unsupportedFormat("a PDF document");
  if (
    startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) ||
    startsWith(bytes, 0xff, 0xd8, 0xff) ||
    startsWith(bytes, 0x47, 0x49, 0x46)
  ) {
    throw unsupportedFormat("an image");
  }
  if (
    startsWith(bytes, 0x1f, 0x8b) ||
    startsWith(bytes, 0x52, 0x61, 0x72, 0x21) ||
    startsWith(bytes, 0x37, 0x7a, 0xbc, 0xaf)
  ) {
    throw unsupportedFormat("a compressed archive");
  }
  if (startsWith(bytes, 0x7b, 0x5c, 0x72, 0x74, 0x66)) throw unsupportedFormat("a Word (RTF) document");
  return "text";
}

/** Text formats that are not delimited text, recognised from the first characters. */
export function rejectMarkup(text: string): void {
  const head = text.slice(0, 4096).trimStart().toLowerCase();
  if (!head.startsWith("<")) return;
  if (head.startsWith("<?xml") && head.includes("urn:schemas-microsoft-com:office:spreadsheet")) {
    throw unsupportedFormat("an Excel 2003 XML spreadsheet");
  }
  if (/^<(!doctype html|html|table|meta|head|body)\b/.test(head) || head.includes("<html")) {
    throw unsupportedFormat("a web page (HTML) saved with a spreadsheet name");
  }
  if (head.startsWith("<?xml")) throw unsupportedFormat("an XML file");
}
