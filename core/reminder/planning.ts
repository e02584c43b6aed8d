import {
  addDays as addDaysTo,
  addMonths as addMonthsTo,
  differenceInCalendarDays,
  format,
  isExists,
} from "date-fns";
import * as z from "zod";

/**
 * When a garage's next reminder falls due: parsing what the garage types (dates, mileage) and proposing
 * a date from a scenario's rule. Dates are calendar days `yyyy-MM-dd`, never instants: they are handled
 * as local noon so no DST change or UTC offset can move them by a day.
 */

/** A calendar date as stored and exchanged: `yyyy-MM-dd`. */
export const IsoDate = z.iso.date();

export const Rule = z
  .object({
    everyKm: z.int().positive().optional(),
    everyMonths: z.int().positive().optional(),
    /** The first occurrence counted from delivery when it differs (contrôle technique: 4 years, then 2). */
    firstMonths: z.int().positive().optional(),
  })
  .refine((rule) => rule.everyKm !== undefined || rule.everyMonths !== undefined, {
    message: "Une règle a besoin d'un intervalle en km ou en mois",
  });
export type Rule = z.infer<typeof Rule>;

export const Vehicle = z.object({
  deliveryDate: IsoDate,
  deliveryKm: z.int().min(0).max(2_000_000),
  lastDate: IsoDate.optional(),
  lastKm: z.int().min(0).max(2_000_000).optional(),
});
export type Vehicle = z.infer<typeof Vehicle>;

const toDate = (iso: string) => new Date(`${iso}T12:00:00`);
const toIso = (date: Date) => format(date, "yyyy-MM-dd");
const daysBetween = (from: string, to: string) => differenceInCalendarDays(toDate(to), toDate(from));
const addDays = (date: string, days: number) => toIso(addDaysTo(toDate(date), days));
const roundTo100 = (km: number) => Math.round(km / 100) * 100;

// --- Parsing what people type ---

export type DateResult = { ok: true; date: string } | { ok: false; code: "date.invalid"; message: string };

const datePatterns = [
  /^(?<day>\d{2})(?<month>\d{2})(?<year>\d{4})$/,
  /^(?<day>\d{1,2})([/.-])(?<month>\d{1,2})\2(?<year>\d{4})$/,
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})$/,
];

const dateError = (detail: string): DateResult => ({
  ok: false,
  code: "date.invalid",
  message: `Date invalide : ${detail}`,
});

/** JJMMAAAA, JJ/MM/AAAA (or with - or .), J/M/AAAA, or ISO AAAA-MM-JJ. */
export function parseDate(text: string): DateResult {
  const trimmed = text.trim();
  const groups = datePatterns.map((pattern) => pattern.exec(trimmed)?.groups).find(Boolean);
  if (!groups) return dateError("attendu JJ/MM/AAAA, par exemple 15/03/2025");
  const year = Number(groups.year);
  const month = Number(groups.month);
  const day = Number(groups.day);
  if (year < 1950 || year > 2100) return dateError(`l'année ${year} doit être entre 1950 et 2100`);
  if (!isExists(year, month - 1, day)) {
    const shown = `${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/${year}`;
    return dateError(`le ${shown} n'existe pas`);
  }
  return { ok: true, date: toIso(new Date(year, month - 1, day, 12)) };
}

export type MileageResult =
  | { ok: true; km: number }
  | { ok: false; code: "mileage.invalid"; message: string };

const maxKm = 2_000_000;
const mileageError = (detail: string): MileageResult => ({
  ok: false,
  code: "mileage.invalid",
  message: `Kilométrage invalide : ${detail}`,
});

// Thousands grouped by one kind of separator throughout: space (\s covers U+00A0 and U+202F), dot or comma.
const grouped = /^\d{1,3}([\s.,])\d{3}(?:\1\d{3})*$/;

/** 45000, 45 000, 45.000, 45,000, 45 000 km: a whole number of km up to 2 000 000. */
export function parseMileage(text: string | number): MileageResult {
  let km: number;
  if (typeof text === "number") km = text;
  else {
    const digits = text.trim().replace(/\s*km$/i, "");
    if (/^-\s*\d/.test(digits)) return mileageError("il ne peut pas être négatif");
    if (/^\d+$/.test(digits)) km = Number(digits);
    else if (grouped.test(digits)) km = Number(digits.replace(/\D/g, ""));
    else if (/^\d+[.,]\d{1,2}$/.test(digits)) return mileageError("attendu un nombre entier de km");
    else return mileageError("attendu un nombre de km, par exemple 45 000");
  }
  if (!Number.isFinite(km)) return mileageError("attendu un nombre de km, par exemple 45 000");
  if (km < 0) return mileageError("il ne peut pas être négatif");
  if (!Number.isInteger(km)) return mileageError("attendu un nombre entier de km");
  if (km > maxKm) return mileageError("au-delà de 2 000 000 km");
  return { ok: true, km };
}

// --- Calendar ---

/** Month ends clamp, as people count: 31 January + 1 month is the last day of February. */
export function addMonths(date: string, months: number): string {
  return toIso(addMonthsTo(toDate(date), months));
}

/** « dans N mois » */
export const inMonths = (today: string, months: number) => addMonths(today, months);

/** The dates given more than once, each once: two reminders on one day should rather be two days apart. */
export function sameDay(dates: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const date of dates) (seen.has(date) ? repeated : seen).add(date);
  return [...repeated];
}

