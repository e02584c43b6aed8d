import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ChildNode, Document } from "domhandler";
import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { asName, findInText, formatMobile, type ScanNode, scanNode, scanText } from "./scan";

/** A saved sample page as the DOM-shaped tree the content script hands the scanner. */
function sample(name: string): ScanNode {
  const html = readFileSync(resolve(import.meta.dirname, "../samples", name), "utf8");
  const convert = (node: Document | ChildNode): ScanNode => {
    if (node.type === "text") return { nodeType: 3, nodeName: "#text", nodeValue: node.data, childNodes: [] };
    if (node.type === "root")
      return { nodeType: 9, nodeName: "#document", nodeValue: null, childNodes: node.children.map(convert) };
    if (node.type === "tag" || node.type === "script" || node.type === "style") {
      return {
        nodeType: 1,
        nodeName: node.name.toUpperCase(),
        nodeValue: null,
        childNodes: node.children.map(convert),
        getAttribute: (attribute) => node.attribs[attribute] ?? null,
      };
    }
    return { nodeType: 8, nodeName: "#comment", nodeValue: null, childNodes: [] };
  };
  return convert(parseDocument(html));
}

describe("the page scanner", () => {
  it("reads a candidate table: one person a row, named by the row, landlines left out", () => {
    expect(scanNode(sample("candidate-table.html"))).toEqual([
      { name: "Marie Dupont", mobile: "+33612345678", email: "marie.dupont@example.fr" },
      { name: "MARTIN Jean-Luc", mobile: "+33781436587" },
      { name: "Sophie Bernard", mobile: "+33655443322", email: "s.bernard@example.com" },
      { name: "Paul Lefèvre", email: "paul.lefevre@example.org" },
    ]);
  });

  it("reads contact cards, without the civility, and a footer address without a name", () => {
    expect(scanNode(sample("contact-card.html"))).toEqual([
      { name: "Léa Moreau", mobile: "+33781920314", email: "lea.moreau@example.fr" },
      { name: "Karim Benali", mobile: "+262692123456" },
      { name: undefined, email: "support@ats.example" },
    ]);
  });

  it("reads free text in every French format, overseas included, with the name before each number", () => {
    const found = scanNode(sample("free-text.html"));
    expect(found).toEqual([
      { name: "Julie Petit", mobile: "+33611223344" },
      { name: "Thomas Roux", mobile: "+33622334455" },
      { name: "Nadia Haddad", mobile: "+33733445566" },
      { name: undefined, mobile: "+33644556677" },
      { name: "Lucas Garnier", mobile: "+33655667788" },
      { name: "Maëlle Jean-Baptiste", mobile: "+590690112233" },
      { name: "Hugo Laurent", mobile: "+596696223344" },
      { name: "Inès Robert", mobile: "+594694334455" },
      { name: undefined, mobile: "+262692445566" },
      { name: "Ali Saïd", mobile: "+262639556677" },
      { name: "Said Ahmed", mobile: "+2693212345" },
    ]);
  });

  it("finds nothing on a page without a number or an email", () => {
    expect(scanNode(sample("no-number.html"))).toEqual([]);
  });

  it("splits numbers written one after the other", () => {
    expect(findInText("06 12 34 56 78 07 61 22 33 44").map((hit) => hit.value)).toEqual([
      "+33612345678",
      "+33761223344",
    ]);
  });

  it("reads a selection: names just before the numbers", () => {
    expect(
      scanText("Candidats retenus : Emma Girard 06 98 76 54 32, Noah Mercier (0033 7 52 34 56 78)"),
    ).toEqual([
      { name: "Emma Girard", mobile: "+33698765432" },
      { name: "Noah Mercier", mobile: "+33752345678" },
    ]);
  });

  it("tells names from labels", () => {
    expect(asName("Jean-Pierre de La Fontaine")).toBe("Jean-Pierre de La Fontaine");
    expect(asName("Téléphone Portable")).toBeUndefined();
    expect(asName("Nouveau")).toBeUndefined();
  });

  it("shows French mobiles as 06 12 34 56 78 and others internationally", () => {
    expect(formatMobile("+33612345678")).toBe("06 12 34 56 78");
    expect(formatMobile("+262692123456")).toBe("+262 692 12 34 56");
  });
});
