import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { newCompany, type TestCompany } from "../test-helpers";
import { Contact } from ".";
import { ContactEntity, ContactKeyEntity, contactItem, contactKeyItem, contactKeyOf } from "./contact.entity";

let company: TestCompany;
let admin: Actor;
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
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    const { updatedAt, ...expected } = ContactEntity.put(row).params<{ Item: Record<string, unknown> }>()
      .Item;
    const { updatedAt: now, ...actual } = contactItem(row, "2026-02-02T00:00:00.000Z");
    expect(actual).toEqual(expected);
    expect(now).toBe("2026-02-02T00:00:00.000Z");
    const key = { companyId: row.companyId, key: "e:lea@example.fr", contactId: row.contactId };
    expect(contactKeyItem(key)).toEqual(ContactKeyEntity.put(key).params<{ Item: unknown }>().Item);
    // The lookups of an import read keys by this, without ElectroDB.
    expect(contactKeyOf(key)).toEqual(ContactKeyEntity.get(key).params<{ Key: unknown }>().Key);
  });
});
