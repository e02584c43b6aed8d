import { StringDecoder } from "node:string_decoder";

/**
 * Just enough XML for the parts of an .xlsx we read (sheet, shared strings, styles): tags, attributes,
 * text and the five entities plus character references. A general parser (exceljs uses saxes) builds an
 * event object per tag and per attribute; over a 50,000-row sheet that was most of an import's parsing time.
 */

const xmlEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Entities and character references as an XML parser resolves them. */
export function decodeXml(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return xmlEntities[name] ?? whole;
  });
}

export type XmlEvents = {
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
};

/**
 * Tags and text, in order, of XML arriving in chunks: a chunk is read up to its last "<" and the rest
 * carried into the next, so a tag is never seen cut in two (text may be, and callers append it).
 * Declarations, comments and processing instructions are skipped; CDATA is text. Yields after each chunk,
 * so that a caller can hand out what the chunk produced before the next one is inflated.
 */
export async function* scanXml(chunks: AsyncIterable<Buffer>, events: XmlEvents): AsyncGenerator<void> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  for await (const chunk of chunks) {
    const text = carry + decoder.write(chunk);
    const end = text.lastIndexOf("<");
    if (end <= 0) {
      carry = text;
      continue;
    }
    carry = text.slice(scan(text, end, events));
    yield;
  }
  const rest = carry + decoder.end();
  scan(rest, rest.length, events);
  yield;
}

/** The whole of a part, for parts only needed once read (shared strings). */
async function scanAll(chunks: AsyncIterable<Buffer>, events: XmlEvents) {
  for await (const _ of scanXml(chunks, events));
}

/**
 * A copy of a piece of a chunk. V8 makes a slice of 13 characters or more a view that keeps the whole
 * chunk alive: an import keeps every row's email (in-file duplicate check), which kept every 64 KB chunk
 * of the sheet, i.e. the whole decoded sheet, in memory until the end.
 */
const detached = (piece: string) => (piece.length < 13 ? piece : ` ${piece}`.slice(1));

const isBlank = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * Hand-rolled rather than one regex with alternatives: this loop is the reader's hot path. Returns where
 * it stopped: `end`, or later after a CDATA section or comment running past it, or earlier at one whose
 * end has not arrived yet.
 */
function scan(text: string, end: number, events: XmlEvents): number {
  let at = 0;
  while (at < end) {
    const open = text.indexOf("<", at);
    const stop = open === -1 || open > end ? end : open;
    if (stop > at) events.text(detached(decodeXml(text.slice(at, stop))));
    if (stop >= end) return end;
    const next = text.charCodeAt(open + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith("<![CDATA[", open)) {
        const close = text.indexOf("]]>", open);
        if (close === -1) return open;
        events.text(text.slice(open + 9, close));
        at = close + 3;
      } else {
        const close = text.startsWith("<!--", open) ? text.indexOf("-->", open) + 2 : text.indexOf(">", open);
        if (close < open) return open;
        at = close + 1;
      }
      continue;
    }
    const close = text.indexOf(">", open);
    if (close === -1) return open;
    at = close + 1;
    if (next === 0x3f /* ? */) continue;
    if (next === 0x2f /* / */) {
      events.close(text.slice(open + 2, close).trim());
      continue;
    }
    const selfClosing = text.charCodeAt(close - 1) === 0x2f;
    const tagEnd = selfClosing ? close - 1 : close;
    let nameEnd = open + 1;
    while (nameEnd < tagEnd && !isBlank(text.charCodeAt(nameEnd))) nameEnd++;
    const name = text.slice(open + 1, nameEnd);
    events.open(name, text.slice(nameEnd, tagEnd), selfClosing);
    if (selfClosing) events.close(name);
  }
  return at;
}

const spacedEquals = /\s=|=\s/;

/** One attribute's value from a tag's attribute text, whatever its quotes; undefined when absent. */
export function attribute(attributes: string, name: string): string | undefined {
  let at = attributes.indexOf(`${name}=`);
  while (at !== -1) {
    const before = attributes.charCodeAt(at - 1);
    // A whole attribute name: preceded by blank (or starting the text), not e.g. the end of "ref=".
    if (at === 0 || before === 0x20 || before === 0x09 || before === 0x0a || before === 0x0d) {
      const quote = attributes[at + name.length + 1];
      if (quote === '"' || quote === "'") {
        const start = at + name.length + 2;
        const close = attributes.indexOf(quote, start);
        if (close !== -1) return decodeXml(attributes.slice(start, close));
      }
    }
    at = attributes.indexOf(`${name}=`, at + 1);
  }
  // Spaces around "=" are legal and rare: the slow way, only then.
  if (!spacedEquals.test(attributes)) return undefined;
  const spaced = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return spaced ? decodeXml(spaced[1] ?? spaced[2] ?? "") : undefined;
}

/** Local name of a possibly prefixed element name ("x:row" → "row"). */
const localName = (name: string) => {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
};

/**
 * The shared strings, in order: the text of each <si>'s <t> elements (rich text runs joined), leaving out
 * phonetic readings (<rPh>), as Excel shows the cell.
 */
export async function readSharedStrings(chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  await scanAll(chunks, {
    open(name, _attributes, selfClosing) {
      const local = localName(name);
      if (local === "si") current = "";
      else if (local === "rPh" && !selfClosing) phonetic++;
      else if (local === "t" && phonetic === 0) inText = !selfClosing;
    },
    close(name) {
      const local = localName(name);
      if (local === "t") inText = false;
      else if (local === "rPh") phonetic = Math.max(0, phonetic - 1);
      else if (local === "si" && current !== undefined) {
        strings.push(current);
        current = undefined;
      }
    },
    text(text) {
      if (inText && current !== undefined) current += text;
    },
  });
  return strings;
}

/** Excel's built-in number formats, by id (the same table exceljs uses); custom ones start at 164. */
const builtInFormats: Record<number, string> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "mm-dd-yy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: 'm/d/yy "h":mm',
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00 ;(#,##0.00)",
  40: "#,##0.00 ;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
};

/** The number format of each cell style (index into <cellXfs>), undefined for style 0 and "General" ids. */
export function readNumberFormats(stylesXml: string): Array<string | undefined> {
  const custom = new Map<number, string>();
  for (const match of stylesXml.matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)>/g)) {
    const id = Number.parseInt(attribute(match[1]!, "numFmtId") ?? "", 10);
    const code = attribute(match[1]!, "formatCode");
    if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
  }
  const cellXfs =
    /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs>/.exec(stylesXml)?.[1] ?? "";
  const formats: Array<string | undefined> = [];
  for (const match of cellXfs.matchAll(/<(?:[\w.-]+:)?xf\b([^>]*)>/g)) {
    const id = Number.parseInt(attribute(match[1]!, "numFmtId") ?? "", 10);
    formats.push(id ? (custom.get(id) ?? builtInFormats[id]) : undefined);
  }
  return formats;
}

/** Whether a plain number cell is a date: exceljs's rule (date letters outside quotes and brackets). */
export function isDateStyle(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}
