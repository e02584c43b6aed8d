import { describe, expect, it } from "vitest";
import {
  count,
  customNameProblem,
  pieces,
  removeInvisible,
  replaceableCharacters,
  toGsm,
} from "../templates/message-text";
import { eurosInput, formatEuros, parseEuros } from "./money";
import { exclusions, isBlock, mergeRead, noRecipients, toSources } from "./recipients";
import { offsetMinutes, parisToIso, tomorrowInParis } from "./schedule";

const nbsp = "\u00a0";

describe("send times chosen in Paris", () => {
  it("carry the winter offset in November", () => {
    expect(parisToIso("2026-11-26", "09:00")).toBe("2026-11-26T09:00:00+01:00");
    expect(new Date(parisToIso("2026-11-26", "09:00") ?? "").toISOString()).toBe("2026-11-26T08:00:00.000Z");
  });

  it("carry the summer offset in July", () => {
    expect(parisToIso("2026-07-14", "22:30")).toBe("2026-07-14T22:30:00+02:00");
  });

  it("take the new offset on the morning clocks go forward", () => {
    expect(parisToIso("2026-03-29", "01:30")).toBe("2026-03-29T01:30:00+01:00");
    expect(parisToIso("2026-03-29", "09:00")).toBe("2026-03-29T09:00:00+02:00");
  });

  it("refuse what is not a date and a time", () => {
    expect(parisToIso("26/11/2026", "09:00")).toBeNull();
    expect(parisToIso("2026-11-26", "9h")).toBeNull();
    expect(parisToIso("2026-13-01", "09:00")).toBeNull();
  });

  it("name tomorrow by the Paris calendar, not UTC's", () => {
    // 23:30 UTC on 25 November is already 00:30 on the 26th in Paris
    expect(tomorrowInParis(new Date("2026-11-25T23:30:00Z"))).toBe("2026-11-27");
    expect(tomorrowInParis(new Date("2026-12-31T12:00:00Z"))).toBe("2027-01-01");
  });

  it("knows how far a zone is from UTC", () => {
    expect(offsetMinutes("Europe/Paris", new Date("2026-01-10T12:00:00Z"))).toBe(60);
    expect(offsetMinutes("America/New_York", new Date("2026-01-10T12:00:00Z"))).toBe(-300);
  });
});

describe("money in millicents", () => {
  it("reads a price typed with French or English decimals", () => {
    expect(parseEuros("0,045")).toBe(4500);
    expect(parseEuros("0.045 €")).toBe(4500);
    expect(parseEuros("1")).toBe(100_000);
    expect(parseEuros("0,00001")).toBe(1);
  });

  it("refuses what is not an amount of at most five decimals", () => {
    expect(parseEuros("")).toBeNull();
    expect(parseEuros("-1")).toBeNull();
    expect(parseEuros("0,000001")).toBeNull();
    expect(parseEuros("abc")).toBeNull();
  });

  it("shows costs in euros, French style", () => {
    expect(formatEuros(90_000, "fr").replace(/\s/gu, " ")).toBe("0,90 €");
    expect(formatEuros(4500, "fr").replace(/\s/gu, " ")).toBe("0,045 €");
    expect(formatEuros(123_456_700, "fr").replace(/\s/gu, " ")).toBe("1 234,567 €");
    expect(eurosInput(4500, "fr")).toBe("0,045");
    expect(eurosInput(4500, "en")).toBe("0.045");
  });
});

