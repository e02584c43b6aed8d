import type { ScanNode } from "./scan";

/**
 * The page as the content script hands it to the panel: elements (tag, class, role) and their text,
 * nothing else. The scan itself runs in the panel, so the script every page loads stays a few lines,
 * without the phone metadata.
 */
export type PlainNode = { tag: string; cls?: string; role?: string; kids: (PlainNode | string)[] };

const skipped = new Set([
  "SCRIPT",
  "STYLE",
  "NOSCRIPT",
  "TEMPLATE",
  "SVG",
  "TEXTAREA",
  "INPUT",
  "SELECT",
  "IFRAME",
]);

export function plainOf(element: Element): PlainNode {
  const kids: (PlainNode | string)[] = [];
  for (const child of element.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      if (child.nodeValue?.trim()) kids.push(child.nodeValue);
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const tag = (child as Element).tagName.toUpperCase();
      if (!skipped.has(tag) && tag !== "RELAIS-EXTENSION-BUTTON") kids.push(plainOf(child as Element));
    }
  }
  return {
    tag: element.tagName.toUpperCase(),
    cls: element.getAttribute("class") ?? undefined,
    role: element.getAttribute("role") ?? undefined,
    kids,
  };
}

export function scanNodeOf(plain: PlainNode | string): ScanNode {
  if (typeof plain === "string") return { nodeType: 3, nodeName: "#text", nodeValue: plain, childNodes: [] };
  return {
    nodeType: 1,
    nodeName: plain.tag,
    nodeValue: null,
    childNodes: plain.kids.map(scanNodeOf),
    getAttribute: (name) =>
      name === "class" ? (plain.cls ?? null) : name === "role" ? (plain.role ?? null) : null,
  };
}
