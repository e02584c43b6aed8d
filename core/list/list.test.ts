import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { Contact } from "../contact";
import { newCompany, type TestCompany } from "../test-helpers";
import * as Fields from "./fields";
import { List } from "./index";
import * as Paste from "./paste";

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

describe("Paste.parse", () => {
  it("separates on tabs, newlines, semicolons and commas, but not on spaces", () => {
    expect(Paste.split("06 12 34 56 78\t0033 6 12 34 56 79\r\n+33 6 12 34 56 80;a@b.fr,,\n\n")).toEqual([
      "06 12 34 56 78",
      "0033 6 12 34 56 79",
      "+33 6 12 34 56 80",
      "a@b.fr",
    ]);
  });

  it("reads mixed French formats and emails, strips the quotes and brackets Excel and mail clients add", () => {
    const parsed = Paste.parse(
      '"06.12.34.56.78"\t6 12 34 56 79\n0612345680;+33 6 12 34 56 81,<Lea@Example.FR>\nmailto:paul@example.fr',
    );
    expect(parsed.rejected).toEqual([]);
    expect(parsed.accepted.map((entry) => entry.key)).toEqual([
      "m:+33612345678",
      "m:+33612345679",
      "m:+33612345680",
      "m:+33612345681",
      "e:lea@example.fr",
      "e:paul@example.fr",
    ]);
  });

  it("collapses repeats of the same number or email, however written", () => {
    const parsed = Paste.parse("06 12 34 56 78;0612345678,+33612345678\nA@B.fr\ta@b.fr;n'importe;n'importe");
    expect(parsed).toMatchObject({ entries: 7, duplicates: 4 });
    expect(parsed.accepted).toHaveLength(2);
    expect(parsed.rejected).toHaveLength(1);
  });

  it("gives every rejected entry its position and reason", () => {
    const parsed = Paste.parse("Jean Dupont;06 12;01 42 68 53 00;jean@;x".concat("@y.fr".repeat(60)));
    expect(parsed.rejected.map(({ position, code }) => ({ position, code }))).toEqual([
      { position: 1, code: "paste.unrecognised" },
      { position: 2, code: "paste.phone_invalid" },
      { position: 3, code: "paste.not_mobile" },
      { position: 4, code: "paste.email_invalid" },
      { position: 5, code: "paste.too_long" },
    ]);
  });
});

describe("Fields.plan", () => {
  it("gives new fields fresh ids and keeps the ids of renamed ones", () => {
    const first = Fields.fromNames(["date_rdv", "immat"]);
    expect(first.fields).toEqual([
      { id: "f1", name: "date_rdv" },
      { id: "f2", name: "immat" },
    ]);
    const second = Fields.plan(first.fields, [{ id: "f2", name: "plaque" }, { name: "lieu" }], first.seq);
    expect(second.fields).toEqual([
      { id: "f2", name: "plaque" },
      { id: "f3", name: "lieu" },
    ]);
  });

  it("refuses unknown ids, ids twice, and names that clash ignoring case and accents", () => {
    const { fields, seq } = Fields.fromNames(["lieu"]);
    expect(() => Fields.plan(fields, [{ id: "f9", name: "x" }], seq)).toThrow(/Unknown field f9/);
    expect(() =>
      Fields.plan(
        fields,
        [
          { id: "f1", name: "a" },
          { id: "f1", name: "b" },
        ],
        seq,
      ),
    ).toThrow(/twice/);
    expect(() => Fields.fromNames(["Été", "ete"])).toThrow(/appears twice/);
    expect(() => Fields.fromNames(["Email"])).toThrow(/global variable/);
  });

  it("maps values by name to ids, refusing unknown names", () => {
    const { fields } = Fields.fromNames(["date_rdv"]);
    expect(Fields.toIds(fields, { "Date_RDV ": " 12/03 " })).toEqual({ f1: "12/03" });
    expect(Fields.toIds(fields, { date_rdv: "" })).toEqual({ f1: null });
    expect(() => Fields.toIds(fields, { km: "1" })).toThrow(/km/);
  });
});

