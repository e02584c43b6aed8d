import { beforeAll, describe, expect, it } from "vitest";
import { ApiKeyRateEntity } from "../../core/apikey/apikey.entity";
import { app, routeKeys } from "./index";
import { keyScopes } from "./key-scopes";
import { addUser, type Browser, browser, loggedIn, newCompany, PASSWORD, type TestCompany } from "./testing";

/** API keys: created and revoked by Admins, accepted as Bearer on the routes their scopes open. */
let a: TestCompany;
let adminA: Browser;
let contactA: string;

const withKey = (key: string) => {
  const client = browser();
  return {
    get: (path: string) => client.request("GET", path, undefined, { authorization: `Bearer ${key}` }),
    post: (path: string, body: unknown) =>
      client.request("POST", path, body, { authorization: `Bearer ${key}` }),
  };
};

async function newKey(admin: Browser, name: string, scopes: string[]) {
  const created = await admin.post("/api/api-keys", { name, scopes });
  expect(created.status).toBe(201);
  return { key: created.body.key as string, keyId: (created.body.apiKey as { keyId: string }).keyId };
}

beforeAll(async () => {
  a = await newCompany();
  adminA = await loggedIn(a, a.admin.email);
  const contact = await adminA.post("/api/contacts", {
    lastName: "Durand",
    mobile: "0611223344",
    agencyIds: [a.agencies[0]],
  });
  contactA = (contact.body.contact as { contactId: string }).contactId;
});

