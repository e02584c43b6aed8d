import { PassThrough, type Readable } from "node:stream";
import { formatInTimeZone } from "date-fns-tz";
import * as z from "zod";
import { Agency } from "../agency";
import { Campaign } from "../campaign";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Spreadsheet } from "../spreadsheet";

/**
 * « Rapports »: campaigns and their messages per month, agency and user. Every number is the sum of the
 * campaigns' own summaries (core/campaign/summary.ts), so a report agrees with each campaign's page and
 * with Envois. A campaign counts in the month it left (its departure, Europe/Paris).
 */
export const maxMonths = 24;
/** Campaigns are keyed by creation: one scheduled this long before it leaves is still found. */
const lookbackDays = 186;

export const Totals = z.object({
  campaigns: z.number(),
  sent: z.number(),
  delivered: z.number(),
  answered: z.number(),
  optedOut: z.number(),
  /** Delivered / sent; null when nothing was sent. */
  deliveryRate: z.number().nullable(),
  /** Answered / delivered, over Yes/No campaigns only (an info expects no answer); null when none. */
  answerRate: z.number().nullable(),
});
export type Totals = z.infer<typeof Totals>;

export const Info = z.object({
  from: z.string(),
  to: z.string(),
  total: Totals,
  months: z.array(Totals.extend({ month: z.string() })),
  agencies: z.array(Totals.extend({ agencyId: z.string(), name: z.string() })),
  users: z.array(Totals.extend({ userId: z.string(), name: z.string() })),
});
export type Info = z.infer<typeof Info>;

export const Period = z.object({ from: z.string(), to: z.string() });

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;
const badPeriod = (message: string, path: string) =>
  new VisibleError("report.bad_period", message, 422, { fields: [{ path, message }] });

/** The months from `from` to `to` included, or a 422 saying what is wrong. */
export function monthsOf(period: z.infer<typeof Period>): string[] {
  for (const key of ["from", "to"] as const) {
    if (!monthPattern.test(period[key])) throw badPeriod(`"${key}" must be a month as YYYY-MM`, key);
  }
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  const first = index(period.from);
  const last = index(period.to);
  if (first > last) throw badPeriod("The period starts after it ends", "from");
  if (last - first + 1 > maxMonths) throw badPeriod(`A report covers ${maxMonths} months at most`, "to");
  return Array.from({ length: last - first + 1 }, (_, offset) => {
    const at = first + offset;
    return `${Math.floor(at / 12)}-${String((at % 12) + 1).padStart(2, "0")}`;
  });
}

type Tally = Omit<Totals, "deliveryRate" | "answerRate"> & { asked: number; askedAnswered: number };
const empty = (): Tally => ({
  campaigns: 0,
  sent: 0,
  delivered: 0,
  answered: 0,
  optedOut: 0,
  asked: 0,
  askedAnswered: 0,
});
const rate = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
const totalsOf = ({ asked, askedAnswered, ...tally }: Tally): Totals => ({
  ...tally,
  deliveryRate: rate(tally.delivered, tally.sent),
  answerRate: rate(askedAnswered, asked),
});

function lastDay(month: string) {
  const [year, number] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
}

/** The report over the campaigns the actor sees: the company for an Admin, their agencies otherwise. */
export const build = fn(Period, async (period): Promise<Info> => {
  const months = monthsOf(period);
  const first = new Date(`${period.from}-01T00:00:00Z`);
  const from = new Date(first.getTime() - lookbackDays * 86_400_000).toISOString().slice(0, 10);
  const byMonth = new Map(months.map((month) => [month, empty()]));
  const byAgency = new Map<string, Tally>();
  const byUser = new Map<string, Tally & { name: string }>();
  const total = empty();
  // Departure never precedes creation: nothing created after the last month can count.
  for await (const row of Campaign.visibleRows({ from, to: lastDay(period.to) })) {
    const summary = Campaign.summarize(row);
    if (!summary.departure) continue;
    const month = formatInTimeZone(new Date(summary.departure), "Europe/Paris", "yyyy-MM");
    const monthly = byMonth.get(month);
    if (!monthly) continue;
    const agency = byAgency.get(row.agencyId) ?? empty();
    byAgency.set(row.agencyId, agency);
    const user = byUser.get(row.createdBy) ?? { ...empty(), name: row.createdByName };
    byUser.set(row.createdBy, user);
    for (const tally of [monthly, agency, user, total]) {
      tally.campaigns++;
      tally.sent += summary.sent;
      tally.delivered += summary.delivered;
      tally.answered += summary.replied;
      tally.optedOut += summary.unsubscribed;
      if (row.kind === "yesno") {
        tally.asked += summary.delivered;
        tally.askedAnswered += summary.replied;
      }
    }
  }
  const names = new Map(
    (await Agency.list({ includeArchived: true })).map((agency) => [agency.agencyId, agency.name]),
  );
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "fr");
  return {
    from: period.from,
    to: period.to,
    total: totalsOf(total),
    months: months.map((month) => ({ month, ...totalsOf(byMonth.get(month)!) })),
    agencies: [...byAgency]
      .map(([agencyId, tally]) => ({ agencyId, name: names.get(agencyId) ?? agencyId, ...totalsOf(tally) }))
      .sort(byName),
    users: [...byUser]
      .map(([userId, { name, ...tally }]) => ({ userId, name, ...totalsOf(tally) }))
      .sort(byName),
  };
});

const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);
const numberColumns = [
  { header: "Campagnes", key: "campaigns", width: 11 },
  { header: "Envoyés", key: "sent", width: 10 },
  { header: "Délivrés", key: "delivered", width: 10 },
  { header: "Réponses", key: "answered", width: 10 },
  { header: "Désabonnés", key: "optedOut", width: 11 },
  { header: "Taux de délivrance (%)", key: "deliveryRate", width: 20 },
  { header: "Taux de réponse (%)", key: "answerRate", width: 18 },
];
const cells = (totals: Totals) => ({
  ...totals,
  deliveryRate: percent(totals.deliveryRate),
  answerRate: percent(totals.answerRate),
});

/** The report as a workbook (.xlsx, no formulas): one sheet per month, agency and user. */
export const exportXlsx = fn(Period, async (period) => {
  const report = await build(period);
  const output = new PassThrough();
  Spreadsheet.writeXlsx(output, [
    {
      name: "Par mois",
      columns: [{ header: "Mois", key: "month", width: 10 }, ...numberColumns],
      rows: [...report.months.map(cells), { ...cells(report.total), month: "Total" }],
    },
    {
      name: "Par agence",
      columns: [{ header: "Agence", key: "name", width: 28 }, ...numberColumns],
      rows: report.agencies.map(cells),
    },
    {
      name: "Par utilisateur",
      columns: [{ header: "Utilisateur", key: "name", width: 28 }, ...numberColumns],
      rows: report.users.map(cells),
    },
  ]).catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return { fileName: `rapport-${period.from}-${period.to}.xlsx`, stream: output as Readable };
});
