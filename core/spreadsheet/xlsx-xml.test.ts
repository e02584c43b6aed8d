import { describe, expect, it } from "vitest";
import { attribute, isDateStyle, readNumberFormats, readSharedStrings, scanXml } from "./xlsx-xml";

/** The text cut into pieces of `size` bytes, as an inflater hands it over. */
async function* pieces(text: string, size: number) {
  const bytes = Buffer.from(text, "utf8");
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("The .xlsx XML scanner", () => {
  it("sees the same tags and text whatever the chunk boundaries, accents included", async () => {
    const xml =
      '<?xml version="1.0"?><!-- note --><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>Hélène &amp; Zoé</t></is></c><c r=\'B2\'/><c><v><![CDATA[a<b]]></v></c></row></sheetData>';
    const seen = async (size: number) => {
      const events: string[] = [];
      let text = "";
      const flush = () => {
        if (text) events.push(`text:${text}`);
        text = "";
      };
      for await (const _ of scanXml(pieces(xml, size), {
        open: (name, attributes) => {
          flush();
          events.push(`<${name}${attributes}>`);
        },
        close: (name) => {
          flush();
          events.push(`</${name}>`);
        },
        text: (piece) => {
          text += piece;
        },
      }));
      return events;
    };
    const whole = await seen(1_000_000);
    expect(whole).toContain("text:Hélène & Zoé");
    expect(whole).toContain("text:a<b");
    for (const size of [1, 2, 3, 7, 64]) expect(await seen(size)).toEqual(whole);
  });

  it("joins rich text runs of a shared string and leaves out phonetic readings", async () => {
    const xml =
      '<sst><si><t>Jean</t></si><si><r><t>Jean-</t></r><r><rPr><b/></rPr><t xml:space="preserve">Pierre</t></r></si><si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si><si><t/></si></sst>';
    expect(await readSharedStrings(pieces(xml, 5))).toEqual(["Jean", "Jean-Pierre", "東京", ""]);
  });

  it("reads attributes in either quotes, with spaces around the equals sign", () => {
    expect(attribute(' r="A1" s="3" t="s"', "s")).toBe("3");
    expect(attribute(" r='B2'", "r")).toBe("B2");
    expect(attribute(' ref="A1" r = "C3"', "r")).toBe("C3");
    expect(attribute(' ref="A1"', "r")).toBeUndefined();
  });

  it("knows the number format of each cell style, built-in or custom", () => {
    const styles =
      '<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="49"/></cellXfs></styleSheet>';
    const formats = readNumberFormats(styles);
    expect(formats).toEqual([undefined, "dd/mm/yyyy", "mm-dd-yy", "@"]);
    expect(formats.map(isDateStyle)).toEqual([false, true, true, false]);
  });
});
