import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { crc32, createInflateRaw } from "node:zlib";
import { CellSpanMeter } from "./cell-span";
import { maxCellSlots, maxSharedStringsBytes, type ResolvedLimits } from "./limits";
import { SpreadsheetError, unreadable, unsupportedFormat, zipBomb } from "./spreadsheet-error";
import {
  compressedBytes,
  endOfArchive,
  inflateEntry,
  localHeader,
  readZipDirectory,
  type ZipEntry,
} from "./zip-directory";

/**
 * The parts of an .xlsx that the reader needs, checked and put in the order exceljs's streaming reader
 * wants. exceljs reads the zip front to back; when a sheet comes before the shared strings (as Excel
 * writes it) it spools the sheet to a temp file that is never removed if reading stops early, and it only
 * knows which cells are dates if the styles came first. Feeding it rels, workbook, styles, shared strings,
 * then the one sheet we want avoids both, and skips images and other sheets entirely.
 */
export type XlsxPackage = {
  sheetName: string;
  date1904: boolean;
  /** A fresh stream over the selected parts each time it is called. */
  stream: () => Readable;
};

const maxPackagePartBytes = 16 * 1024 * 1024;

const emptySharedStrings = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

const xmlEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return xmlEntities[name] ?? whole;
  });
}

/** Attributes of every element with this local name, whatever its namespace prefix. */
function elements(xml: string, localName: string): Array<Map<string, string>> {
  const found: Array<Map<string, string>> = [];
  const tag = new RegExp(`<(?:[\\w.-]+:)?${localName}\\b([^>]*)>`, "g");
  for (const match of xml.matchAll(tag)) {
    const attributes = new Map<string, string>();
    for (const attribute of (match[1] ?? "").matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes.set(attribute[1]!, decodeXml(attribute[2] ?? attribute[3] ?? ""));
    }
    found.push(attributes);
  }
  return found;
}

/** The relationship id of a <sheet>: "r:id", whatever the prefix is called. */
function relationshipId(attributes: Map<string, string>): string | undefined {
  for (const [name, value] of attributes) {
    if (/^[\w.-]+:id$/.test(name)) return value;
  }
  return undefined;
}

function resolvePart(baseDirectory: string, target: string): string {
  const path = target.startsWith("/") ? target.slice(1) : `${baseDirectory}${target}`;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment && segment !== ".") segments.push(segment);
  }
  return segments.join("/");
}

type Relationship = { id: string; type: string; part: string };

function relationships(xml: string, baseDirectory: string): Relationship[] {
  return elements(xml, "Relationship")
    .filter((attributes) => attributes.get("TargetMode") !== "External")
    .map((attributes) => ({
      id: attributes.get("Id") ?? "",
      type: attributes.get("Type") ?? "",
      part: resolvePart(baseDirectory, attributes.get("Target") ?? ""),
    }));
}

/** What a zip that is not an .xlsx most likely is, for the message. */
function describeOtherZip(has: (name: string) => boolean): string {
  if (has("xl/workbook.bin")) return "an Excel binary workbook (.xlsb)";
  if (has("mimetype") || has("content.xml")) return "an OpenDocument file (.ods)";
  if (has("word/document.xml")) return "a Word document";
  if (has("ppt/presentation.xml")) return "a PowerPoint presentation";
  if (has("index/document.iwa") || has("index.xml")) return "an Apple Numbers file";
  return "a zip archive";
}

