import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { CellSpanMeter } from "./cell-span";
import { maxCellSlots, maxSharedStringsBytes, type ResolvedLimits } from "./limits";
import { SpreadsheetError, unreadable, unsupportedFormat, zipBomb } from "./spreadsheet-error";
import { decodeXml, readNumberFormats, readSharedStrings } from "./xlsx-xml";
import { compressedBytes, inflateEntry, readZipDirectory, type ZipEntry } from "./zip-directory";

/**
 * The parts of an .xlsx that the reader needs, checked before anything is read: the first visible sheet,
 * its shared strings and the cell styles (they say which numbers are dates). Images, other sheets and
 * everything else are never inflated.
 */
export type XlsxPackage = {
  sheetName: string;
  date1904: boolean;
  /** The sheet's XML as it is inflated, a fresh stream each time it is called. */
  sheet: () => AsyncIterable<Buffer>;
  /** Shared strings by index (held in memory for the whole read, as Excel's own readers do). */
  sharedStrings: () => Promise<string[]>;
  /** Number format by cell style index. */
  numberFormats: () => Promise<Array<string | undefined>>;
};

const maxPackagePartBytes = 16 * 1024 * 1024;

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
  if (sharedStrings) await inflateEntry(zip, sharedStrings, false);
  const span = new CellSpanMeter();
  const tooSparse = () =>
    new SpreadsheetError("spreadsheet.too_large", "The sheet spreads over too many columns to be read.", {
      reason: "cell_span",
    });
  await inflateEntry(zip, sheet.entry, false, (chunk) => {
    span.feed(chunk);
    if (span.slots > maxCellSlots) throw tooSparse();
  });
  if (span.finish() > maxCellSlots) throw tooSparse();

  const workbookPr = elements(workbookXml, "workbookPr")[0];
  const date1904 = workbookPr?.get("date1904") === "1" || workbookPr?.get("date1904") === "true";

  const inflated = (entry: ZipEntry): AsyncIterable<Buffer> => {
    const compressed = Readable.from([compressedBytes(zip, entry)]);
    return entry.method === 0 ? compressed : compressed.pipe(createInflateRaw({ chunkSize: 64 * 1024 }));
  };
  return {
    sheetName: sheet.name,
    date1904,
    sheet: () => inflated(sheet.entry),
    sharedStrings: async () => (sharedStrings ? readSharedStrings(inflated(sharedStrings)) : []),
    numberFormats: async () => (styles ? readNumberFormats(await text(styles)) : []),
  };
}