describe("recipients read from a paste", () => {
  const entry = (key: string, value: string) => ({ entry: value, key, value });

  it("adds new people once and counts repeats as duplicates", () => {
    const first = mergeRead(noRecipients, {
      accepted: [entry("m:+33612345678", "+33612345678")],
      rejected: [],
      duplicates: 0,
    });
    const second = mergeRead(first.recipients, {
      accepted: [entry("m:+33612345678", "+33612345678"), entry("e:a@b.fr", "a@b.fr")],
      rejected: [{ entry: "0612", code: "paste.phone_invalid", message: "Invalid phone number" }],
      duplicates: 1,
    });
    expect(second.recipients.entries.map((item) => item.key)).toEqual(["m:+33612345678", "e:a@b.fr"]);
    expect(second.summary).toEqual({ read: 4, added: 1, invalid: 1, duplicates: 2 });
    expect(toSources(second.recipients).entries).toEqual(["+33612345678", "a@b.fr"]);
  });

  it("keeps one red chip per invalid text", () => {
    const bad = { entry: "0612", code: "paste.phone_invalid", message: "Invalid phone number" };
    const once = mergeRead(noRecipients, { accepted: [], rejected: [bad], duplicates: 0 });
    const twice = mergeRead(once.recipients, { accepted: [], rejected: [bad], duplicates: 0 });
    expect(twice.recipients.rejected).toHaveLength(1);
  });

  it("treats tabs, lines, semicolons and commas as a block, not spaces", () => {
    expect(isBlock("06 12 34 56 78")).toBe(false);
    expect(isBlock("0612345678\n0698765432")).toBe(true);
    expect(isBlock("0612345678\t0698765432")).toBe(true);
    expect(isBlock("a@b.fr; c@d.fr")).toBe(true);
  });

  it("marks the people the preview excludes, by key and by contact", () => {
    const marks = exclusions({
      totals: { recipients: 2, sms: 1, email: 0, excluded: 1, smsUnits: 1, costMillicents: 4500 },
      variables: { needed: [], fromLists: [], missing: [], emptyGlobals: [] },
      rejected: [],
      recipients: [
        { key: "m:+33611111111", contactId: "c1", channel: null, excludedReason: "opted_out" },
        { key: "m:+33622222222", channel: "sms" },
      ],
      truncated: false,
    });
    expect(marks.byKey.get("m:+33611111111")).toBe("opted_out");
    expect(marks.byContact.get("c1")).toBe("opted_out");
    expect(marks.byKey.has("m:+33622222222")).toBe(false);
  });
});

describe("message bodies in the editor", () => {
  it("colours globals and customs and flags what forces UCS-2", () => {
    const kinds = pieces("Bonjour %prenom, êtes-vous à %lieu% ?").map((piece) => [piece.kind, piece.text]);
    expect(kinds).toEqual([
      ["text", "Bonjour "],
      ["global", "%prenom"],
      ["text", ", "],
      ["unicode", "ê"],
      ["text", "tes-vous à "],
      ["custom", "%lieu%"],
      ["text", " ?"],
    ]);
  });

  it("leaves a lone percent as text", () => {
    expect(pieces("20 % de remise").every((piece) => piece.kind === "text")).toBe(true);
  });

  it("makes invisible characters visible", () => {
    expect(pieces(`Rendez-vous${nbsp}: 9h\u200b`).filter((piece) => piece.kind === "invisible")).toHaveLength(
      2,
    );
    expect(removeInvisible(`a${nbsp}b\u200bc`)).toBe("a bc");
  });

  it("fixes an accent that forced UCS-2 in one click, and the units drop", () => {
    const body = "Bonjour, êtes-vous disponible demain matin pour une mission à Lyon ? Répondez OUI ou NON.";
    expect(count(body)).toMatchObject({ encoding: "UCS-2", segments: 2 });
    expect(replaceableCharacters(body)).toEqual(["ê"]);
    const fixed = toGsm(body);
    expect(fixed).toContain("etes-vous");
    expect(fixed).toContain("à Lyon");
    expect(count(fixed)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("offers no one-click fix for an emoji", () => {
    expect(replaceableCharacters("Merci 🙂")).toEqual([]);
    expect(count("Merci 🙂").encoding).toBe("UCS-2");
  });

  it("accepts custom variable names the parser reads, not globals", () => {
    expect(customNameProblem("lieu")).toBeNull();
    expect(customNameProblem("date_rdv")).toBeNull();
    expect(customNameProblem("Prénom")).toBe("global");
    expect(customNameProblem("2lieu")).toBe("chars");
    expect(customNameProblem("lieu rdv")).toBe("chars");
  });
});
