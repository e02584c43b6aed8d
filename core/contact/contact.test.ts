import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { config } from "../config";
import { documents } from "../platform/clients/dynamo";
import { newCompany, type TestCompany } from "../test-helpers";
import { Contact } from ".";
import {
  bucketOf,
  ContactEntity,
  ContactKeyEntity,
  ContactTokenEntity,
  contactItem,
  contactKey,
  contactKeyItem,
  contactKeyOf,
  tokenItem,
  tokenKey,
} from "./contact.entity";
import { searchPlan, tokensOf } from "./fields";

let company: TestCompany;
let admin: Extract<Actor, { type: "user" }>;
beforeAll(async () => {
  company = await newCompany();
  admin = {
    type: "user",
    companyId: company.companyId,
    userId: company.admin.userId,
    role: "admin",
    agencyIds: [company.agencies[0]],
    name: "Alice",
  };
});
const asAdmin = <T>(run: () => Promise<T>) => withActor(admin, run);

describe("Contact.normalize", () => {
  it("cleans a messy row and flags what it cannot read", () => {
    const { value, issues } = Contact.normalize({
      civility: "Madame",
      firstName: "  Léa ",
      lastName: "Petit",
      email: "LEA.Petit@Example.FR ",
      mobile: "06.12.34.56.78",
      type: "Intérimaire",
      skills: "cariste; soudeur,cariste",
    });
    expect(issues).toEqual([]);
    expect(value).toMatchObject({
      civility: "Mme",
      firstName: "Léa",
      email: "lea.petit@example.fr",
      mobile: "+33612345678",
      smsCapable: true,
      type: "externe",
      skills: ["cariste", "soudeur"],
    });
  });

  it("names each bad field", () => {
    const { issues } = Contact.normalize({
      lastName: "X",
      email: "pas-un-email",
      mobile: "12",
      type: "fournisseur",
    });
    expect(issues.map((issue) => issue.code).sort()).toEqual(
      ["contact.email_invalid", "contact.mobile_invalid", "contact.type_unknown"].sort(),
    );
  });
});

