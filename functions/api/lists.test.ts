import ExcelJS from "exceljs";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { ContactEntity } from "../../core/contact/contact.entity";
import { app } from "./index";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

/** Distribution lists through the API: paste, fields, visibility, clean, duplicate, delete, export, health. */
type ListInfo = {
  listId: string;
  name: string;
  memberCount: number;
  fields: Array<{ id: string; name: string }>;
  fieldsVersion: number;
};
type MemberInfo = {
  contactId: string;
  fields: Record<string, string>;
  contact: { lastName?: string; mobile?: string; email?: string; type: string } | null;
};

let company: TestCompany;
let admin: Browser;
let lyon: string;
let grenoble: string;

beforeAll(async () => {
  company = await newCompany();
  [lyon, grenoble] = company.agencies;
  admin = await loggedIn(company, company.admin.email);
});

let numbers = 0;
/** A fresh valid French mobile (075…) for each contact, so tests never merge into each other's contacts. */
const mobile = () => `075${String((Date.now() * 100 + numbers++) % 10_000_000).padStart(7, "0")}`;

async function contact(fields: Record<string, unknown>, client = admin) {
  const response = await client.post("/api/contacts", { agencyIds: [lyon], ...fields });
  expect(response.status).toBe(201);
  return (response.body.contact as { contactId: string }).contactId;
}

async function newList(body: Record<string, unknown> = {}, client = admin) {
  const response = await client.post("/api/lists", { name: `Liste ${ulid()}`, agencyId: lyon, ...body });
  expect(response.status).toBe(201);
  return response.body as {
    list: ListInfo;
    paste?: Record<string, unknown>;
    added?: Record<string, unknown>;
  };
}

async function allMembers(listId: string, client = admin) {
  const response = await client.get(`/api/lists/${listId}/members?limit=500`);
  expect(response.status).toBe(200);
  return response.body.items as MemberInfo[];
}

/** Contacts normally cannot share a number; one born of a race (two imports at once) can. */
async function racedTwin(mobileNumber: string, lastName: string) {
  const contactId = ulid();
  const now = new Date().toISOString();
  await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
    ContactEntity.put({
      companyId: company.companyId,
      contactId,
      lastName,
      mobile: mobileNumber,
      smsCapable: true,
      type: "externe",
      agencyIds: [lyon],
      archived: false,
      createdAt: now,
      updatedAt: now,
    }).go(),
  );
  return contactId;
}

