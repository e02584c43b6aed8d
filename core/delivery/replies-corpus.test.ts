import { describe, expect, it } from "vitest";
import { type Classification, classifyReply } from "./classify";
import corpus from "./replies-corpus.json";

type Example = { text: string; expected: Classification; lang: "fr" | "en" };
const examples = corpus as Example[];

/**
 * The two figures that matter to a recruiter: what is classed yes or no must be right (a wrong "oui"
 * books the wrong person), and most clear answers must be found (each one missed is read by hand).
 */
function measure(list: Example[]) {
  const read = list.map((example) => ({ ...example, ...classifyReply(example.text) }));
  const decided = read.filter((one) => one.classification !== "other");
  const clear = read.filter((one) => one.expected !== "other");
  return {
    precision: decided.filter((one) => one.classification === one.expected).length / decided.length,
    recall: clear.filter((one) => one.classification === one.expected).length / clear.length,
    wrong: read.filter((one) => one.classification !== one.expected),
  };
}

describe("reply corpus", () => {
  it("holds at least 300 labelled replies, a quarter of them neither yes nor no", () => {
    expect(examples.length).toBeGreaterThanOrEqual(300);
    expect(new Set(examples.map((one) => one.text)).size).toBe(examples.length);
    expect(
      examples.filter((one) => one.expected === "other").length / examples.length,
    ).toBeGreaterThanOrEqual(0.25);
  });

  it("classes yes/no with at least 98 % precision and finds at least 90 % of the clear answers", () => {
    const { precision, recall, wrong } = measure(examples);
    console.log(
      `replies corpus: ${examples.length} replies, precision ${(precision * 100).toFixed(1)} %, recall ${(recall * 100).toFixed(1)} %`,
    );
    for (const one of wrong)
      console.log(
        `  ${one.lang} ${JSON.stringify(one.text)}: expected ${one.expected}, read ${one.classification} (${one.rule})`,
      );
    expect(precision).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it("reads the replies quoted in the issue as clear answers", () => {
    const quoted = ["Ok pour moi", "Oui ça marche", "Oui je prends", "Je serai là", "Oui dispo demain"];
    for (const text of quoted) expect(classifyReply(text).classification, text).toBe("yes");
    const refused = ["Non je ne peux pas", "Pas dispo cette semaine", "Malheureusement non"];
    for (const text of refused) expect(classifyReply(text).classification, text).toBe("no");
  });
});