export async function openXlsxPackage(zip: Buffer, limits: ResolvedLimits): Promise<XlsxPackage> {
  const entries = readZipDirectory(zip, limits);
  // Part names in an Office package are case-insensitive.
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) byName.set(entry.name.toLowerCase(), entry);
  const find = (name: string) => byName.get(name.toLowerCase());
  const text = async (entry: ZipEntry) => {
    // Parts we parse ourselves are held whole; real ones are kilobytes.
    if (entry.size > maxPackagePartBytes) throw zipBomb("oversized_part");
    return (await inflateEntry(zip, entry, true))!.toString("utf8");
  };

  const packageRels = find("_rels/.rels");
  const officeDocument = packageRels
    ? relationships(await text(packageRels), "").find((rel) => rel.type.endsWith("/officeDocument"))?.part
    : undefined;
  const workbookName = officeDocument ?? "xl/workbook.xml";
  const workbook = find(workbookName);
  if (!workbook || !workbookName.toLowerCase().endsWith(".xml")) {
    throw unsupportedFormat(describeOtherZip((name) => byName.has(name)));
  }
  const slash = workbookName.lastIndexOf("/");
  const workbookDirectory = workbookName.slice(0, slash + 1);
  const workbookRels = find(`${workbookDirectory}_rels/${workbookName.slice(slash + 1)}.rels`);
  if (!workbookRels) throw unreadable("missing_workbook_rels");

  const workbookXml = await text(workbook);
  const rels = relationships(await text(workbookRels), workbookDirectory);
  const relById = new Map(rels.map((rel) => [rel.id, rel]));

  const sheets = elements(workbookXml, "sheet").flatMap((attributes) => {
    const rel = relById.get(relationshipId(attributes) ?? "");
    if (!rel?.type.endsWith("/worksheet")) return [];
    const entry = find(rel.part);
    if (!entry) return [];
    const state = attributes.get("state");
    return [
      { name: attributes.get("name") ?? "", entry, visible: state !== "hidden" && state !== "veryHidden" },
    ];
  });
  // The first sheet the user sees when opening the file.
  const sheet = sheets.find((candidate) => candidate.visible) ?? sheets[0];
  if (!sheet) throw new SpreadsheetError("spreadsheet.empty", "The workbook has no worksheet.");

  const partOfType = (suffix: string) => {
    const part = rels.find((rel) => rel.type.endsWith(suffix))?.part;
    return part ? find(part) : undefined;
  };
  const styles = partOfType("/styles");
  const sharedStrings = partOfType("/sharedStrings");
  // exceljs holds the shared strings in memory for the whole read.
  if (sharedStrings && sharedStrings.size > maxSharedStringsBytes) throw zipBomb("oversized_part");

  // Checks the actual inflated size of everything exceljs will inflate, before it does.
  if (styles) await inflateEntry(zip, styles, false);
  let sharedStringsAscii = true;
  if (sharedStrings) {
    await inflateEntry(zip, sharedStrings, false, (chunk) => {
      sharedStringsAscii &&= isAscii(chunk);
    });
  }
  const span = new CellSpanMeter();
  const tooSparse = () =>
    new SpreadsheetError("spreadsheet.too_large", "The sheet spreads over too many columns to be read.", {
      reason: "cell_span",
    });
  let sheetAscii = true;
  await inflateEntry(zip, sheet.entry, false, (chunk) => {
    sheetAscii &&= isAscii(chunk);
    span.feed(chunk);
    if (span.slots > maxCellSlots) throw tooSparse();
  });
  if (span.finish() > maxCellSlots) throw tooSparse();

  const workbookPr = elements(workbookXml, "workbookPr")[0];
  const date1904 = workbookPr?.get("date1904") === "1" || workbookPr?.get("date1904") === "true";

  const raw = (name: string, entry: ZipEntry) => [localHeader(name, entry), compressedBytes(zip, entry)];
  // exceljs decodes each inflated chunk on its own, so a character cut in two by a chunk boundary comes
  // out as "��" (Hélène → H��lène). Parts holding non-ASCII text are handed over as ASCII, every other
  // character written as an XML character reference, stored rather than deflated again; streamed twice
  // (once to size and checksum it for the header, once for exceljs) so it is never held whole.
  const ascii = async (name: string, entry: ZipEntry, isAsciiAlready: boolean): Promise<Part[]> => {
    if (isAsciiAlready) return raw(name, entry);
    let size = 0;
    let crc = 0;
    for await (const chunk of escapedXml(zip, entry)) {
      size += chunk.length;
      crc = crc32(chunk, crc);
    }
    return [localHeader(name, { method: 0, crc, compressedSize: size, size }), () => escapedXml(zip, entry)];
  };
  const parts: Part[] = [
    ...raw("xl/_rels/workbook.xml.rels", workbookRels),
    ...raw("xl/workbook.xml", workbook),
    ...(styles ? raw("xl/styles.xml", styles) : []),
    ...(sharedStrings
      ? await ascii("xl/sharedStrings.xml", sharedStrings, sharedStringsAscii)
      : [
          localHeader("xl/sharedStrings.xml", {
            method: 0,
            crc: crc32(emptySharedStrings),
            compressedSize: emptySharedStrings.length,
            size: emptySharedStrings.length,
          }),
          emptySharedStrings,
        ]),
    ...(await ascii("xl/worksheets/sheet1.xml", sheet.entry, sheetAscii)),
    endOfArchive(),
  ];
  return {
    sheetName: sheet.name,
    date1904,
    stream: () => Readable.from(flatten(parts), { objectMode: false }),
  };
}

function isAscii(bytes: Buffer) {
  for (let index = 0; index < bytes.length; index++) if (bytes[index]! >= 0x80) return false;
  return true;
}

/** A part is bytes, or bytes produced again on demand. */
type Part = Buffer | (() => AsyncIterable<Buffer>);

async function* flatten(parts: Part[]) {
  for (const part of parts) {
    if (Buffer.isBuffer(part)) yield part;
    else yield* part();
  }
}

async function* escapedXml(zip: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  const compressed = Readable.from([compressedBytes(zip, entry)]);
  const source =
    entry.method === 0 ? compressed : compressed.pipe(createInflateRaw({ chunkSize: 64 * 1024 }));
  const decoder = new StringDecoder("utf8");
  const toAscii = (text: string) =>
    Buffer.from(
      text.replace(/[\u0080-\u{10ffff}]/gu, (char) => `&#${char.codePointAt(0)};`),
      "latin1",
    );
  for await (const chunk of source) yield toAscii(decoder.write(chunk as Buffer));
  const tail = decoder.end();
  if (tail) yield toAscii(tail);
}