describe("List.addMembers", () => {
  it("adds thousands of members in batches, keeping the count and the values", async () => {
    const outcome = await asAdmin(async () => {
      const list = (
        await List.create({ name: "Gros volume", agencyId: company.agencies[0], fields: ["rang"] })
      ).list;
      const rows = Array.from({ length: 1_200 }, (_, index) => ({
        index,
        value: {
          email: `vol-${index}-${ulid().toLowerCase()}@example.fr`,
          smsCapable: false,
        } as Contact.Normalized,
      }));
      const outcomes = await Contact.upsertBatch(rows, [company.agencies[0]]);
      const members = outcomes.map((row) => ({
        contactId: row.contactId!,
        fields: { rang: String(row.index) },
      }));
      const first = await List.addMembers(list.listId, members.slice(0, 700));
      const second = await List.addMembers(list.listId, [
        ...members.slice(600),
        { contactId: "01NOTACONTACT0000000000000" },
      ]);
      let seen = 0;
      let valuesRight = true;
      const byContact = new Map(members.map((member) => [member.contactId, member.fields.rang]));
      for await (const page of List.memberPages(list.listId)) {
        seen += page.length;
        valuesRight &&= page.every((member) => member.fields.rang === byContact.get(member.contactId));
      }
      return { first, second, seen, valuesRight, list: await List.fromId(list.listId) };
    });
    expect(outcome.first).toEqual({ added: 700, updated: 0, unchanged: 0, notFound: [] });
    expect(outcome.second).toEqual({
      added: 500,
      updated: 0,
      unchanged: 100,
      notFound: ["01NOTACONTACT0000000000000"],
    });
    expect(outcome.seen).toBe(1_200);
    expect(outcome.valuesRight).toBe(true);
    expect(outcome.list.memberCount).toBe(1_200);
  });

  it("refuses values for a field the list does not have, writing nothing", async () => {
    await asAdmin(async () => {
      const list = (await List.create({ name: "Champs", agencyId: company.agencies[0], fields: ["lieu"] }))
        .list;
      const contact = await Contact.create({
        lastName: "Champ",
        email: `champ-${ulid()}@example.fr`,
        agencyIds: [company.agencies[0]],
      });
      await expect(
        List.addMembers(list.listId, [{ contactId: contact.contact.contactId, fields: { inconnu: "x" } }]),
      ).rejects.toThrow(/inconnu/);
      expect((await List.fromId(list.listId)).memberCount).toBe(0);
    });
  });

  it("works for a worker acting as the system, and forgetContact takes a contact out of every list", async () => {
    const result = await withActor(
      { type: "system", companyId: company.companyId, reason: "import" },
      async () => {
        const contact = await asAdmin(() =>
          Contact.create({
            lastName: "Oubli",
            email: `oubli-${ulid()}@example.fr`,
            agencyIds: [company.agencies[1]],
          }),
        );
        const lists = await asAdmin(() =>
          Promise.all(
            [1, 2].map((index) => List.create({ name: `Oubli ${index}`, agencyId: company.agencies[0] })),
          ),
        );
        for (const { list } of lists)
          await List.addMembers(list.listId, [{ contactId: contact.contact.contactId }]);
        const before = await Promise.all(lists.map(({ list }) => List.fromId(list.listId)));
        const forgotten = await List.forgetContact(contact.contact.contactId);
        const after = await Promise.all(lists.map(({ list }) => List.fromId(list.listId)));
        return { before, forgotten, after };
      },
    );
    expect(result.before.map((list) => list.memberCount)).toEqual([1, 1]);
    expect(result.forgotten).toEqual({ lists: 2 });
    expect(result.after.map((list) => list.memberCount)).toEqual([0, 0]);
  });
});
