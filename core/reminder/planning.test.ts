import { describe, expect, it } from "vitest";
import { fill, seededScenarios, templateVariables } from "./catalogue";
import {
  addMonths,
  inMonths,
  parseDate,
  parseMileage,
  propose,
  type Rule,
  sameDay,
  type Vehicle,
  yearlyMileage,
} from "./planning";

const messageOf = (result: { ok: true } | { ok: false; message: string }) =>
  result.ok ? "" : result.message;

describe("parseDate", () => {
  it.each([
    ["15032025", "2025-03-15"],
    ["15/03/2025", "2025-03-15"],
    ["15-03-2025", "2025-03-15"],
    ["15.03.2025", "2025-03-15"],
    ["5/3/2025", "2025-03-05"],
    ["05/3/2025", "2025-03-05"],
    [" 2025-03-15 ", "2025-03-15"],
    ["29/02/2024", "2024-02-29"],
    ["01/01/1950", "1950-01-01"],
    ["31/12/2100", "2100-12-31"],
  ])("reads %j as %s", (input, date) => {
    expect(parseDate(input)).toEqual({ ok: true, date });
  });

  it.each(["29/02/2025", "31/02/2025", "31/04/2025", "00/01/2025", "15/13/2025", "2025-02-29"])(
    "refuses the impossible date %s",
    (input) => {
      const result = parseDate(input);
      expect(result).toMatchObject({ ok: false, code: "date.invalid" });
      expect(messageOf(result)).toContain("n'existe pas");
    },
  );

  it.each(["31/12/1949", "01/01/2101", "1900-01-01"])("refuses %s, outside 1950–2100", (input) => {
    expect(messageOf(parseDate(input))).toContain("entre 1950 et 2100");
  });

  it.each(["", "15/03/25", "15/03-2025", "2025/03/15", "15 mars 2025", "1503202"])("refuses %j", (input) => {
    const result = parseDate(input);
    expect(result).toMatchObject({ ok: false, code: "date.invalid" });
    expect(messageOf(result)).toContain("JJ/MM/AAAA");
  });
});

describe("parseMileage", () => {
  it.each([
    "45000",
    "45 000",
    "45\u00A0000",
    "45\u202F000",
    "45.000",
    "45,000",
    "45000 km",
    "45000km",
    "45 000 KM",
    " 45 000 Km ",
  ])("reads %j as 45 000 km", (input) => {
    expect(parseMileage(input)).toEqual({ ok: true, km: 45_000 });
  });

  it.each([
    ["1 234 567", 1_234_567],
    ["1.234.567", 1_234_567],
    ["0", 0],
    ["2 000 000", 2_000_000],
  ])("reads %j as %i", (input, km) => {
    expect(parseMileage(input)).toEqual({ ok: true, km });
  });

  it("takes a number as it is", () => {
    expect(parseMileage(45_000)).toEqual({ ok: true, km: 45_000 });
  });

  it.each([
    ["-45000", "négatif"],
    [-1, "négatif"],
    ["45,5", "entier"],
    ["45.25", "entier"],
    [45.5, "entier"],
    ["2 000 001", "2 000 000"],
    [2_000_001, "2 000 000"],
    ["45 000 miles", "45 000"],
    ["abc", "45 000"],
    ["", "45 000"],
    ["1 234.567", "45 000"],
    ["45 00", "45 000"],
    [Number.NaN, "45 000"],
  ])("refuses %j (%s)", (input, hint) => {
    const result = parseMileage(input);
    expect(result).toMatchObject({ ok: false, code: "mileage.invalid" });
    expect(messageOf(result)).toContain(hint);
  });
});

