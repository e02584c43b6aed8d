import { describe, expect, it } from "vitest";
import { classify, classifyReply, command } from "./classify";

describe("reply classification", () => {
  it.each([
    "oui",
    "OUI",
    "Oui !",
    "ok",
    "OK 👍",
    "dispo",
    "c'est bon",
    "C’est bon",
    "👍",
    "d'accord",
    "D'ACCORD",
    "yes",
    "oui merci",
    "Bonjour, oui",
    "Oui je suis dispo !",
    "ok c'est bon merci",
  ])("reads %j as yes", (body) => {
    expect(classify(body)).toBe("yes");
  });

  it.each([
    "non",
    "NON",
    "Non.",
    "pas dispo",
    "Pas Dispo",
    "non merci",
    "indisponible",
    "no",
    "nn",
    "Non, pas dispo",
  ])("reads %j as no", (body) => {
    expect(classify(body)).toBe("no");
  });

  it.each(["je rappelle", "oui mais pas avant 10h", "peut-être", "", "oui non", "?"])(
    "leaves the ambiguous %j as other",
    (body) => {
      expect(classify(body)).toBe("other");
    },
  );

  it.each([
    ["Oui ça marche", "yes", "yes.word"],
    ["Je serai là", "yes", "yes.phrase"],
    ["Pas de souci", "yes", "yes.phrase"],
    ["👍", "yes", "yes.emoji"],
    ["Non merci", "no", "no.word"],
    ["Je peux pas", "no", "no.negation"],
    ["Merci mais je ne suis pas disponible", "no", "no.negation"],
    ["❌", "no", "no.emoji"],
    ["oui mais pas avant 10h", "other", "other.conditional"],
    ["non mais jeudi oui", "other", "other.conditional"],
    ["Oui sauf vendredi", "other", "other.conditional"],
    ["Demain non, jeudi oui", "other", "other.mixed"],
    ["je vous dis demain", "other", "other.hedge"],
    ["c'est où ?", "other", "other.question"],
    ["Oui c'est à quelle heure", "other", "other.question"],
    ["J'ai perdu mon badge", "other", "other.unknown"],
    ["", "other", "other.empty"],
  ] as const)("reads %j as %s by the rule %s", (body, classification, rule) => {
    expect(classifyReply(body)).toEqual({ classification, rule });
  });

  it("leaves a long reply to a human, whatever it starts with", () => {
    const email = `Oui ${"je vous écris au sujet de la mission ".repeat(6)}`;
    expect(classifyReply(email)).toEqual({ classification: "other", rule: "other.long" });
  });

  it.each(["STOP", "stop", "Stop SMS", "ARRET", "ARRÊT", "arrêt", "DESABONNER", "Désabonner", "UNSUBSCRIBE"])(
    "reads %j as an opt-out",
    (body) => {
      expect(command(body)).toEqual({ kind: "optout" });
    },
  );

  it("reads EMAIL and SMS as channel switches, and a sentence with stop in it as nothing", () => {
    expect(command("EMAIL")).toEqual({ kind: "channel", channel: "email" });
    expect(command("sms")).toEqual({ kind: "channel", channel: "sms" });
    expect(command("je ne peux pas stop")).toBeUndefined();
  });
});
