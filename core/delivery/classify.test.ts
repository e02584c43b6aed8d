import { describe, expect, it } from "vitest";
import { classify, command } from "./classify";

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
