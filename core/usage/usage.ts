import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { CompanyEntity } from "../company/company.entity";
import { type TransactItem, write } from "../db";
import { defaultMonthlyCapMillicents } from "./cap";
import { monthOf, monthsUpTo } from "./month";
import { StorageEntity, UsageEntity } from "./usage.entity";

export { monthOf } from "./month";

/** What a usage item counts (see usage.entity.ts); all integers, money in millicents. */
export const counters = [
  "millicents",
  "emailMillicents",
  "smsUnits",
  "smsSent",
  "smsDelivered",
  "smsFailed",
  "emailsSent",
  "emailsDelivered",
  "emailsFailed",
  "imports",
] as const;
export type Counter = (typeof counters)[number];
export type Delta = Partial<Record<Counter, number>>;

const changesOf = (delta: Delta) =>
  Object.fromEntries(Object.entries(delta).filter(([, by]) => by !== undefined && by !== 0)) as Delta;

/**
 * The ADD of `delta` to a company's month, as one write of a transaction (the change it counts goes in
 * the same transaction). Upsert, not update: only it writes the operators' by-month index keys.
 */
export function addWrite(companyId: string, month: string, delta: Delta): TransactItem | undefined {
  const changes = changesOf(delta);
  if (Object.keys(changes).length === 0) return undefined;
  return write.update(UsageEntity.upsert({ companyId, month }).add(changes).params());
}

/** The same ADD on its own, for paths without a transaction of their own (see the callers for why once). */
export async function add(companyId: string, month: string, delta: Delta) {
  const changes = changesOf(delta);
  if (Object.keys(changes).length === 0) return;
  await UsageEntity.upsert({ companyId, month }).add(changes).go({ response: "none" });
}

/** Message facts (core/delivery/status.ts counters) as usage counters of a channel. */
const byFact = {
  sms: { sent: "smsSent", delivered: "smsDelivered", failed: "smsFailed", undeliverable: "smsFailed" },
  email: {
    sent: "emailsSent",
    delivered: "emailsDelivered",
    failed: "emailsFailed",
    undeliverable: "emailsFailed",
  },
} as const satisfies Record<"sms" | "email", Record<string, Counter>>;

/** The usage counter a message fact of a channel moves, if any (replies and opt-outs are not billed). */
export function counterOfFact(channel: "sms" | "email", fact: string): Counter | undefined {
  return (byFact[channel] as Record<string, Counter>)[fact];
}

/**
 * Stored bytes change: the company's total moves by `bytes` in the transaction of the change (`writes`),
 * then the month's item takes the new total. The copy is not atomic with the change; two changes at
 * once may leave the month with the earlier total until the next change, never the company's total.
 */
export function storageWrite(companyId: string, bytes: number, files: number): TransactItem {
  return write.update(StorageEntity.upsert({ companyId }).add({ bytes, files }).params());
}

export async function snapshotStorage(companyId: string, now = new Date()) {
  const { data } = await StorageEntity.get({ companyId }).go({ consistent: true });
  await UsageEntity.upsert({ companyId, month: monthOf(now) })
    .set({ storageBytes: Math.max(0, data?.bytes ?? 0) })
    .go({ response: "none" });
}

export const MonthUsage = z.object({
  month: z.string(),
  smsUnits: z.number().int(),
  smsSent: z.number().int(),
  smsDelivered: z.number().int(),
  smsFailed: z.number().int(),
  emailsSent: z.number().int(),
  emailsDelivered: z.number().int(),
  emailsFailed: z.number().int(),
  /** SMS cost (what the cap counts), emails' cost, and both. */
  smsCostMillicents: z.number().int(),
  emailCostMillicents: z.number().int(),
  costMillicents: z.number().int(),
  imports: z.number().int(),
  storageBytes: z.number().int(),
});
export type MonthUsage = z.infer<typeof MonthUsage>;

type Item = Partial<Record<Counter | "storageBytes", number>> & { month: string };

function toMonth(item: Item | undefined, month: string, storageBytes: number): MonthUsage {
  const n = (value: number | undefined) => Math.max(0, value ?? 0);
  return {
    month,
    smsUnits: n(item?.smsUnits),
    smsSent: n(item?.smsSent),
    smsDelivered: n(item?.smsDelivered),
    smsFailed: n(item?.smsFailed),
    emailsSent: n(item?.emailsSent),
    emailsDelivered: n(item?.emailsDelivered),
    emailsFailed: n(item?.emailsFailed),
    smsCostMillicents: n(item?.millicents),
    emailCostMillicents: n(item?.emailMillicents),
    costMillicents: n(item?.millicents) + n(item?.emailMillicents),
    imports: n(item?.imports),
    storageBytes,
  };
}