describe("Contact", () => {
  it("merges a second contact with the same number into the first", async () => {
    const first = await asAdmin(() =>
      Contact.create({ lastName: "Durand", mobile: "06 11 22 33 44", agencyIds: [company.agencies[0]] }),
    );
    const second = await asAdmin(() =>
      Contact.create({
        firstName: "Paul",
        lastName: "Durand",
        mobile: "+33611223344",
        email: "paul@example.fr",
        skills: ["cariste"],
        agencyIds: [company.agencies[1]],
      }),
    );
    expect(second.merged).toBe(true);
    expect(second.contact.contactId).toBe(first.contact.contactId);
    expect(second.contact).toMatchObject({
      firstName: "Paul",
      email: "paul@example.fr",
      skills: ["cariste"],
    });
    expect(second.contact.agencyIds).toEqual([...company.agencies].sort());
  });

  it("upserts a batch idempotently: the same rows twice change nothing", async () => {
    const rows = [
      { index: 2, value: Contact.normalize({ lastName: "Martin", mobile: "0622222222" }).value },
      {
        index: 3,
        value: Contact.normalize({ lastName: "Martin", email: "m@example.fr", mobile: "0622222222" }).value,
      },
      { index: 4, value: Contact.normalize({ lastName: "Bernard", email: "b@example.fr" }).value },
    ];
    const first = await asAdmin(() => Contact.upsertBatch(rows, [company.agencies[0]]));
    expect(first.map((outcome) => outcome.result)).toEqual(["created", "updated", "created"]);
    expect(first[0]?.contactId).toBe(first[1]?.contactId);
    const second = await asAdmin(() => Contact.upsertBatch(rows, [company.agencies[0]]));
    expect(second.map((outcome) => outcome.result)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });

  it("counts a line its import wrote before as it did then, and writes that contact again whole", async () => {
    const importId = ulid();
    await asAdmin(() =>
      Contact.create({ lastName: "Roux", mobile: "0634343434", agencyIds: [company.agencies[0]] }),
    );
    const rows = [
      { index: 2, value: Contact.normalize({ lastName: "Garnier", email: "garnier@example.fr" }).value },
      {
        index: 3,
        value: Contact.normalize({ lastName: "Roux", email: "roux@example.fr", mobile: "0634343434" }).value,
      },
    ];
    const first = await asAdmin(() => Contact.upsertBatch(rows, [company.agencies[0]], { importId }));
    expect(first.map((outcome) => outcome.result)).toEqual(["created", "updated"]);
    // As a worker that died half-way through the write leaves it: the new email's key is missing.
    const emailKey = { companyId: company.companyId, key: "e:roux@example.fr" };
    await ContactKeyEntity.delete(emailKey).go();

    const again = await asAdmin(() => Contact.upsertBatch(rows, [company.agencies[0]], { importId }));
    expect(again.map((outcome) => outcome.result)).toEqual(["created", "updated"]);
    expect(again.map((outcome) => outcome.contactId)).toEqual(first.map((outcome) => outcome.contactId));
    expect((await ContactKeyEntity.get(emailKey).go()).data?.contactId).toBe(first[1]?.contactId);
    // Another import finds them as they are.
    const other = await asAdmin(() => Contact.upsertBatch(rows, [company.agencies[0]], { importId: ulid() }));
    expect(other.map((outcome) => outcome.result)).toEqual(["unchanged", "unchanged"]);
  });

  it("finds contacts by name, national number and email", async () => {
    await asAdmin(() =>
      Contact.create({
        firstName: "Jérôme",
        lastName: "Lefèvre",
        mobile: "0633445566",
        agencyIds: [company.agencies[0]],
      }),
    );
    const byName = await asAdmin(() => Contact.search({ query: "jerome lef" }));
    const byNumber = await asAdmin(() => Contact.search({ query: "06 33 44".replace(/ /g, "") }));
    expect(byName.items.map((contact) => contact.lastName)).toContain("Lefèvre");
    expect(byNumber.items.map((contact) => contact.lastName)).toContain("Lefèvre");
  });

  it("finds contacts by a skill shown on their row", async () => {
    await asAdmin(() =>
      Contact.create({
        lastName: "Caristo",
        mobile: "0633445577",
        skills: "Cariste, CACES 3",
        agencyIds: [company.agencies[0]],
      }),
    );
    const found = await asAdmin(() => Contact.search({ query: "cariste" }));
    expect(found.items.map((contact) => contact.lastName)).toContain("Caristo");
  });

  it("erases personal data but keeps the id, and frees the number", async () => {
    const created = await asAdmin(() =>
      Contact.create({ lastName: "Oubli", mobile: "0644556677", agencyIds: [company.agencies[0]] }),
    );
    await asAdmin(() => Contact.erase(created.contact.contactId));
    await expect(asAdmin(() => Contact.fromId(created.contact.contactId))).rejects.toMatchObject({
      status: 404,
    });
    const again = await asAdmin(() =>
      Contact.create({ lastName: "Nouveau", mobile: "0644556677", agencyIds: [company.agencies[0]] }),
    );
    expect(again.merged).toBe(false);
    expect(again.contact.contactId).not.toBe(created.contact.contactId);
  });

  it("keeps an opt-out through a later merge", async () => {
    const created = await asAdmin(() =>
      Contact.create({ lastName: "Stop", mobile: "0655667788", agencyIds: [company.agencies[0]] }),
    );
    await asAdmin(() =>
      Contact.optOut({
        contactId: created.contact.contactId,
        channel: "sms",
        source: "STOP",
        optedOut: true,
      }),
    );
    const merged = await asAdmin(() =>
      Contact.create({
        lastName: "Stop",
        firstName: "Anne",
        mobile: "0655667788",
        agencyIds: [company.agencies[0]],
      }),
    );
    expect(merged.contact.optOut.sms?.source).toBe("STOP");
  });
});

describe("the import's direct item formatting", () => {
  it("writes exactly the items ElectroDB's put would", () => {
    const row = {
      companyId: "01HCOMPANYID0000000000000A",
      contactId: "01HCONTACTID0000000000000B",
      civility: "Mme" as const,
      firstName: "Léa",
      lastName: "Petit",
      email: "lea@example.fr",
      mobile: "+33612345678",
      smsCapable: true,
      type: "externe" as const,
      skills: ["cariste"],
      agencyIds: ["01HAGENCY00000000000000002", "01HAGENCY00000000000000001"],
      customFields: { immat: "AB-123-CD" },
      optOutSmsAt: "2026-01-01T00:00:00.000Z",
      optOutSmsSource: "STOP",
      archived: false,
      searchText: "lea petit",
      importedBy: { importId: "01HIMPORTID00000000000000C", line: 12, created: true },
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    const { updatedAt, ...expected } = ContactEntity.put(row).params<{ Item: Record<string, unknown> }>()
      .Item;
    const { updatedAt: now, ...actual } = contactItem(row, "2026-02-02T00:00:00.000Z");
    expect(actual).toEqual(expected);
    expect(now).toBe("2026-02-02T00:00:00.000Z");
    expect(contactKey(row)).toEqual(ContactEntity.get(row).params<{ Key: unknown }>().Key);
    const token = { ...row, token: "petit", bucket: bucketOf("petit") };
    expect(tokenItem(row, "petit")).toEqual(ContactTokenEntity.put(token).params<{ Item: unknown }>().Item);
    expect(tokenKey(token)).toEqual(ContactTokenEntity.get(token).params<{ Key: unknown }>().Key);
    const key = { companyId: row.companyId, key: "e:lea@example.fr", contactId: row.contactId };
    expect(contactKeyItem(key)).toEqual(ContactKeyEntity.put(key).params<{ Item: unknown }>().Item);
    // The lookups of an import read keys by this, without ElectroDB.
    expect(contactKeyOf(key)).toEqual(ContactKeyEntity.get(key).params<{ Key: unknown }>().Key);
  });
});

describe("search words", () => {
  it("indexes names, email, national number and skills, folded", () => {
    expect(
      tokensOf({
        firstName: "Jean-Hélène",
        lastName: "Lefèvre",
        email: "JH.Lefevre@Example.fr",
        mobile: "+33612345678",
        skills: ["CACES 3", "Soudeur"],
      }).sort(),
    ).toEqual(
      ["jean", "helene", "lefevre", "jh.lefevre@example.fr", "0612345678", "caces", "soudeur"].sort(),
    );
  });

  it("looks up the longest word, a number in national form, an email whole", () => {
    expect(searchPlan("jérôme lef")).toEqual({ indexed: "jerome", others: ["lef"] });
    expect(searchPlan("+33 6 12 34")).toEqual({ indexed: "061234", others: [] });
    expect(searchPlan("06.12")).toEqual({ indexed: "0612", others: [] });
    expect(searchPlan("Lea.P@ex")).toEqual({ indexed: "lea.p@ex", others: [] });
    expect(searchPlan("li")).toEqual({ indexed: undefined, others: ["li"] });
  });
});

/** Items DynamoDB examined (ScannedCount) over the Queries `run` sends: what a request is billed for. */
async function examined<T>(run: () => Promise<T>) {
  const counter = { items: 0 };
  const name = `test-examined-${ulid()}`;
  const stack = documents().middlewareStack;
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      counter.items += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
      return result;
    },
    { step: "initialize", name },
  );
  try {
    return { result: await run(), items: counter.items };
  } finally {
    stack.remove(name);
  }
}

