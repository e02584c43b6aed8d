import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../core/actor";
import { addUser, type Browser, loggedIn, newCompany, type TestCompany } from "./testing";

/**
 * The permission matrix of the README, cell by cell. Company layout: agency L (Lyon) and agency G
 * (Grenoble); the Manager and the User work in L. Each cell plays one action as one role.
 */
let company: TestCompany;
const clients = {} as Record<Role, Browser>;
let lyon: string;
let grenoble: string;

beforeAll(async () => {
  company = await newCompany();
  [lyon, grenoble] = company.agencies;
  const manager = await addUser(company, "manager", [lyon]);
  const user = await addUser(company, "user", [lyon]);
  clients.admin = await loggedIn(company, company.admin.email);
  clients.manager = await loggedIn(company, manager.email);
  clients.user = await loggedIn(company, user.email);
});

const person = (role: Role, agencyIds: string[]) => ({
  email: `p-${ulid().toLowerCase()}@example.fr`,
  firstName: "Paul",
  lastName: "Durand",
  role,
  agencyIds,
});

/** A fresh plain User in an agency, so each cell acts on its own target. */
const target = async (agency: "L" | "G" = "L", role: Role = "user") =>
  (await addUser(company, role, [agency === "L" ? lyon : grenoble])).userId;

type Cell = {
  action: string;
  play: (client: Browser) => Promise<{ status: number }>;
  allowed: Record<Role, boolean>;
};

const cells: Cell[] = [
  {
    action: "list users",
    play: (c) => c.get("/api/users"),
    allowed: { admin: true, manager: true, user: false },
  },
  {
    action: "create a User in their agency",
    play: (c) => c.post("/api/users", person("user", [lyon])),
    allowed: { admin: true, manager: true, user: false },
  },
  {
    action: "create a User in another agency",
    play: (c) => c.post("/api/users", person("user", [grenoble])),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "create a Manager",
    play: (c) => c.post("/api/users", person("manager", [lyon])),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "invite a User in their agency",
    play: (c) => c.post("/api/invitations", { channel: "email", ...person("user", [lyon]) }),
    allowed: { admin: true, manager: true, user: false },
  },
  {
    action: "invite an Admin",
    play: (c) => c.post("/api/invitations", { channel: "email", ...person("admin", [lyon]) }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "list invitations",
    play: (c) => c.get("/api/invitations"),
    allowed: { admin: true, manager: true, user: false },
  },
  {
    action: "edit a User of their agency",
    play: async (c) => c.patch(`/api/users/${await target("L")}`, { firstName: "Pierre" }),
    allowed: { admin: true, manager: true, user: false },
  },
  {
    action: "edit a User of another agency",
    play: async (c) => c.patch(`/api/users/${await target("G")}`, { firstName: "Pierre" }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "edit a Manager",
    play: async (c) => c.patch(`/api/users/${await target("L", "manager")}`, { firstName: "Pierre" }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "change a role",
    play: async (c) => c.patch(`/api/users/${await target("L")}`, { role: "manager" }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "deactivate a User of their agency",
    play: async (c) => c.post(`/api/users/${await target("L")}/deactivate`),
    allowed: { admin: true, manager: true, user: false },
  },
  {
    action: "list agencies",
    play: (c) => c.get("/api/agencies"),
    allowed: { admin: true, manager: true, user: true },
  },
  {
    action: "create an agency",
    play: (c) => c.post("/api/agencies", { name: `Agence ${ulid()}` }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "rename an agency",
    play: (c) => c.patch(`/api/agencies/${grenoble}`, { name: "Agence Grenoble Centre" }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "read company settings",
    play: (c) => c.get("/api/company"),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "change company settings",
    play: (c) => c.patch("/api/company", { timezone: "Europe/Paris" }),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "read the audit log",
    play: (c) => c.get("/api/audit"),
    allowed: { admin: true, manager: false, user: false },
  },
  {
    action: "read their own session",
    play: (c) => c.get("/api/auth/session"),
    allowed: { admin: true, manager: true, user: true },
  },
];

describe("permission matrix", () => {
  for (const cell of cells) {
    for (const role of ["admin", "manager", "user"] as const) {
      it(`${role} ${cell.allowed[role] ? "may" : "may not"} ${cell.action}`, async () => {
        const response = await cell.play(clients[role]);
        if (cell.allowed[role]) expect(response.status).toBeLessThan(300);
        else expect([403, 404]).toContain(response.status);
      });
    }
  }

  it("shows a Manager only the users of their agencies", async () => {
    const stranger = await target("G");
    const response = await clients.manager.get("/api/users");
    const ids = (response.body.items as Array<{ userId: string; agencyIds: string[] }>).map(
      (user) => user.userId,
    );
    expect(ids).not.toContain(stranger);
    expect(ids).not.toContain(company.admin.userId === stranger ? "" : stranger);
  });

  it("shows a User only their agencies", async () => {
    const response = await clients.user.get("/api/agencies");
    expect((response.body.items as Array<{ agencyId: string }>).map((agency) => agency.agencyId)).toEqual([
      lyon,
    ]);
  });
});

describe("users", () => {
  it("refuses a second user with the same email, whatever its case", async () => {
    const first = await clients.admin.post("/api/users", person("user", [lyon]));
    const email = (first.body.user as { email: string }).email;
    const again = await clients.admin.post("/api/users", {
      ...person("user", [lyon]),
      email: email.toUpperCase(),
    });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("user.email_taken");
  });
});

describe("admins cannot lock the company out", () => {
  it("refuses to deactivate or demote the last active Admin", async () => {
    const solo = await newCompany();
    const admin = await loggedIn(solo, solo.admin.email);
    const other = await addUser(solo, "admin", [solo.agencies[0]]);
    expect((await admin.post(`/api/users/${other.userId}/deactivate`)).status).toBe(200);
    const demote = await admin.patch(`/api/users/${solo.admin.userId}`, { role: "user" });
    expect(demote.status).toBe(409);
    expect(demote.body.error?.code).toBe("user.last_admin");
    const self = await admin.post(`/api/users/${solo.admin.userId}/deactivate`);
    expect(self.body.error?.code).toBe("user.self");
  });

  it("ends a deactivated user's sessions at once", async () => {
    const victim = await addUser(company, "user", [lyon]);
    const session = await loggedIn(company, victim.email);
    expect((await session.get("/api/agencies")).status).toBe(200);
    await clients.admin.post(`/api/users/${victim.userId}/deactivate`);
    expect((await session.get("/api/agencies")).status).toBe(401);
  });
});