/**
 * A company's last `count` months, oldest first: one query. A month without a change of storage shows
 * the total after the last change before it; the current month shows the total now.
 */
export async function months(companyId: string, count = 12, now = new Date()) {
  const last = monthOf(now);
  const wanted = monthsUpTo(last, count);
  const [{ data }, { data: storage }] = await Promise.all([
    UsageEntity.query
      .byCompany({ companyId })
      .between({ month: "0000-00" }, { month: last })
      .go({ pages: "all" }),
    StorageEntity.get({ companyId }).go(),
  ]);
  const byMonth = new Map(data.map((item) => [item.month, item as Item]));
  let stored = 0;
  for (const item of data)
    if (item.month < wanted[0]! && item.storageBytes !== undefined) stored = item.storageBytes;
  return wanted.map((month) => {
    const item = byMonth.get(month);
    if (item?.storageBytes !== undefined) stored = item.storageBytes;
    if (month === last) stored = Math.max(0, storage?.bytes ?? stored);
    return toMonth(item, month, stored);
  });
}

export const CompanyUsage = z.object({
  month: z.string(),
  capMillicents: z.number().int(),
  spentMillicents: z.number().int(),
  /** Share of the cap spent, 0–1 and beyond (a job may overshoot); null without a cap. */
  share: z.number().nullable(),
  months: z.array(MonthUsage),
});

/** « Consommation »: the Admin's own company, this month against its cap and the last 12 months. */
export async function ofMyCompany(now = new Date()): Promise<z.infer<typeof CompanyUsage>> {
  useRole("admin");
  const companyId = useCompanyId();
  const [list, { data: company }] = await Promise.all([
    months(companyId, 12, now),
    CompanyEntity.get({ companyId }).go(),
  ]);
  return summary(list, capOf(company?.smsMonthlyCapMillicents));
}

/** The cap as the send path reads it (core/delivery/settings.ts), its default when none was set. */
export const capOf = (cap: number | undefined) => cap ?? defaultMonthlyCapMillicents;

export function summary(list: MonthUsage[], capMillicents: number) {
  const current = list[list.length - 1]!;
  return {
    month: current.month,
    capMillicents,
    spentMillicents: current.smsCostMillicents,
    share: capMillicents > 0 ? current.smsCostMillicents / capMillicents : null,
    months: list,
  };
}

export const CompanyMonth = MonthUsage.extend({
  companyId: z.string(),
  code: z.string(),
  name: z.string(),
  capMillicents: z.number().int(),
});
export type CompanyMonth = z.infer<typeof CompanyMonth>;

/**
 * Every company's usage in a month, for operators: one query of the by-month index, then the companies
 * by batch. Companies that used nothing that month are left out.
 */
export async function ofMonth(month: string): Promise<CompanyMonth[]> {
  const { data } = await UsageEntity.query.byMonth({ month }).go({ pages: "all" });
  const ids = [...new Set(data.map((item) => item.companyId))];
  const companies = new Map<string, { code: string; name: string; cap?: number }>();
  for (let start = 0; start < ids.length; start += 100) {
    const { data: found, unprocessed } = await CompanyEntity.get(
      ids.slice(start, start + 100).map((companyId) => ({ companyId })),
    ).go();
    for (const left of unprocessed) {
      const { data: company } = await CompanyEntity.get(left).go();
      if (company) found.push(company);
    }
    for (const company of found)
      companies.set(company.companyId, {
        code: company.code,
        name: company.name,
        cap: company.smsMonthlyCapMillicents,
      });
  }
  return data
    .map((item) => {
      const company = companies.get(item.companyId);
      return {
        ...toMonth(item as Item, month, Math.max(0, item.storageBytes ?? 0)),
        companyId: item.companyId,
        code: company?.code ?? "",
        name: company?.name ?? item.companyId,
        capMillicents: capOf(company?.cap),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

/** One company's 12 months for operators (no actor: the operator session guards the route). */
export async function ofCompany(companyId: string, now = new Date()) {
  const { data: company } = await CompanyEntity.get({ companyId }).go();
  if (!company) return undefined;
  const list = await months(companyId, 12, now);
  return {
    companyId,
    code: company.code,
    name: company.name,
    ...summary(list, capOf(company.smsMonthlyCapMillicents)),
  };
}