describe("creating a list by pasting from Excel", () => {
  it("splits on tabs, newlines, ; and , and reads every French format", async () => {
    const { list, paste } = await newList({
      paste:
        "06 12 34 56 78\t+33612345679;0033 6 12 34 56 80,6 12 34 56 81\nlea.paste@example.fr\r\n0690 12 34 56",
    });
    expect(paste).toMatchObject({ entries: 6, valid: 6, duplicates: 0, invalid: [], added: 6 });
    const members = await allMembers(list.listId);
    expect(members.map((member) => member.contact?.mobile ?? member.contact?.email).sort()).toEqual(
      [
        "+33612345678",
        "+33612345679",
        "+33612345680",
        "+33612345681",
        "+590690123456",
        "lea.paste@example.fr",
      ].sort(),
    );
    expect(list.memberCount).toBe(6);
  });

  it("reports every invalid entry with its position and reason", async () => {
    const { paste, list } = await newList({
      paste: "06 11 11 11 11;pas-un-numero;12345\n01 42 68 53 00,foo@bar;07 52 22 22 22",
    });
    expect(paste?.invalid).toEqual([
      { entry: "pas-un-numero", position: 2, code: "paste.unrecognised", message: expect.any(String) },
      { entry: "12345", position: 3, code: "paste.phone_invalid", message: "Invalid phone number" },
      {
        entry: "01 42 68 53 00",
        position: 4,
        code: "paste.not_mobile",
        message: expect.stringMatching(/SMS/),
      },
      { entry: "foo@bar", position: 5, code: "paste.email_invalid", message: "Invalid email address" },
    ]);
    expect(paste).toMatchObject({ entries: 6, valid: 2, added: 2 });
    expect(list.memberCount).toBe(2);
  });

  it("collapses duplicates written differently into one member", async () => {
    const { paste, list } = await newList({
      paste: "06 33 33 33 33\n06.33.33.33.33\n+33633333333\t0033633333333;Dup@Example.fr,dup@example.fr",
    });
    expect(paste).toMatchObject({ entries: 6, valid: 2, duplicates: 4, invalid: [], added: 2 });
    expect(list.memberCount).toBe(2);
  });

  it("adds the existing contact with that number, keeping its type, and counts members already there", async () => {
    const number = mobile();
    const contactId = await contact({ lastName: "Salarié", mobile: number, type: "interne" });
    const { list } = await newList();
    const spaced = number.replace(/(\d\d)(?=\d)/g, "$1 ");
    const first = await admin.post(`/api/lists/${list.listId}/paste`, { text: spaced });
    expect(first.body.report).toMatchObject({ contactsCreated: 0, added: 1, alreadyMembers: 0 });
    const again = await admin.post(`/api/lists/${list.listId}/paste`, { text: number });
    expect(again.body.report).toMatchObject({ added: 0, alreadyMembers: 1 });
    expect(again.body.list).toMatchObject({ memberCount: 1 });
    const members = await allMembers(list.listId);
    expect(members).toMatchObject([{ contactId, contact: { lastName: "Salarié", type: "interne" } }]);
  });

  it("makes new contacts members of the list's agency", async () => {
    const { list } = await newList({ agencyId: grenoble, paste: "nouveau.grenoble@example.fr" });
    const [member] = await allMembers(list.listId);
    const created = await admin.get(`/api/contacts/${member?.contactId}`);
    expect(created.body.contact).toMatchObject({
      email: "nouveau.grenoble@example.fr",
      agencyIds: [grenoble],
      type: "externe",
    });
  });
});

describe("pasting Excel columns", () => {
  type Column = { header: string | null; target: string; field?: string; reason?: string };
  const national = (e164: string) => `0${e164.slice(3)}`;

  it("fills the members' fields from a block with a header, which a campaign to the list then uses", async () => {
    const [first, second] = [mobile(), mobile()];
    const block = `Mobile\tDate RDV\tImmat\n${first}\t12/03/2027 09:00\tAB-123-CD\n${second}\t13/03/2027 14:30\tEF-456-GH\n`;
    const preview = await admin.post("/api/lists/paste-preview", { text: block, fields: ["Date_RDV"] });
    expect(preview.status).toBe(200);
    const columns = (preview.body.preview as { columns: Column[] }).columns;
    expect(columns.map(({ header, target, field }) => ({ header, target, field }))).toEqual([
      { header: "Mobile", target: "mobile", field: undefined },
      { header: "Date RDV", target: "field", field: "Date_RDV" },
      { header: "Immat", target: "ignored", field: undefined },
    ]);

    const { list, paste } = await newList({ fields: ["Date_RDV"], paste: block });
    expect(paste).toMatchObject({
      layout: "rows",
      header: true,
      entries: 2,
      valid: 2,
      added: 2,
      invalid: [],
    });
    // Creating a list, a header no field matches becomes a field.
    expect(list.fields.map((field) => field.name)).toEqual(["Date_RDV", "immat"]);
    const members = await allMembers(list.listId);
    expect(
      members
        .map((member) => ({ mobile: national(member.contact?.mobile ?? ""), ...member.fields }))
        .sort((a, b) => a.mobile.localeCompare(b.mobile)),
    ).toEqual(
      [
        { mobile: first, Date_RDV: "12/03/2027 09:00", immat: "AB-123-CD" },
        { mobile: second, Date_RDV: "13/03/2027 14:30", immat: "EF-456-GH" },
      ].sort((a, b) => a.mobile.localeCompare(b.mobile)),
    );

    const campaign = await admin.post("/api/campaigns/preview", {
      kind: "info",
      smsBody: "RDV le %Date_RDV% pour %immat%",
      recipients: { listIds: [list.listId] },
    });
    expect(campaign.status).toBe(200);
    expect((campaign.body.recipients as Array<{ text: string }>).map((row) => row.text).sort()).toEqual([
      "RDV le 12/03/2027 09:00 pour AB-123-CD",
      "RDV le 13/03/2027 14:30 pour EF-456-GH",
    ]);
  });

  it("adds columns without a header to an existing list by position, refusing bad lines whole", async () => {
    const { list } = await newList({ fields: ["date_rdv", "lieu"] });
    const good = mobile();
    const response = await admin.post(`/api/lists/${list.listId}/paste`, {
      text: `12/03;${good};Lyon\n13/03;06 12;Grenoble\n`,
    });
    expect(response.status).toBe(200);
    const report = response.body.report as {
      invalid: Array<{ position: number; code: string }>;
      added: number;
    };
    expect(report.added).toBe(1);
    expect(report.invalid.map(({ position, code }) => ({ position, code }))).toEqual([
      { position: 2, code: "paste.phone_invalid" },
    ]);
    const members = await allMembers(list.listId);
    expect(members.map((member) => member.fields)).toEqual([{ date_rdv: "12/03", lieu: "Lyon" }]);
  });
});

