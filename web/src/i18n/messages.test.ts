import { describe, expect, it } from "vitest";
import { formatDateTime, formatNumber, formatTime } from "./format";
import { catalogues, mergeCatalogues, messages, translate } from "./messages";

const { fr, en } = messages;
/** Every message file of the console, to make sure each one is merged into the catalogue. */
const files = import.meta.glob<Record<string, string>>(["./*.json", "../**/messages.*.json"], {
  eager: true,
  import: "default",
});

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("console messages", () => {
  it("merge every message file of the console, in French and English pairs", () => {
    const merged = Object.entries(catalogues).flatMap(([name, pair]) =>
      Object.keys(pair).map((locale) =>
        name === "shared" ? `./${locale}.json` : `../${name}/messages.${locale}.json`,
      ),
    );
    expect(merged.sort()).toEqual(Object.keys(files).sort());
  });

  it("have the same keys in the French and English file of each feature", () => {
    for (const pair of Object.values(catalogues)) {
      expect(Object.keys(pair.en).sort()).toEqual(Object.keys(pair.fr).sort());
    }
  });

  it("define each key in one file only", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, pair] of Object.entries(catalogues)) {
      for (const key of Object.keys(pair.fr)) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${name})`);
        seen.set(key, name);
      }
    }
    expect(twice).toEqual([]);
  });

  it("refuse a key two files define with different texts", () => {
    const pairs = {
      one: { fr: { "x.title": "Un" }, en: { "x.title": "One" } },
      two: { fr: { "x.title": "Deux" }, en: {} },
    };
    expect(() => mergeCatalogues(pairs, "fr")).toThrow(/x\.title/);
  });

  it("have the same keys in French and English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it("leave no message empty", () => {
    const empty = [...Object.entries(fr), ...Object.entries(en)].filter(([, text]) => text.trim() === "");
    expect(empty).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const mismatched = Object.entries(fr)
      .filter(([key, text]) => {
        const english = (en as Record<string, string>)[key] ?? "";
        return placeholders(text).join() !== placeholders(english).join();
      })
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it("fills placeholders with the given values", () => {
    expect(translate("fr", "health.banner.someDownDetail", { down: 2, total: 10 })).toBe(
      "Services indisponibles : 2 sur 10. Les envois concernés peuvent être retardés.",
    );
  });
});

describe("formats", () => {
  it("shows a UTC instant as Paris wall-clock time", () => {
    expect(formatDateTime("2026-11-25T08:00:00Z")).toBe("25/11/2026 09:00");
  });

  it("follows summer time in Paris", () => {
    expect(formatDateTime("2026-07-14T20:30:00Z")).toBe("14/07/2026 22:30");
    expect(formatTime("2026-07-14T20:30:05Z")).toBe("22:30:05");
  });

  it("writes French numbers with a space for thousands and a comma for decimals", () => {
    expect(formatNumber(1234.56, "fr").replace(/\s/gu, " ")).toBe("1 234,56");
  });

  it("writes English numbers with a comma for thousands and a point for decimals", () => {
    expect(formatNumber(1234.56, "en")).toBe("1,234.56");
  });
});
