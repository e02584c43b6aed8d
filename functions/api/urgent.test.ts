import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { Delivery } from "../../core/delivery";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany, until } from "./testing";

/** « Urgent »: now only, by the roles the company allows (Admin and Manager by default), audited by name. */
let company: TestCompany;
let admin: Browser;
let manager: Browser;
let managerId: string;
let user: Browser;

beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  const managerAccount = await addUser(company, "manager", [company.agencies[0]]);
  managerId = managerAccount.userId;
  manager = await loggedIn(company, managerAccount.email);
  user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);
});

const mobile = () => `+33618${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const urgent = (client: Browser, extra: object = {}) =>
  client.post("/api/campaigns", {
    kind: "info",
    smsBody: "Agence fermée ce matin",
    recipients: { entries: [mobile()] },
    title: `Urgent ${ulid()}`,
    agencyId: company.agencies[0],
    urgent: true,
    ...extra,
  });
const titled = async (title: string) =>
  ((await admin.get(`/api/campaigns?q=${encodeURIComponent(title)}`)).body.items as unknown[]).length;

describe("urgent sends", () => {
  it("refuses an urgent send with a time ahead (400) and creates nothing", async () => {
    const title = `Plus tard ${ulid()}`;
    const answer = await urgent(admin, { title, sendAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe("campaign.urgent_scheduled");
    expect(await titled(title)).toBe(0);
  });

  it("refuses a plain User (403) by default, and lets a Manager send", async () => {
    const refused = await urgent(user);
    expect(refused.status).toBe(403);
    expect((await urgent(manager)).status).toBe(201);
  });

  it("follows the company setting: Admins only refuses the Manager", async () => {
    const company2 = await newCompany();
    const admin2 = await loggedIn(company2, company2.admin.email);
    const manager2 = await loggedIn(
      company2,
      (await addUser(company2, "manager", [company2.agencies[0]])).email,
    );
    const saved = await admin2.patch("/api/company/delivery", { urgentRoles: ["admin"] });
    expect(saved.body).toMatchObject({
      urgentRoles: ["admin"],
      defaults: { urgentRoles: ["admin", "manager"] },
    });
    const session = await manager2.get("/api/auth/session");
    expect(session.body).toMatchObject({ user: { canSendUrgent: false } });
    const answer = await manager2.post("/api/campaigns", {
      kind: "info",
      smsBody: "x",
      recipients: { entries: [mobile()] },
      title: "Urgent",
      agencyId: company2.agencies[0],
      urgent: true,
    });
    expect(answer.status).toBe(403);
  });

  it("tells the console who may use it", async () => {
    expect((await user.get("/api/auth/session")).body).toMatchObject({ user: { canSendUrgent: false } });
    expect((await manager.get("/api/auth/session")).body).toMatchObject({ user: { canSendUrgent: true } });
  });

  it("does not let an urgent campaign be moved to later", async () => {
    const created = await urgent(manager);
    const { campaignId } = created.body.campaign as { campaignId: string };
    const moved = await manager.post(`/api/campaigns/${campaignId}/reschedule`, {
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error?.code).toBe("campaign.urgent_scheduled");
  });

  it("audits the launch with the user who asked for it", async () => {
    const created = await urgent(manager);
    const { campaignId } = created.body.campaign as { campaignId: string };
    await withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
      Delivery.launch({ kind: "campaign.launch", companyId: company.companyId, campaignId }),
    );
    const entry = await until(async () => {
      const audit = await admin.get("/api/audit?type=campaign.urgent_sent");
      const items = audit.body.items as Array<{
        target?: { id: string };
        actor?: { userId: string; name: string };
      }>;
      return items.find((item) => item.target?.id === campaignId);
    });
    expect(entry.actor).toEqual({ userId: managerId, name: "Test manager" });
  });
});