describe("custom fields", () => {
  const names = (count: number) => Array.from({ length: count }, (_, index) => `champ_${index + 1}`);

  it("accepts 15 fields and refuses a 16th", async () => {
    const { list } = await newList({ fields: names(15) });
    expect(list.fields).toHaveLength(15);
    const refused = await admin.post("/api/lists", { name: "Trop", agencyId: lyon, fields: names(16) });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: "list.fields_invalid",
      message: expect.stringMatching(/15/),
    });
    const added = await admin.patch(`/api/lists/${list.listId}`, {
      fields: [...list.fields, { name: "seizieme" }],
    });
    expect(added.status).toBe(400);
  });

  it("refuses bad names, naming each one", async () => {
    const refused = await admin.post("/api/lists", {
      name: "Noms",
      agencyId: lyon,
      fields: ["date rdv", "", "x".repeat(31), "immat", "IMMAT", "prénom", "a-b"],
    });
    expect(refused.status).toBe(400);
    const paths = (refused.body.error as unknown as { fields: Array<{ path: string }> }).fields.map(
      (field) => field.path,
    );
    expect(paths).toEqual([
      "fields.0.name",
      "fields.1.name",
      "fields.2.name",
      "fields.4.name",
      "fields.5.name",
      "fields.6.name",
    ]);
  });

  it("renames, adds and removes fields; members' values follow the rename", async () => {
    const contactId = await contact({ lastName: "Valeurs", mobile: mobile() });
    const { list } = await newList({ fields: ["date_rdv", "immat"] });
    const added = await admin.post(`/api/lists/${list.listId}/members`, {
      members: [{ contactId, fields: { DATE_RDV: "12/03/2026", immat: "AB-123-CD" } }],
    });
    expect(added.body.result).toMatchObject({ added: 1 });
    const [dateRdv] = list.fields;
    const edited = await admin.patch(`/api/lists/${list.listId}`, {
      name: "Renommée",
      fieldsVersion: list.fieldsVersion,
      fields: [{ id: dateRdv?.id, name: "rdv" }, { name: "lieu" }],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.list).toMatchObject({ name: "Renommée", fields: [{ name: "rdv" }, { name: "lieu" }] });
    // Someone still holding the old fields cannot overwrite the edit.
    const stale = await admin.patch(`/api/lists/${list.listId}`, {
      fields: [...list.fields, { name: "km" }],
      fieldsVersion: list.fieldsVersion,
    });
    expect(stale.status).toBe(409);
    expect((await admin.patch(`/api/lists/${list.listId}`, {})).status).toBe(200);
    expect((await allMembers(list.listId))[0]?.fields).toEqual({ rdv: "12/03/2026" });
    // A field added back under an old name starts empty: the removed one's values stay gone.
    const readded = await admin.patch(`/api/lists/${list.listId}`, {
      fields: [...(edited.body.list as ListInfo).fields, { name: "immat" }],
    });
    expect(readded.status).toBe(200);
    expect((await allMembers(list.listId))[0]?.fields).toEqual({ rdv: "12/03/2026" });
  });

  it("edits a member's values by field name, refusing unknown fields and non-members", async () => {
    const contactId = await contact({ lastName: "Membre", mobile: mobile() });
    const outsider = await contact({ lastName: "Dehors", mobile: mobile() });
    const { list } = await newList({ fields: ["immat", "lieu"], contactIds: [contactId] });
    const set = await admin.patch(`/api/lists/${list.listId}/members/${contactId}`, {
      fields: { immat: "AB-123-CD", lieu: "Lyon" },
    });
    expect(set.body.member).toMatchObject({ contactId, fields: { immat: "AB-123-CD", lieu: "Lyon" } });
    const cleared = await admin.patch(`/api/lists/${list.listId}/members/${contactId}`, {
      fields: { lieu: null },
    });
    expect(cleared.body.member).toMatchObject({ fields: { immat: "AB-123-CD" } });
    expect((cleared.body.member as MemberInfo).fields).not.toHaveProperty("lieu");
    const unknown = await admin.patch(`/api/lists/${list.listId}/members/${contactId}`, {
      fields: { km: "1" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.code).toBe("list.field_unknown");
    const stranger = await admin.patch(`/api/lists/${list.listId}/members/${outsider}`, {
      fields: { lieu: "x" },
    });
    expect(stranger.status).toBe(404);
  });
});

describe("visibility", () => {
  it("hides a list from a User of another agency, and shows it to a User of its agency", async () => {
    const { list } = await newList({ paste: "visible@example.fr" });
    const outsider = await loggedIn(company, (await addUser(company, "user", [grenoble])).email);
    const insider = await loggedIn(company, (await addUser(company, "user", [lyon])).email);
    for (const response of [
      await outsider.get(`/api/lists/${list.listId}`),
      await outsider.get(`/api/lists/${list.listId}/members`),
      await outsider.get(`/api/lists/${list.listId}/health`),
      await outsider.patch(`/api/lists/${list.listId}`, { name: "Pirate" }),
      await outsider.post(`/api/lists/${list.listId}/paste`, { text: "pirate@example.fr" }),
      await outsider.request("DELETE", `/api/lists/${list.listId}`, { confirm: true }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error?.code).toBe("list.not_found");
    }
    const theirs = await outsider.get("/api/lists?limit=200");
    expect((theirs.body.items as ListInfo[]).map((item) => item.listId)).not.toContain(list.listId);
    expect((await insider.get(`/api/lists/${list.listId}`)).status).toBe(200);
    const mine = await insider.get("/api/lists?limit=200");
    expect((mine.body.items as ListInfo[]).map((item) => item.listId)).toContain(list.listId);
  });

  it("lets a User create lists only in their agencies, with contacts they may see", async () => {
    const user = await loggedIn(company, (await addUser(company, "user", [lyon])).email);
    const refused = await user.post("/api/lists", { name: "Ailleurs", agencyId: grenoble });
    expect(refused.status).toBe(403);
    const foreign = await contact({ lastName: "Grenoblois", mobile: mobile(), agencyIds: [grenoble] });
    const local = await contact({ lastName: "Lyonnais", mobile: mobile() });
    const { added, list } = await newList({ contactIds: [foreign, local] }, user);
    expect(added).toEqual({ added: 1, updated: 0, unchanged: 0, notFound: [foreign] });
    expect(list.memberCount).toBe(1);
  });

  it("hides a member whose contact moved to an agency the reader does not see, and does not send to it", async () => {
    const user = await loggedIn(company, (await addUser(company, "user", [lyon])).email);
    const moving = await contact({ firstName: "Nora", lastName: "Partie", mobile: mobile() });
    const staying = await contact({ firstName: "Rémi", lastName: "Resté", mobile: mobile() });
    const { list } = await newList({ contactIds: [moving, staying], fields: ["Poste"] }, user);
    expect(
      (await admin.patch(`/api/contacts/${moving}`, { agencyIds: [grenoble] })).status,
      "the contact leaves Lyon",
    ).toBe(200);
    const members = await allMembers(list.listId, user);
    const gone = members.find((member) => member.contactId === moving) as Record<string, unknown>;
    expect(gone).toMatchObject({ hidden: true, contact: null, fields: {} });
    expect(JSON.stringify(members)).not.toContain("Partie");
    // The admin still sees it.
    expect(JSON.stringify(await allMembers(list.listId))).toContain("Partie");
    const preview = await user.post("/api/campaigns/preview", {
      kind: "info",
      smsBody: "Info",
      recipients: { listIds: [list.listId] },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(JSON.stringify(preview.body)).not.toContain("Partie");
    expect((preview.body.totals as { recipients: number }).recipients).toBe(1);
  });

  it("finds lists by name, whatever the case and accents", async () => {
    const marker = ulid();
    const { list } = await newList({ name: `Relance Été ${marker}` });
    const found = await admin.get(
      `/api/lists?query=${encodeURIComponent(`relance ete ${marker.toLowerCase()}`)}`,
    );
    expect((found.body.items as ListInfo[]).map((item) => item.listId)).toEqual([list.listId]);
  });
});

describe("members", () => {
  it("pages members with a cursor and removes them one or several at a time", async () => {
    const ids = await Promise.all(
      [1, 2, 3, 4, 5].map((index) => contact({ lastName: `P${index}`, mobile: mobile() })),
    );
    const { list } = await newList({ contactIds: ids });
    const first = await admin.get(`/api/lists/${list.listId}/members?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await admin.get(
      `/api/lists/${list.listId}/members?limit=10&cursor=${encodeURIComponent(String(first.body.cursor))}`,
    );
    const seen = [...(first.body.items as MemberInfo[]), ...(second.body.items as MemberInfo[])];
    const garbled = await admin.get(`/api/lists/${list.listId}/members?cursor=garbage`);
    expect(garbled.status).toBe(400);
    expect(garbled.body.error?.code).toBe("request.cursor_invalid");
    expect(seen.map((member) => member.contactId).sort()).toEqual([...ids].sort());

    expect((await admin.delete(`/api/lists/${list.listId}/members/${ids[0]}`)).status).toBe(204);
    expect((await admin.delete(`/api/lists/${list.listId}/members/${ids[0]}`)).status).toBe(404);
    const removed = await admin.post(`/api/lists/${list.listId}/members/remove`, {
      contactIds: [ids[1], ids[2], ids[0]],
    });
    expect(removed.body).toMatchObject({ removed: 2, list: { memberCount: 2 } });
    expect((await allMembers(list.listId)).map((member) => member.contactId).sort()).toEqual(
      [ids[3], ids[4]].sort(),
    );
  });
});

describe("cleaning a list", () => {
  async function messyList() {
    const shared = mobile();
    const ids = {
      valid: await contact({ lastName: "Valide", mobile: mobile() }),
      emailOnly: await contact({ lastName: "Courriel", email: `c-${ulid().toLowerCase()}@example.fr` }),
      landline: await contact({ lastName: "Fixe", mobile: "01 42 68 53 00" }),
      erased: await contact({ lastName: "Effacé", mobile: mobile() }),
      stopped: await contact({ lastName: "Stop", mobile: mobile() }),
      stoppedWithEmail: await contact({
        lastName: "StopMaisEmail",
        mobile: mobile(),
        email: `s-${ulid().toLowerCase()}@example.fr`,
      }),
      original: await contact({ lastName: "Original", mobile: shared }),
      twin: await racedTwin(`+33${shared.slice(1)}`, "Jumeau"),
    };
    await admin.post(`/api/contacts/${ids.stopped}/opt-out`, { channel: "sms", optedOut: true });
    await admin.post(`/api/contacts/${ids.stoppedWithEmail}/opt-out`, { channel: "sms", optedOut: true });
    const { list } = await newList({ contactIds: Object.values(ids) });
    expect(list.memberCount).toBe(8);
    // GDPR erasure takes the contact out of every list.
    await admin.delete(`/api/contacts/${ids.erased}`);
    expect((await allMembers(list.listId)).map((member) => member.contactId)).not.toContain(ids.erased);
    return { ids, list };
  }

  it("previews invalid, opted-out and duplicate members, then removes exactly those", async () => {
    const { ids, list } = await messyList();
    const preview = await admin.get(`/api/lists/${list.listId}/clean`);
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ invalid: 1, optedOut: 1, duplicates: 1, total: 3 });
    const members = preview.body.members as Record<string, MemberInfo[]>;
    expect(members.invalid?.map((member) => member.contactId)).toEqual([ids.landline]);
    expect(members.optedOut?.map((member) => member.contactId)).toEqual([ids.stopped]);
    // The later of two contacts with the same number is the duplicate.
    expect(members.duplicates?.map((member) => member.contactId)).toEqual([ids.twin]);
    // The preview removed nothing.
    expect((await admin.get(`/api/lists/${list.listId}`)).body.list).toMatchObject({ memberCount: 7 });

    const confirmed = await admin.post(`/api/lists/${list.listId}/clean`, { token: preview.body.token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      removed: { invalid: 1, optedOut: 1, duplicates: 1 },
      list: { memberCount: 4 },
    });
    expect((await allMembers(list.listId)).map((member) => member.contactId).sort()).toEqual(
      [ids.valid, ids.emailOnly, ids.stoppedWithEmail, ids.original].sort(),
    );
  });

  it("removes only the chosen categories", async () => {
    const { ids, list } = await messyList();
    const preview = await admin.get(`/api/lists/${list.listId}/clean`);
    const confirmed = await admin.post(`/api/lists/${list.listId}/clean`, {
      token: preview.body.token,
      categories: ["optedOut"],
    });
    expect(confirmed.body).toMatchObject({ removed: { invalid: 0, optedOut: 1, duplicates: 0 } });
    const left = (await allMembers(list.listId)).map((member) => member.contactId);
    expect(left).not.toContain(ids.stopped);
    expect(left).toHaveLength(6);
  });

  it("removes nothing when the list changed since the preview", async () => {
    const { ids, list } = await messyList();
    const preview = await admin.get(`/api/lists/${list.listId}/clean`);
    await admin.post(`/api/contacts/${ids.valid}/opt-out`, { channel: "sms", optedOut: true });
    const confirmed = await admin.post(`/api/lists/${list.listId}/clean`, { token: preview.body.token });
    expect(confirmed.status).toBe(409);
    expect(confirmed.body.error?.code).toBe("list.clean_changed");
    expect(await allMembers(list.listId)).toHaveLength(7);
    const forged = await admin.post(`/api/lists/${list.listId}/clean`, { token: "forged" });
    expect(forged.status).toBe(409);
  });

  it("sums up the list's health", async () => {
    const { list } = await messyList();
    const health = await admin.get(`/api/lists/${list.listId}/health`);
    expect(health.body.health).toEqual({
      total: 7,
      valid: 6,
      invalid: 1,
      optedOut: { sms: 2, email: 0 },
      duplicates: 1,
      // valid, original, twin: an SMS-capable mobile and no STOP.
      smsCapable: 3,
      // emailOnly, stoppedWithEmail.
      emailCapable: 2,
    });
  });

  it("logs the clean in the audit log", async () => {
    const { list } = await messyList();
    const preview = await admin.get(`/api/lists/${list.listId}/clean`);
    await admin.post(`/api/lists/${list.listId}/clean`, { token: preview.body.token });
    const audit = await admin.get("/api/audit?type=list.cleaned");
    const entries = audit.body.items as Array<{ target: { id: string }; details: Record<string, unknown> }>;
    expect(entries.find((entry) => entry.target.id === list.listId)?.details).toEqual({
      removed: { invalid: 1, optedOut: 1, duplicates: 1 },
    });
  });
});

describe("duplicating and deleting", () => {
  it("duplicates a list with its fields, members and values", async () => {
    const contactId = await contact({ lastName: "Copie", mobile: mobile() });
    const { list } = await newList({ fields: ["immat"], paste: "copie@example.fr" });
    await admin.post(`/api/lists/${list.listId}/members`, {
      members: [{ contactId, fields: { immat: "XY-1" } }],
    });
    const copy = await admin.post(`/api/lists/${list.listId}/duplicate`, {});
    expect(copy.status).toBe(201);
    const copied = copy.body.list as ListInfo;
    expect(copied).toMatchObject({ name: `${list.name} (copie)`, memberCount: 2, fields: list.fields });
    expect(copied.listId).not.toBe(list.listId);
    const strip = (members: MemberInfo[]) =>
      members.map((member) => ({ contactId: member.contactId, fields: member.fields }));
    expect(strip(await allMembers(copied.listId))).toEqual(strip(await allMembers(list.listId)));
    // The copy is its own list: removing from it leaves the original alone.
    await admin.delete(`/api/lists/${copied.listId}/members/${contactId}`);
    expect(await allMembers(list.listId)).toHaveLength(2);
  });

  it("deletes only with an explicit confirmation", async () => {
    const { list } = await newList({ paste: "efface@example.fr" });
    const bare = await admin.request("DELETE", `/api/lists/${list.listId}`);
    expect(bare.status).toBe(400);
    const unconfirmed = await admin.request("DELETE", `/api/lists/${list.listId}`, { confirm: false });
    expect(unconfirmed.status).toBe(400);
    expect(JSON.stringify(unconfirmed.body)).toContain("confirm");
    expect((await admin.get(`/api/lists/${list.listId}`)).status).toBe(200);

    const deleted = await admin.request("DELETE", `/api/lists/${list.listId}`, { confirm: true });
    expect(deleted.status).toBe(204);
    expect((await admin.get(`/api/lists/${list.listId}`)).status).toBe(404);
    expect((await admin.get(`/api/lists/${list.listId}/members`)).status).toBe(404);
    const audit = await admin.get("/api/audit?type=list.deleted");
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: expect.objectContaining({ id: list.listId }) }),
      ]),
    );
  });
});

describe("exporting to Excel", () => {
  async function download(client: Browser, path: string) {
    const response = await app.request(path, {
      headers: { cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  it("writes members and field values as text cells, even formula-like ones", async () => {
    const hostile = '=HYPERLINK("http://evil.example","cliquez")';
    const contactId = await contact({ firstName: "+Jean", lastName: hostile, mobile: "06 44 55 66 77" });
    const { list } = await newList({ name: "Export été", fields: ["immat"] });
    await admin.post(`/api/lists/${list.listId}/members`, {
      members: [{ contactId, fields: { immat: "=1+1" } }],
    });

    const { response, bytes } = await download(admin, `/api/lists/${list.listId}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="liste-Export-ete-.*\.xlsx"/,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      "Civilité",
      "Prénom",
      "Nom",
      "Mobile",
      "Email",
      "immat",
      "Désabonné SMS",
      "Désabonné email",
    ]);
    const row = sheet.getRow(2);
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(3).value).toBe(hostile);
    expect(row.getCell(2).value).toBe("+Jean");
    expect(row.getCell(4).value).toBe("06 44 55 66 77");
    expect(row.getCell(6).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(6).value).toBe("=1+1");
    expect(sheet.rowCount).toBe(2);

    const audit = await admin.get("/api/audit?type=list.exported");
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: expect.objectContaining({ id: list.listId }) }),
      ]),
    );
  });

  it("refuses the export of a list in another agency", async () => {
    const { list } = await newList({ agencyId: grenoble });
    const outsider = await loggedIn(company, (await addUser(company, "user", [lyon])).email);
    const { response } = await download(outsider, `/api/lists/${list.listId}/export`);
    expect(response.status).toBe(404);
  });
});
