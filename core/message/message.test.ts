import { describe, expect, it } from "vitest";
import { SmsSegments, Variables } from ".";

describe("SmsSegments.count", () => {
  it.each([
    ["", "GSM-7", 0],
    ["a".repeat(160), "GSM-7", 1],
    ["a".repeat(161), "GSM-7", 2],
    ["a".repeat(306), "GSM-7", 2],
    ["a".repeat(307), "GSM-7", 3],
    ["€".repeat(80), "GSM-7", 1],
    ["€".repeat(81), "GSM-7", 2],
    ["ê".repeat(70), "UCS-2", 1],
    ["ê".repeat(71), "UCS-2", 2],
    ["ê".repeat(134), "UCS-2", 2],
    ["ê".repeat(135), "UCS-2", 3],
    ["👍".repeat(35), "UCS-2", 1],
    ["👍".repeat(36), "UCS-2", 2],
  ])("counts %#: %s as %s in %i segment(s)", (text, encoding, segments) => {
    const result = SmsSegments.count(text);
    expect(result.encoding).toBe(encoding);
    expect(result.segments).toBe(segments);
  });

  it("keeps é è ù à ì ò and Ç in GSM-7 but not ç", () => {
    expect(SmsSegments.count("é è ù à ì ò Ç").encoding).toBe("GSM-7");
    expect(SmsSegments.count("garçon")).toMatchObject({ encoding: "UCS-2", unicodeCharacters: ["ç"] });
  });

  it("counts extension characters twice", () => {
    expect(SmsSegments.count("[{€}]").units).toBe(10);
  });

  it("replaces what forces UCS-2 with GSM-7 equivalents", () => {
    const text = "Rendez-vous à côté du dépôt – ça démarre “lundi”… Être prêt !";
    const fixed = SmsSegments.toGsm(text);
    expect(fixed).toBe('Rendez-vous à coté du dépot - ca démarre "lundi"... Etre pret !');
    expect(SmsSegments.count(fixed).encoding).toBe("GSM-7");
  });

  it("finds and removes invisible characters pasted from Word", () => {
    const text = "Bonjour\u00a0Léa\u200b, rdv\u202f9h";
    expect(SmsSegments.findInvisible(text).map((found) => found.name)).toEqual([
      "non-breaking space",
      "zero-width space",
      "narrow non-breaking space",
    ]);
    expect(SmsSegments.removeInvisible(text)).toBe("Bonjour Léa, rdv 9h");
  });
});

describe("Variables", () => {
  const person = { firstName: "Léa", lastName: "Petit", email: "lea@example.fr", mobile: "+33612345678" };

  it("accepts the hand-typed forms of global variables", () => {
    const { text } = Variables.render("%Prénom %prenom % Mobile %NOM %Email%.", person, {});
    expect(text).toBe("Léa Léa 06 12 34 56 78 Petit lea@example.fr.");
  });

  it("detects custom variables and fills them", () => {
    expect(Variables.customNames("RDV le %date% à %heure% au %Lieu%", "%lieu%")).toEqual([
      "date",
      "heure",
      "lieu",
    ]);
    const { text, missing } = Variables.render("RDV %date% à %lieu%", person, { date: "lundi" });
    expect(text).toBe("RDV lundi à ");
    expect(missing).toEqual(["lieu"]);
  });

  it("fills a global the person lacks with its fallback word, or reports it", () => {
    const nobody = { mobile: "+33612345678" };
    expect(Variables.render("Bonjour %Prénom, ok ?", nobody, {})).toMatchObject({
      text: "Bonjour , ok ?",
      emptyGlobals: ["Prénom"],
    });
    expect(Variables.render("Bonjour %Prénom, ok ?", nobody, { "%Prénom": "Madame" })).toMatchObject({
      text: "Bonjour Madame, ok ?",
      emptyGlobals: [],
    });
    expect(Variables.render("Bonjour %Prénom", { firstName: "Léa" }, { "%Prénom": "Madame" }).text).toBe(
      "Bonjour Léa",
    );
  });

  it("leaves a lone percent sign as text", () => {
    const body = "20% de remise, 100 % garanti, 50%% et % lieu%";
    expect(Variables.customNames(body)).toEqual([]);
    expect(Variables.render(body, person, {}).text).toBe(body);
  });

  it("does not take a longer word for a global", () => {
    expect(Variables.render("%Prénoms", person, {}).text).toBe("%Prénoms");
  });
});
