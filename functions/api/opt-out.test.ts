import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { ContactEntity } from "../../core/contact/contact.entity";
import { Suppression } from "../../core/suppression";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

/** Lifting an opt-out: Admins only, never one the person gave, always audited with who did it. */
let company: TestCompany;
let admin: Browser;
let manager: Browser;
let user: Browser;

beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  manager = await loggedIn(company, (await addUser(company, "manager", [company.agencies[0]])).email);
  user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
});

const freshMobile = () => `+33617${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

/** A contact opted out of email with this source on the contact only, as older data or a link leaves it. */
async function optedOutByEmail(source: string | undefined) {
  const email = `p-${ulid().toLowerCase()}@example.fr`;
  const created = await admin.post("/api/contacts", {
    lastName: "Petit",
    email,
    agencyIds: [company.agencies[0]],
  });
  const contactId = (created.body.contact as { contactId: string }).contactId;
  await ContactEntity.patch({ companyId: company.companyId, contactId })
    .set({ optOutEmailAt: new Date().toISOString(), ...(source ? { optOutEmailSource: source } : {}) })
    .go();
  return contactId;
}

const lift = (client: Browser, contactId: string, channel: "sms" | "email") =>
  client.post(`/api/contacts/${contactId}/opt-out`, { channel, optedOut: false });

const optOutOf = async (contactId: string) =>
  ((await admin.get(`/api/contacts/${contactId}`)).body.contact as { optOut: Record<string, unknown> })
    .optOut;

describe("lifting an opt-out", () => {
  it("refuses a Manager and a User with 403, and leaves the opt-out", async () => {
    const contactId = await optedOutByEmail("console");
    for (const client of [manager, user]) {
      const answer = await lift(client, contactId, "email");
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe("suppression.forbidden");
    }
    expect((await optOutOf(contactId)).email).toBeDefined();
  });

  for (const source of ["STOP", "COMPLAINT", "unsubscribe", undefined])
    it(`refuses even an Admin when the person gave it (${source ?? "no source"})`, async () => {
      const contactId = await optedOutByEmail(source);
      const answer = await lift(admin, contactId, "email");
      expect(answer.status).toBe(409);
      expect(answer.body.error?.code).toBe("suppression.from_person");
      expect((await optOutOf(contactId)).email).toBeDefined();
    });

  it("lets an Admin lift a permanent bounce, audited with the Admin as actor", async () => {
    const mobile = freshMobile();
    const created = await admin.post("/api/contacts", {
      lastName: "Rebond",
      mobile,
      agencyIds: [company.agencies[0]],
    });
    const contactId = (created.body.contact as { contactId: string }).contactId;
    await Suppression.add({
      companyId: company.companyId,
      channel: "sms",
      address: mobile,
      source: "BOUNCE",
    });
    await ContactEntity.patch({ companyId: company.companyId, contactId })
      .set({ optOutSmsAt: new Date().toISOString(), optOutSmsSource: "BOUNCE" })
      .go();
    const answer = await lift(admin, contactId, "sms");
    expect(answer.status).toBe(200);
    expect((await optOutOf(contactId)).sms).toBeUndefined();
    const audit = await admin.get("/api/audit?type=suppression.lifted");
    const entries = audit.body.items as Array<{ actor?: { userId: string }; target?: { label: string } }>;
    const entry = entries.find((item) => item.target?.label === mobile);
    expect(entry?.actor?.userId).toBe(company.admin.userId);
  });
});