describe("addMonths", () => {
  it.each([
    ["2025-01-31", 1, "2025-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2024-02-29", 48, "2028-02-29"],
    ["2025-03-31", 1, "2025-04-30"],
    ["2025-10-15", 3, "2026-01-15"],
    ["2025-03-30", 0, "2025-03-30"],
    ["2025-05-31", -3, "2025-02-28"],
  ])("%s + %i months is %s", (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it("crosses the spring and autumn clock changes without losing a day", () => {
    expect(addMonths("2025-03-30", 7)).toBe("2025-10-30");
    expect(addMonths("2025-10-26", 5)).toBe("2026-03-26");
  });

  it("counts « dans N mois » from today", () => {
    expect(inMonths("2025-08-31", 6)).toBe("2026-02-28");
  });
});

describe("sameDay", () => {
  it("lists each repeated date once", () => {
    expect(
      sameDay(["2025-01-10", "2025-02-10", "2025-01-10", "2025-03-01", "2025-01-10", "2025-03-01"]),
    ).toEqual(["2025-01-10", "2025-03-01"]);
  });

  it("finds nothing in distinct dates", () => {
    expect(sameDay(["2025-01-10", "2025-01-11"])).toEqual([]);
  });
});

describe("yearlyMileage", () => {
  it("measures the rate between delivery and the last intervention, to the nearest 100", () => {
    // 12 345 km in 365 days is 12 353.5 km a year (365.25 days).
    const vehicle = { deliveryDate: "2023-01-01", deliveryKm: 0, lastDate: "2024-01-01", lastKm: 12_345 };
    expect(yearlyMileage(vehicle, "2024-06-01")).toEqual({ ok: true, kmPerYear: 12_400, assumed: false });
  });

  it("measures from the delivery odometer, not from zero", () => {
    const vehicle = {
      deliveryDate: "2020-01-01",
      deliveryKm: 20_000,
      lastDate: "2024-01-01",
      lastKm: 60_000,
    };
    expect(yearlyMileage(vehicle, "2024-06-01")).toEqual({ ok: true, kmPerYear: 10_000, assumed: false });
  });

  it("assumes the French average without a last intervention", () => {
    expect(yearlyMileage({ deliveryDate: "2020-01-01", deliveryKm: 5 }, "2024-06-01")).toEqual({
      ok: true,
      kmPerYear: 13_000,
      assumed: true,
    });
  });

  it("assumes the French average when the two points are less than 30 days apart", () => {
    const vehicle = { deliveryDate: "2024-01-01", deliveryKm: 0, lastDate: "2024-01-30", lastKm: 3_000 };
    expect(yearlyMileage(vehicle, "2024-06-01")).toEqual({ ok: true, kmPerYear: 13_000, assumed: true });
  });

  it("measures from 30 days apart", () => {
    const vehicle = { deliveryDate: "2024-01-01", deliveryKm: 0, lastDate: "2024-01-31", lastKm: 1_000 };
    expect(yearlyMileage(vehicle, "2024-06-01")).toEqual({ ok: true, kmPerYear: 12_200, assumed: false });
  });

  it.each<[string, Vehicle, string, string]>([
    [
      "planning.last_before_delivery",
      { deliveryDate: "2022-01-01", deliveryKm: 0, lastDate: "2021-12-01", lastKm: 1_000 },
      "lastDate",
      "antérieure à la livraison",
    ],
    [
      "planning.mileage_down",
      { deliveryDate: "2020-01-01", deliveryKm: 10_000, lastDate: "2023-01-01", lastKm: 5_000 },
      "lastKm",
      "inférieur",
    ],
    ["planning.delivery_future", { deliveryDate: "2025-01-02", deliveryKm: 0 }, "deliveryDate", "livraison"],
    [
      "planning.last_future",
      { deliveryDate: "2020-01-01", deliveryKm: 0, lastDate: "2025-01-02", lastKm: 50_000 },
      "lastDate",
      "futur",
    ],
    [
      "planning.last_incomplete",
      { deliveryDate: "2020-01-01", deliveryKm: 0, lastDate: "2023-01-01" },
      "lastKm",
      "kilométrage",
    ],
    [
      "planning.last_incomplete",
      { deliveryDate: "2020-01-01", deliveryKm: 0, lastKm: 30_000 },
      "lastDate",
      "date",
    ],
  ])("answers %s", (code, vehicle, field, words) => {
    const result = yearlyMileage(vehicle, "2025-01-01");
    expect(result).toMatchObject({ ok: false, code, field });
    expect(messageOf(result)).toContain(words);
  });
});

const revision: Rule = { everyKm: 20_000, everyMonths: 12 };
const controleTechnique: Rule = { everyMonths: 24, firstMonths: 48 };

describe("propose", () => {
  it("takes the km rule when a heavy driver reaches the mileage first", () => {
    // 80 000 km in two years: 40 000 a year; about 86 570 km today, 100 000 km 123 days later.
    const vehicle = { deliveryDate: "2022-01-01", deliveryKm: 0, lastDate: "2024-01-01", lastKm: 80_000 };
    expect(propose(revision, vehicle, "2024-03-01")).toEqual({
      ok: true,
      date: "2024-07-02",
      by: "km",
      kmAtDate: 100_000,
      kmPerYear: 40_000,
      assumed: false,
      overdue: false,
    });
  });

  it("takes the months rule when the mileage is reached later", () => {
    // 10 000 km a year: 60 000 km is nearly two years away, the yearly service one.
    const vehicle = { deliveryDate: "2020-01-01", deliveryKm: 0, lastDate: "2024-01-01", lastKm: 40_000 };
    expect(propose(revision, vehicle, "2024-03-01")).toEqual({
      ok: true,
      date: "2025-01-01",
      by: "months",
      kmAtDate: 50_000,
      kmPerYear: 10_000,
      assumed: false,
      overdue: false,
    });
  });

  it("aims at the next multiple of the interval strictly above today's mileage", () => {
    // Exactly 40 000 km today: the next service is at 60 000, not 40 000.
    const vehicle = { deliveryDate: "2022-01-01", deliveryKm: 0, lastDate: "2024-01-01", lastKm: 40_000 };
    const result = propose({ everyKm: 20_000 }, vehicle, "2024-01-01");
    expect(result).toMatchObject({ ok: true, by: "km", kmAtDate: 60_000, date: "2025-01-01" });
  });

  it("places the first contrôle technique 4 years after delivery", () => {
    const vehicle = { deliveryDate: "2022-05-15", deliveryKm: 0 };
    expect(propose(controleTechnique, vehicle, "2024-01-10")).toMatchObject({
      ok: true,
      date: "2026-05-15",
      by: "months",
      assumed: true,
      overdue: false,
    });
  });

  it("places the next contrôle technique 2 years after the last one", () => {
    const vehicle = { deliveryDate: "2022-05-15", deliveryKm: 0, lastDate: "2026-05-20", lastKm: 52_000 };
    expect(propose(controleTechnique, vehicle, "2026-06-01")).toMatchObject({
      ok: true,
      date: "2028-05-20",
      by: "months",
      overdue: false,
    });
  });

  it("proposes today when the months rule fell due in the past", () => {
    // No intervention known since 2020: the 2021 service is overdue; about 57 410 km today.
    const vehicle = { deliveryDate: "2020-01-01", deliveryKm: 0 };
    expect(propose(revision, vehicle, "2024-06-01")).toEqual({
      ok: true,
      date: "2024-06-01",
      by: "months",
      kmAtDate: 57_400,
      kmPerYear: 13_000,
      assumed: true,
      overdue: true,
    });
  });

  it("is not overdue on the due date itself", () => {
    const vehicle = { deliveryDate: "2023-06-01", deliveryKm: 0, lastDate: "2024-06-01", lastKm: 5_000 };
    expect(propose({ everyMonths: 12 }, vehicle, "2025-06-01")).toMatchObject({
      date: "2025-06-01",
      overdue: false,
    });
  });

  it("rounds the mileage on the proposed date to the nearest 100", () => {
    // 12 400 km a year from 12 345 km: 12 months later is about 24 770 km.
    const vehicle = { deliveryDate: "2023-01-01", deliveryKm: 0, lastDate: "2024-01-01", lastKm: 12_345 };
    expect(propose({ everyMonths: 12 }, vehicle, "2024-02-01")).toMatchObject({
      date: "2025-01-01",
      kmAtDate: 24_800,
      kmPerYear: 12_400,
    });
  });

  it("clamps a due date at the end of a shorter month", () => {
    const vehicle = { deliveryDate: "2024-02-29", deliveryKm: 0 };
    expect(propose({ everyMonths: 12 }, vehicle, "2024-03-01")).toMatchObject({ date: "2025-02-28" });
  });

  it("passes on the mileage errors", () => {
    const vehicle = { deliveryDate: "2020-01-01", deliveryKm: 10_000, lastDate: "2023-01-01", lastKm: 5_000 };
    expect(propose(revision, vehicle, "2024-01-01")).toMatchObject({
      ok: false,
      code: "planning.mileage_down",
    });
  });

  it("falls back on months for a vehicle that does not move", () => {
    const vehicle = { deliveryDate: "2020-01-01", deliveryKm: 100, lastDate: "2023-01-01", lastKm: 100 };
    expect(propose(revision, vehicle, "2023-06-01")).toMatchObject({
      ok: true,
      by: "months",
      date: "2024-01-01",
    });
  });

  it("says a km-only rule cannot be estimated for a vehicle that does not move", () => {
    const vehicle = { deliveryDate: "2020-01-01", deliveryKm: 100, lastDate: "2023-01-01", lastKm: 100 };
    expect(propose({ everyKm: 20_000 }, vehicle, "2023-06-01")).toMatchObject({
      ok: false,
      code: "planning.km_unreachable",
    });
  });

  it("refuses a rule with neither km nor months", () => {
    expect(
      propose({ firstMonths: 48 }, { deliveryDate: "2020-01-01", deliveryKm: 0 }, "2023-06-01"),
    ).toMatchObject({
      ok: false,
      code: "planning.rule_empty",
      field: "rule",
    });
  });
});

// GSM 03.38 basic set: anything else costs two septets or turns the SMS into UCS-2 (70 characters).
const gsm7 = new Set(
  "@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);

const longValues = {
  civilite: "Madame",
  nom: "Delacroix-Martin",
  immatriculation: "AB-123-CD",
  modele: "Peugeot 3008 Hybrid",
  garage: "Garage du Centre Auto",
  telephone: "01 23 45 67 89",
};

describe("seeded scenarios", () => {
  it("holds exactly the agreed scenarios, by their French names", () => {
    expect(seededScenarios.map((scenario) => scenario.name.fr)).toEqual([
      "Amortisseurs",
      "Changement pneu",
      "Contrôle technique",
      "Courroie de distribution",
      "Échappement",
      "Liquide de frein",
      "Pré contrôle technique",
      "Recharge climatisation",
      "Révision",
      "Système de freinage",
      "Texte libre",
    ]);
    expect(new Set(seededScenarios.map((scenario) => scenario.key)).size).toBe(seededScenarios.length);
  });

  it("gives every scenario an interval", () => {
    for (const { rule } of seededScenarios) expect(rule.everyMonths).toBeGreaterThan(0);
  });

  it.each(
    seededScenarios.flatMap((scenario) =>
      (["fr", "en"] as const).map((lang) => [scenario.key, lang] as const),
    ),
  )("%s (%s) fits one GSM-7 SMS once filled", (key, lang) => {
    const template = seededScenarios.find((scenario) => scenario.key === key)!.template[lang];
    const text = fill(template, longValues);
    expect([...text].filter((char) => !gsm7.has(char))).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(160);
    expect(text).not.toMatch(/\{\w+\}/);
    expect(text).toContain(longValues.telephone);
  });
});

describe("fill", () => {
  it("fills every variable, each time it appears", () => {
    const values = Object.fromEntries(templateVariables.map((name) => [name, name.toUpperCase()])) as Record<
      (typeof templateVariables)[number],
      string
    >;
    expect(fill("{nom} {nom} {civilite} {immatriculation} {modele} {garage} {telephone}", values)).toBe(
      "NOM NOM CIVILITE IMMATRICULATION MODELE GARAGE TELEPHONE",
    );
  });

  it("leaves an unknown variable as typed", () => {
    expect(fill("Bonjour {prenom} {nom}, {toString}", { ...longValues })).toBe(
      "Bonjour {prenom} Delacroix-Martin, {toString}",
    );
  });
});
