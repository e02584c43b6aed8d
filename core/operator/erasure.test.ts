import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { withActor } from "../actor";
import { monthOf } from "../audit/audit.entity";
import { CompanyEntity } from "../company/company.entity";
import { config } from "../config";
import { Contact } from "../contact";
import { documents } from "../platform/clients";
import * as Storage from "../platform/storage";
import { newCompany, type TestCompany } from "../test-helpers";
import { UsageEntity } from "../usage/usage.entity";
import { OperatorAuditEntity } from "./audit";
import { companyFolders, type EraseJob, erase, kept } from "./erasure";

const as = <T>(company: TestCompany, run: () => Promise<T>) =>
  withActor({ type: "system", companyId: company.companyId, reason: "test" }, run);

/** A company with a contact, a month of usage and an object in two folders of each bucket. */
async function populated(name: string) {
  const company = await newCompany(name);
  const admin = {
    type: "user" as const,
    companyId: company.companyId,
    userId: company.admin.userId,
    role: "admin" as const,
    agencyIds: [company.agencies[0]],
    name: "Alice",
  };
  await withActor(admin, () =>
    Contact.create({
      firstName: "Zoé",
      lastName: `Effacement${ulid()}`,
      mobile: `+33612${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
      agencyIds: [company.agencies[0]],
    }),
  );
  await UsageEntity.upsert({ companyId: company.companyId, month: monthOf(new Date()) })
    .add({ smsUnits: 3 })
    .go();
  await Storage.put("vault", `documents/${company.companyId}/doc-1`, "%PDF-1.4", "application/pdf");
  await Storage.put("attachments", `companies/${company.companyId}/logo/a.png`, "png", "image/png");
  await Storage.put("attachments", `imports/users/${company.companyId}/u1`, "csv", "text/csv");
  return company;
}

async function close(company: TestCompany, erasureAt: Date) {
  await CompanyEntity.patch({ companyId: company.companyId })
    .set({ state: "closing", erasureAt: erasureAt.toISOString() })
    .go();
}

/** What the table still holds for a company, by entity. */
async function entitiesOf(companyId: string) {
  const found: string[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(
      new ScanCommand({
        TableName: config("TABLE_NAME"),
        FilterExpression: "companyId = :company",
        ExpressionAttributeValues: { ":company": companyId },
        ExclusiveStartKey: cursor,
      }),
    );
    found.push(...(page.Items ?? []).map((item) => String(item.__edb_e__)));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return found;
}

async function objectsOf(companyId: string) {
  const keys: string[] = [];
  for (const [bucket, prefix] of companyFolders(companyId))
    for await (const page of Storage.keysUnder(bucket, prefix)) keys.push(...page);
  return keys;
}

describe("company erasure", () => {
  it("erases a closed company's items and objects at its date; keeps its row, its usage and the operators' log; touches no other company", async () => {
    const [company, neighbour] = await Promise.all([populated("Fermée"), populated("Voisine")]);
    expect(await entitiesOf(company.companyId)).toEqual(
      expect.arrayContaining(["contact", "user", "agency"]),
    );
    await close(company, new Date(Date.now() - 1000));

    const job: EraseJob = { kind: "company.erase", companyId: company.companyId };
    const result = await as(company, () => erase(job));
    expect(result).toMatchObject({ objects: 3 });

    // The operators' log entry of the erasure names the company.
    expect(new Set(await entitiesOf(company.companyId))).toEqual(
      new Set(["company", "spend", "operatorAudit"]),
    );
    expect(await objectsOf(company.companyId)).toEqual([]);
    const { data: row } = await CompanyEntity.get({ companyId: company.companyId }).go();
    expect(row).toMatchObject({ state: "erased", name: "Fermée" });
    expect(row?.erasedAt).toBeTruthy();
    const log = await OperatorAuditEntity.query
      .byMonth({ log: "operators", month: monthOf(new Date()) })
      .go();
    expect(
      log.data.some((entry) => entry.type === "company.erased" && entry.companyId === company.companyId),
    ).toBe(true);

    // The neighbour keeps everything.
    expect(await entitiesOf(neighbour.companyId)).toEqual(
      expect.arrayContaining(["contact", "user", "agency"]),
    );
    expect(await objectsOf(neighbour.companyId)).toHaveLength(3);

    // A schedule retried after the fact does nothing.
    expect(await as(company, () => erase(job))).toEqual({ skipped: true });
  }, 60_000);

  it("does nothing before the date, nor for a company that is not closing", async () => {
    const company = await populated("Pas encore");
    const job: EraseJob = { kind: "company.erase", companyId: company.companyId };
    expect(await as(company, () => erase(job))).toEqual({ skipped: true });
    await close(company, new Date(Date.now() + 86_400_000));
    expect(await as(company, () => erase(job))).toEqual({ skipped: true });
    expect(await entitiesOf(company.companyId)).toContain("contact");
    expect(await objectsOf(company.companyId)).toHaveLength(3);
  }, 60_000);

  it("hands over to a new job past its time, and the next one finishes", async () => {
    const company = await populated("Relais de fin");
    await close(company, new Date(Date.now() - 1000));
    // Out of time once the objects are gone: the items are left to the next job.
    const first = await as(company, () =>
      erase({ kind: "company.erase", companyId: company.companyId }, { timeLeft: () => 0 }),
    );
    expect(first).toMatchObject({ handedOver: true });
    if (!("next" in first) || !first.next) throw new Error("no next job");
    expect(first.next.objects).toBe(3);
    expect(await entitiesOf(company.companyId)).toContain("contact");
    await as(company, () => erase(first.next));
    expect(await entitiesOf(company.companyId)).not.toContain("contact");
  }, 60_000);

  it("knows every folder where core/ writes a company's objects", () => {
    const root = path.resolve(__dirname, "..");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.includes("fixtures"),
    );
    const listed = companyFolders("C").map(([, prefix]) => prefix);
    const builders = /`([a-z][\w/-]*)\/\$\{(?:companyId|useCompanyId\(\)|company\.companyId)\}\//g;
    const missing: string[] = [];
    for (const file of files)
      for (const match of readFileSync(path.join(root, file), "utf8").matchAll(builders))
        if (!listed.includes(`${match[1]}/C/`)) missing.push(`${file}: ${match[1]}/`);
    expect(missing).toEqual([]);
  });

  it("keeps only entities without personal data", () => {
    expect([...kept].sort()).toEqual(["company", "operatorAudit", "spend"]);
  });
});
