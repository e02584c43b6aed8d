import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity, monthOf } from "../../core/audit/audit.entity";
import { CompanyEntity } from "../../core/company/company.entity";
import { type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

/** The audit log's month partitions read through the API: newest first, across months, one company only. */
type Page = { items: Array<{ auditId: string; at: string; type: string }>; cursor?: string };

const day = 86_400_000;
const startOfMonth = (() => {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
})();
/** Noon UTC on the given day of the month before this one. */
const lastMonth = (dayOfMonth: number) => {
  const month = new Date(startOfMonth - day);
  return Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), dayOfMonth, 12);
};
const parisDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The company has existed for four months, so the walk may go back that far. */
async function agedCompany(): Promise<TestCompany> {
  const company = await newCompany();
  const { data } = await CompanyEntity.get({ companyId: company.companyId }).go();
  if (!data) throw new Error("company not found");
  await CompanyEntity.put({ ...data, createdAt: new Date(startOfMonth - 4 * 31 * day).toISOString() }).go();
  return company;
}

/** Entries written straight through the entity, at chosen times, with ULIDs of those times. */
async function write(company: TestCompany, times: number[]) {
  const ids: string[] = [];
  for (const time of times) {
    const at = new Date(time);
    const auditId = ulid(time);
    await AuditEntity.put({
      companyId: company.companyId,
      month: monthOf(at),
      auditId,
      type: "list.exported",
      at: at.toISOString(),
      targetType: "list",
      targetId: ulid(),
      targetLabel: "Intérimaires Lyon",
      details: { members: 3 },
    }).go();
    ids.push(auditId);
  }
  return ids;
}

async function all(client: Browser, query: string) {
  const seen: string[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const response = await client.get(
      `/api/audit?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(response.status).toBe(200);
    const page = response.body as Page;
    pages.push(page.items.length);
    seen.push(...page.items.map((item) => item.auditId));
    cursor = page.cursor;
  } while (cursor && pages.length < 20);
  return { seen, pages };
}

let a: TestCompany;
let b: TestCompany;
let asA: Browser;
let asB: Browser;
/** A's entries, newest first: three this month, none the month before last, three last month, one before. */
let mine: string[];
let theirs: string[];
const now = Date.now();
const times = [now - 1000, now - 2000, now - 3000, lastMonth(14), lastMonth(12), lastMonth(10)];
const older = new Date(startOfMonth - 3 * 31 * day + 5 * day).getTime();

beforeAll(async () => {
  [a, b] = await Promise.all([agedCompany(), agedCompany()]);
  mine = await write(a, [...times, older]);
  theirs = await write(b, [...times, older]);
  [asA, asB] = await Promise.all([loggedIn(a, a.admin.email), loggedIn(b, b.admin.email)]);
});

describe("audit log in month partitions", () => {
  it("lists entries of several months newest first, two at a time across the month boundaries", async () => {
    const { seen, pages } = await all(asA, "type=list.exported&limit=2");
    expect(seen).toEqual(mine);
    expect(pages.slice(0, 3)).toEqual([2, 2, 2]);
  });

  it("lists every type newest first in one page, this month's sign-in before last month's entries", async () => {
    const response = await asA.get("/api/audit");
    const items = (response.body as Page).items;
    expect(items[0]?.type).toBe("auth.login");
    expect(items.filter((item) => item.type === "list.exported").map((item) => item.auditId)).toEqual(mine);
    const ats = items.map((item) => item.at);
    expect(ats).toEqual([...ats].sort().reverse());
  });

  it("never shows another company's entries, even through that company's cursor", async () => {
    const ofA = await all(asA, "limit=3");
    expect(ofA.seen.some((id) => theirs.includes(id))).toBe(false);
    const ofB = await all(asB, "type=list.exported&limit=4");
    expect(ofB.seen).toEqual(theirs);

    const first = (await asA.get("/api/audit?type=list.exported&limit=4")).body as Page;
    expect(first.cursor).toBeDefined();
    const replayed = await asB.get(
      `/api/audit?type=list.exported&limit=4&cursor=${encodeURIComponent(first.cursor ?? "")}`,
    );
    expect(replayed.status).toBe(200);
    const ids = (replayed.body as Page).items.map((item) => item.auditId);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => theirs.includes(id))).toBe(true);
  });

  it("keeps to the days asked for, walking back from the `to` day's month", async () => {
    const { seen } = await all(
      asA,
      `type=list.exported&limit=1&from=${parisDay(lastMonth(12))}&to=${parisDay(lastMonth(14))}`,
    );
    expect(seen).toEqual(mine.slice(3, 5));
  });

  it("refuses a start after the end, and a cursor it did not make", async () => {
    const backwards = await asA.get(`/api/audit?from=${parisDay(now)}&to=${parisDay(lastMonth(10))}`);
    expect(backwards.status).toBe(400);
    const forged = await asA.get(`/api/audit?cursor=${Buffer.from('{"month":"x"}').toString("base64url")}`);
    expect(forged.status).toBe(400);
    expect(JSON.stringify(forged.body)).toContain("no longer valid");
  });
});