describe("API keys", () => {
  it("shows the key once, in the rk_live_<keyId>_<secret> form, and never lists it again", async () => {
    const { key, keyId } = await newKey(adminA, "ATS", ["read"]);
    expect(key).toMatch(new RegExp(`^rk_live_${keyId}_[A-Za-z0-9_-]{43}$`));
    const listed = await adminA.get("/api/api-keys");
    expect(listed.status).toBe(200);
    const text = JSON.stringify(listed.body);
    expect(text).toContain(keyId);
    expect(text).not.toContain(key.slice(-43));
    expect(text).not.toContain("secretHash");
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ keyId, name: "ATS", scopes: ["read"], createdByName: "Alice Admin" }),
    );
  });

  it("reads contacts with a read key, and stamps its last use", async () => {
    const { key, keyId } = await newKey(adminA, "Lecture", ["read"]);
    const client = withKey(key);
    const list = await client.get("/api/contacts");
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain(contactA);
    const one = await client.get(`/api/contacts/${contactA}`);
    expect(one.status).toBe(200);
    expect((await client.get("/api/campaigns")).status).toBe(200);
    const listed = await adminA.get("/api/api-keys");
    const info = (listed.body.items as Array<{ keyId: string; lastUsedAt?: string }>).find(
      (item) => item.keyId === keyId,
    );
    expect(info?.lastUsedAt).toBeTruthy();
  });

  it("refuses a route outside the key's scopes with 403 apikey.scope", async () => {
    const { key } = await newKey(adminA, "Lecture seule", ["read"]);
    const client = withKey(key);
    const send = await client.post("/api/campaigns/preview", { kind: "info", smsBody: "Bonjour" });
    expect(send.status).toBe(403);
    expect(send.body.error?.code).toBe("apikey.scope");
    // Routes no scope opens: users, and the keys themselves.
    for (const path of ["/api/users", "/api/api-keys", "/api/webhooks", "/api/audit"]) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(403);
      expect(answer.body.error?.code).toBe("apikey.scope");
    }
    const created = await client.post("/api/api-keys", { name: "Évasion", scopes: ["send"] });
    expect(created.status).toBe(403);
    const { key: sendOnly } = await newKey(adminA, "Envoi", ["send"]);
    expect((await withKey(sendOnly).get("/api/contacts")).status).toBe(403);
  });

  it("answers 401 to an unknown, malformed or revoked key, at once", async () => {
    const { key, keyId } = await newKey(adminA, "À révoquer", ["read"]);
    expect((await withKey(key).get("/api/contacts")).status).toBe(200);
    const forged = `${key.slice(0, -4)}AAAA`;
    expect((await withKey(forged).get("/api/contacts")).status).toBe(401);
    expect((await withKey("rk_live_nothing").get("/api/contacts")).status).toBe(401);
    expect(
      (await withKey(`rk_live_01J00000000000000000000000_${"a".repeat(43)}`).get("/api/contacts")).status,
    ).toBe(401);
    const revoked = await adminA.post(`/api/api-keys/${keyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiKey).toMatchObject({ keyId, revokedByName: "Alice Admin" });
    const after = await withKey(key).get("/api/contacts");
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe("apikey.invalid");
  });

  it("cannot read another company's ids", async () => {
    const b = await newCompany();
    const adminB = await loggedIn(b, b.admin.email);
    const { key } = await newKey(adminB, "Clé B", ["read"]);
    const client = withKey(key);
    expect((await client.get(`/api/contacts/${contactA}`)).status).toBe(404);
    const list = await client.get("/api/contacts");
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(contactA);
  });

  it("limits a key to 60 calls a minute, with Retry-After", async () => {
    const { key, keyId } = await newKey(adminA, "Pressée", ["read"]);
    // The counter filled as by 60 calls, in this minute and the next (a call may cross the minute).
    const minute = Math.floor(Date.now() / 60_000);
    for (const at of [minute, minute + 1])
      await ApiKeyRateEntity.put({
        companyId: a.companyId,
        keyId,
        minute: String(at),
        calls: 60,
        expiresAt: Math.floor(Date.now() / 1000) + 300,
      }).go();
    const refused = await withKey(key).get("/api/contacts");
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe("apikey.rate_limited");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it("audits every call under « Clé API <name> », and the key's creation and revocation", async () => {
    const { key, keyId } = await newKey(adminA, "Audit ATS", ["read"]);
    await withKey(key).get("/api/contacts");
    await withKey(key).get("/api/users");
    await adminA.post(`/api/api-keys/${keyId}/revoke`);
    const used = await adminA.get("/api/audit?type=apikey.used&limit=200");
    const mine = (
      used.body.items as Array<{
        actor?: { userId: string; name: string };
        details?: { route: string; status: number };
      }>
    ).filter((entry) => entry.actor?.userId === `apikey:${keyId}`);
    expect(mine.map((entry) => entry.actor?.name)).toEqual(["Clé API Audit ATS", "Clé API Audit ATS"]);
    expect(mine.map((entry) => entry.details)).toEqual(
      expect.arrayContaining([
        { route: "GET /api/contacts", status: 200 },
        { route: "GET /api/users", status: 403 },
      ]),
    );
    for (const type of ["apikey.created", "apikey.revoked"]) {
      const entries = await adminA.get(`/api/audit?type=${type}`);
      expect(entries.body.items).toContainEqual(
        expect.objectContaining({
          actor: { userId: a.admin.userId, name: "Alice Admin" },
          target: { type: "apiKey", id: keyId, label: "Audit ATS" },
        }),
      );
    }
  });

  it("lets only Admins manage keys", async () => {
    for (const role of ["manager", "user"] as const) {
      const person = await addUser(a, role, [a.agencies[0]]);
      const client = await loggedIn(a, person.email, PASSWORD);
      expect((await client.post("/api/api-keys", { name: "X", scopes: ["read"] })).status).toBe(403);
      expect((await client.get("/api/api-keys")).status).toBe(403);
    }
  });

  it("declares only routes that exist, and marks them in the OpenAPI document", async () => {
    const routes = new Set(routeKeys());
    expect(Object.keys(keyScopes).filter((route) => !routes.has(route))).toEqual([]);
    const document = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, { scheme?: string }> };
    };
    expect(document.components.securitySchemes.apiKey?.scheme).toBe("bearer");
    // The browser extension's token opens these too (extension-routes.ts).
    expect(document.paths["/api/contacts"]?.get?.security).toEqual([
      { apiKey: ["read"] },
      { extension: [] },
      { session: [] },
    ]);
    expect(document.paths["/api/campaigns"]?.post?.security).toEqual([
      { apiKey: ["send"] },
      { extension: [] },
      { session: [] },
    ]);
    expect(document.paths["/api/users"]?.get?.security).toBeUndefined();
  });
});