describe("Contacts at scale", () => {
  let large: TestCompany;
  let owner: Actor;
  let agent: Actor;
  const asOwner = <T>(run: () => Promise<T>) => withActor(owner, run);
  const asAgent = <T>(run: () => Promise<T>) => withActor(agent, run);
  const rows = 90;

  beforeAll(async () => {
    large = await newCompany();
    owner = { ...admin, companyId: large.companyId, userId: large.admin.userId };
    agent = { ...owner, userId: ulid(), role: "user", agencyIds: [large.agencies[1]!], name: "Agnès" };
    const values = Array.from({ length: rows }, (_, index) => ({
      index,
      value: Contact.normalize({
        firstName: "Camille",
        lastName: `Martin${index}`,
        mobile: `06${String(10_000_000 + index).padStart(8, "0")}`,
      }).value,
    }));
    await asOwner(() => Contact.upsertBatch(values, [large.agencies[0]!]));
  });

  it("keeps contacts out of the company's partition, which holds its agencies and users", async () => {
    const { Items } = await documents().send(
      new QueryCommand({
        TableName: config("TABLE_NAME"),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `$relais#companyid_${large.companyId}`.toLowerCase() },
      }),
    );
    expect((Items ?? []).filter((item) => item.__edb_e__ === "contact")).toEqual([]);
  });

  it("pages the list newest first by key, reading about one page a page", async () => {
    const first = await examined(() => asOwner(() => Contact.search({ limit: 10 })));
    expect(first.result.items).toHaveLength(10);
    expect(first.items).toBeLessThanOrEqual(30);
    const ids = first.result.items.map((contact) => contact.contactId);
    expect(ids).toEqual([...ids].sort().reverse());
    const seen = new Set(ids);
    let cursor = first.result.cursor;
    let pages = 1;
    while (cursor && pages < 20) {
      const page = await asOwner(() => Contact.search({ limit: 10, cursor }));
      for (const contact of page.items) {
        expect(seen.has(contact.contactId)).toBe(false);
        seen.add(contact.contactId);
      }
      cursor = page.cursor;
      pages++;
    }
    expect(seen.size).toBe(rows);
    expect(pages).toBeLessThanOrEqual(rows / 10 + 1);
  });

  it("refuses a page link it did not make", async () => {
    await expect(asOwner(() => Contact.search({ cursor: "bm90LWEtY3Vyc29y" }))).rejects.toMatchObject({
      status: 400,
    });
  });

  it("searches a rare name reading only the items of its word", async () => {
    await asOwner(() =>
      Contact.create({
        firstName: "Zoé",
        lastName: "Zanzibar",
        mobile: "0799887766",
        agencyIds: [large.agencies[0]!],
      }),
    );
    const found = await examined(() => asOwner(() => Contact.search({ query: "zanzib" })));
    expect(found.result.items.map((contact) => contact.lastName)).toEqual(["Zanzibar"]);
    expect(found.items).toBeLessThanOrEqual(2);
    const byNumber = await asOwner(() => Contact.search({ query: "+33 7 99 88" }));
    expect(byNumber.items.map((contact) => contact.lastName)).toEqual(["Zanzibar"]);
    const twoWords = await asOwner(() => Contact.search({ query: "zoe zanz" }));
    expect(twoWords.items.map((contact) => contact.lastName)).toEqual(["Zanzibar"]);
  });

  it("pages a common word's results without repeating one", async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await asOwner(() => Contact.search({ query: "camille", limit: 25, cursor }));
      for (const contact of page.items) seen.add(contact.contactId);
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.size).toBe(rows);
  });

  it("shows an agency's user only the contacts of their agencies, in the list and in search", async () => {
    const created = await asOwner(() =>
      Contact.create({ lastName: "Visibilis", mobile: "0799887700", agencyIds: [large.agencies[0]!] }),
    );
    expect((await asAgent(() => Contact.search({ query: "visibilis" }))).items).toEqual([]);
    expect((await asAgent(() => Contact.search({}))).items).toEqual([]);
    await asOwner(() =>
      Contact.update({ contactId: created.contact.contactId, agencyIds: [...large.agencies] }),
    );
    const found = await asAgent(() => Contact.search({ query: "visibilis" }));
    expect(found.items.map((contact) => contact.contactId)).toEqual([created.contact.contactId]);
    const listed = await asAgent(() => Contact.search({}));
    expect(listed.items.map((contact) => contact.contactId)).toEqual([created.contact.contactId]);
  });

  it("forgets a contact's old words after a rename, an import merge and an erasure", async () => {
    const created = await asOwner(() =>
      Contact.create({
        firstName: "Alphonse",
        lastName: "Ancien",
        mobile: "0799887711",
        agencyIds: [large.agencies[0]!],
      }),
    );
    const contactId = created.contact.contactId;
    await asOwner(() => Contact.update({ contactId, lastName: "Nouveau" }));
    expect((await asOwner(() => Contact.search({ query: "ancien" }))).items).toEqual([]);
    expect((await asOwner(() => Contact.search({ query: "nouveau" }))).items).toHaveLength(1);
    const merged = Contact.normalize({ lastName: "Importé", mobile: "0799887711" }).value;
    await asOwner(() => Contact.upsertBatch([{ index: 0, value: merged }], [large.agencies[0]!]));
    expect((await asOwner(() => Contact.search({ query: "nouveau" }))).items).toEqual([]);
    expect((await asOwner(() => Contact.search({ query: "importe" }))).items).toHaveLength(1);
    await asOwner(() => Contact.erase(contactId));
    expect((await asOwner(() => Contact.search({ query: "alphonse" }))).items).toEqual([]);
    const { Items } = await documents().send(
      new QueryCommand({
        TableName: config("TABLE_NAME"),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: {
          ":pk": tokenKey({ companyId: large.companyId, contactId, token: "alphonse" }).pk,
        },
      }),
    );
    expect((Items ?? []).filter((item) => item.contactId === contactId)).toEqual([]);
  });

  it("moves an archived contact to the archive, in the list and in search", async () => {
    const created = await asOwner(() =>
      Contact.create({ lastName: "Archivum", mobile: "0799887722", agencyIds: [large.agencies[0]!] }),
    );
    await asOwner(() => Contact.update({ contactId: created.contact.contactId, archived: true }));
    expect((await asOwner(() => Contact.search({ query: "archivum" }))).items).toEqual([]);
    const archive = await asOwner(() => Contact.search({ archived: true }));
    expect(archive.items.map((contact) => contact.lastName)).toContain("Archivum");
    const searched = await asOwner(() => Contact.search({ query: "archivum", archived: true }));
    expect(searched.items).toHaveLength(1);
  });
});