// --- Mileage and proposals ---

export type PlanningError = {
  ok: false;
  code:
    | "planning.last_before_delivery"
    | "planning.mileage_down"
    | "planning.delivery_future"
    | "planning.last_future"
    | "planning.last_incomplete"
    | "planning.rule_empty"
    | "planning.km_unreachable";
  message: string;
  field: keyof Vehicle | "rule";
};

const planningError = (code: PlanningError["code"], field: PlanningError["field"], message: string) =>
  ({ ok: false, code, field, message }) satisfies PlanningError;

/** French average, used when the vehicle's own history says too little. */
export const averageKmPerYear = 13_000;
/** Below this, a mileage difference says more about rounding on the odometer than about the driver. */
const minDaysMeasured = 30;

export type YearlyMileage = { ok: true; kmPerYear: number; assumed: boolean } | PlanningError;

export function yearlyMileage(vehicle: Vehicle, today: string): YearlyMileage {
  const { deliveryDate, deliveryKm, lastDate, lastKm } = vehicle;
  if (lastDate !== undefined && lastKm === undefined) {
    return planningError(
      "planning.last_incomplete",
      "lastKm",
      "Indiquez le kilométrage de la dernière intervention",
    );
  }
  if (lastDate === undefined && lastKm !== undefined) {
    return planningError(
      "planning.last_incomplete",
      "lastDate",
      "Indiquez la date de la dernière intervention",
    );
  }
  if (deliveryDate > today) {
    return planningError(
      "planning.delivery_future",
      "deliveryDate",
      "La date de livraison est dans le futur",
    );
  }
  if (lastDate === undefined || lastKm === undefined)
    return { ok: true, kmPerYear: averageKmPerYear, assumed: true };
  if (lastDate > today) {
    return planningError("planning.last_future", "lastDate", "La dernière intervention est dans le futur");
  }
  if (lastDate < deliveryDate) {
    return planningError(
      "planning.last_before_delivery",
      "lastDate",
      "La dernière intervention est antérieure à la livraison du véhicule",
    );
  }
  if (lastKm < deliveryKm) {
    return planningError(
      "planning.mileage_down",
      "lastKm",
      "Le kilométrage de la dernière intervention est inférieur à celui de la livraison",
    );
  }
  const days = daysBetween(deliveryDate, lastDate);
  if (days < minDaysMeasured) return { ok: true, kmPerYear: averageKmPerYear, assumed: true };
  return { ok: true, kmPerYear: roundTo100(((lastKm - deliveryKm) / days) * 365.25), assumed: false };
}

export type Proposal =
  | {
      ok: true;
      date: string;
      by: "km" | "months";
      /** Estimated odometer on `date`, to the nearest 100 km. */
      kmAtDate: number;
      kmPerYear: number;
      assumed: boolean;
      /** The months rule fell due before today: the proposal is today. */
      overdue: boolean;
    }
  | PlanningError;

type Candidate = { date: string; by: "km" | "months"; overdue: boolean };

/**
 * The next date a rule falls due. By km: the next multiple of `everyKm` above today's estimated odometer
 * (services at 20 000, 40 000…). By months: the last intervention (else delivery, with `firstMonths`
 * when set) plus the interval. The earlier of the two wins.
 */
export function propose(rule: Rule, vehicle: Vehicle, today: string): Proposal {
  if (rule.everyKm === undefined && rule.everyMonths === undefined) {
    return planningError("planning.rule_empty", "rule", "Le scénario n'a ni intervalle en km ni en mois");
  }
  const mileage = yearlyMileage(vehicle, today);
  if (!mileage.ok) return mileage;
  const { kmPerYear, assumed } = mileage;

  const reference = vehicle.lastDate ?? vehicle.deliveryDate;
  const kmPerDay = kmPerYear / 365.25;
  const kmToday = (vehicle.lastKm ?? vehicle.deliveryKm) + kmPerDay * daysBetween(reference, today);

  let byKm: Candidate | undefined;
  if (rule.everyKm !== undefined && kmPerDay > 0) {
    const target = (Math.floor(kmToday / rule.everyKm) + 1) * rule.everyKm;
    // Rounded up: the reminder is for once the mileage is reached, not the day before.
    byKm = { date: addDays(today, Math.ceil((target - kmToday) / kmPerDay)), by: "km", overdue: false };
  }

  let byMonths: Candidate | undefined;
  const months = vehicle.lastDate === undefined ? (rule.firstMonths ?? rule.everyMonths) : rule.everyMonths;
  if (months !== undefined) {
    const due = addMonths(reference, months);
    byMonths =
      due < today
        ? { date: today, by: "months", overdue: true }
        : { date: due, by: "months", overdue: false };
  }

  const chosen = byKm && (!byMonths || byKm.date < byMonths.date) ? byKm : byMonths;
  if (!chosen) {
    return planningError(
      "planning.km_unreachable",
      "lastKm",
      "Le véhicule ne roule pas (0 km par an) : l'échéance en km ne peut pas être estimée, choisissez une date",
    );
  }
  return {
    ok: true,
    ...chosen,
    kmAtDate: roundTo100(kmToday + kmPerDay * daysBetween(today, chosen.date)),
    kmPerYear,
    assumed,
  };
}
