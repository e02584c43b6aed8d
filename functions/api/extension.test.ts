import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { config } from "../../core/config";
import { Delivery } from "../../core/delivery";
import { ExtensionToken } from "../../core/extension";
import { extensionRoutes } from "./extension-routes";
import { app, routeKeys } from "./index";
import {
  addUser,
  type Browser,
  browser,
  loggedIn,
  newCompany,
  noQuietHours,
  PASSWORD,
  type TestCompany,
  until,
} from "./testing";

/** The browser extension's tokens: the console's sign-in, short-lived, rotated, and limited to its routes. */
const origin = "chrome-extension://amhgabnghelbaeemdgfomnpjjgoaiklh";
type Signed = {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: string;
  refreshExpiresAt: string;
};

let a: TestCompany;
let adminA: Browser;

async function signIn(company: TestCompany, email: string, password = PASSWORD) {
  const answer = await browser().post("/api/extension/auth/login", {
    companyCode: company.code,
    email,
    password,
  });
  expect(answer.status).toBe(200);
  return answer.body as unknown as Signed & { user: { email: string } };
}

const bearer = (token: string) => {
  const client = browser();
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: (path: string) => client.request("GET", path, undefined, headers),
    post: (path: string, body: unknown) => client.request("POST", path, body, headers),
    request: (method: string, path: string, body?: unknown) => client.request(method, path, body, headers),
  };
};

const refresh = (refreshToken: string) => browser().post("/api/extension/auth/refresh", { refreshToken });

beforeAll(async () => {
  a = await newCompany();
  adminA = await loggedIn(a, a.admin.email);
});

describe("extension sign-in", () => {
  it("signs in with the console's credentials and answers two 256-bit tokens and the user", async () => {
    const signed = await signIn(a, a.admin.email);
    expect(signed.accessToken).toMatch(/^rxa_[A-Za-z0-9_-]{43}$/);
    expect(signed.refreshToken).toMatch(/^rxr_[A-Za-z0-9_-]{43}$/);
    expect(signed.user.email).toBe(a.admin.email);
    const minutes = (at: string) => Math.round((Date.parse(at) - Date.now()) / 60_000);
    expect(minutes(signed.accessExpiresAt)).toBe(15);
    expect(minutes(signed.refreshExpiresAt)).toBe(30);
  });

  it("sets no cookie: the console's session is never handed to the extension", async () => {
    const client = browser();
    await client.post("/api/extension/auth/login", {
      companyCode: a.code,
      email: a.admin.email,
      password: PASSWORD,
    });
    expect(client.cookies.size).toBe(0);
  });

  it("refuses a wrong password as the console does, and counts it against the same limit", async () => {
    const user = await addUser(a, "user", [a.agencies[0]!]);
    const client = browser();
    const wrong = { companyCode: a.code, email: user.email, password: "not-the-password" };
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await client.post("/api/extension/auth/login", wrong);
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe("auth.invalid_credentials");
    }
    for (let attempt = 0; attempt < 2; attempt++) await client.post("/api/auth/login", wrong);
    const locked = await client.post("/api/extension/auth/login", { ...wrong, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe("auth.rate_limited");
  });

  it("rotates the refresh token: each one works once and gives a new pair", async () => {
    const signed = await signIn(a, a.admin.email);
    const renewed = await refresh(signed.refreshToken);
    expect(renewed.status).toBe(200);
    const next = renewed.body as unknown as Signed;
    expect(next.refreshToken).not.toBe(signed.refreshToken);
    expect(next.accessToken).not.toBe(signed.accessToken);
    expect((await bearer(next.accessToken).get("/api/agencies")).status).toBe(200);
  });

  it("ends the whole sign-in when an old refresh token is used again", async () => {
    const signed = await signIn(a, a.admin.email);
    const next = (await refresh(signed.refreshToken)).body as unknown as Signed;
    const reused = await refresh(signed.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.error?.code).toBe("auth.token_reused");
    expect((await bearer(next.accessToken).get("/api/agencies")).status).toBe(401);
    expect((await refresh(next.refreshToken)).status).toBe(401);
  });

  it("logs out: neither token works any more", async () => {
    const signed = await signIn(a, a.admin.email);
    const out = await browser().post("/api/extension/auth/logout", { refreshToken: signed.refreshToken });
    expect(out.status).toBe(204);
    expect((await bearer(signed.accessToken).get("/api/agencies")).status).toBe(401);
    expect((await refresh(signed.refreshToken)).status).toBe(401);
  });

  it("ends after 30 minutes without a refresh, and an access token after 15", async () => {
    const signed = await signIn(a, a.admin.email);
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    await expect(ExtensionToken.authenticate(signed.accessToken, later(16))).rejects.toMatchObject({
      code: "auth.session_expired",
    });
    await expect(ExtensionToken.refresh(signed.refreshToken, later(31))).rejects.toMatchObject({
      code: "auth.session_expired",
    });
    const within = await ExtensionToken.refresh(signed.refreshToken, later(29));
    expect(within.accessToken).toMatch(/^rxa_/);
  });

  it("ends when the password changes or the user is deactivated", async () => {
    const user = await addUser(a, "user", [a.agencies[0]!]);
    const first = await signIn(a, user.email);
    const consoleSession = await loggedIn(a, user.email);
    const changed = await consoleSession.post("/api/auth/password/change", {
      currentPassword: PASSWORD,
      newPassword: "Un-nouveau-mot-de-passe-2026",
    });
    expect(changed.status).toBeLessThan(300);
    expect((await bearer(first.accessToken).get("/api/agencies")).status).toBe(401);
    const second = await signIn(a, user.email, "Un-nouveau-mot-de-passe-2026");
    expect((await adminA.post(`/api/users/${user.userId}/deactivate`, {})).status).toBeLessThan(300);
    expect((await bearer(second.accessToken).get("/api/agencies")).status).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(401);
  });
});

describe("extension scope", () => {
  it("lists only routes the API serves, marked in the OpenAPI document", async () => {
    const served = new Set(routeKeys());
    expect([...extensionRoutes].filter((route) => !served.has(route))).toEqual([]);
    const document = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(document.paths["/api/agencies"]?.get?.security).toEqual([{ extension: [] }, { session: [] }]);
    expect(document.paths["/api/agencies"]?.post?.security).toBeUndefined();
  });

  it("opens the routes the panel reads", async () => {
    const client = bearer((await signIn(a, a.admin.email)).accessToken);
    for (const path of ["/api/agencies", "/api/templates?filter=all", "/api/extension/replies"]) {
      const answer = await client.get(path);
      expect({ path, status: answer.status, body: answer.status === 200 ? undefined : answer.body }).toEqual({
        path,
        status: 200,
        body: undefined,
      });
    }
  });

  it("refuses every console-only route with 403, reads and writes alike", async () => {
    const { accessToken } = await signIn(a, a.admin.email);
    const client = bearer(accessToken);
    for (const [method, path] of [
      ["GET", "/api/users"],
      ["GET", "/api/api-keys"],
      ["GET", "/api/auth/session"],
      ["POST", "/api/contacts"],
      ["GET", "/api/campaigns"],
    ] as const) {
      const answer = await client.request(method, path, method === "POST" ? { lastName: "X" } : undefined);
      expect({ method, path, status: answer.status, code: answer.body.error?.code }).toEqual({
        method,
        path,
        status: 403,
        code: "extension.scope",
      });
    }
  });

  it("acts as the user: a User of one agency does not see another agency's contact", async () => {
    const mobile = `+3361${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
    const created = await adminA.post("/api/contacts", {
      lastName: "Grenoblois",
      mobile,
      agencyIds: [a.agencies[1]],
    });
    expect(created.status).toBe(201);
    const user = await addUser(a, "user", [a.agencies[0]!]);
    const asUser = bearer((await signIn(a, user.email)).accessToken);
    const looked = await asUser.post("/api/campaigns/recipients", { text: mobile });
    expect(looked.status).toBe(200);
    expect(JSON.stringify(looked.body)).not.toContain("Grenoblois");
    const searched = await asUser.get(`/api/contacts?query=${encodeURIComponent(mobile)}`);
    expect(searched.status).toBe(200);
    expect(JSON.stringify(searched.body)).not.toContain("Grenoblois");
    const asAdmin = bearer((await signIn(a, a.admin.email)).accessToken);
    const seen = await asAdmin.post("/api/campaigns/recipients", { text: mobile });
    expect(JSON.stringify(seen.body)).toContain("Grenoblois");
  });

  it("sends a campaign, then counts the replies since a time, each with the campaign's console link", async () => {
    await noQuietHours(adminA);
    const client = bearer((await signIn(a, a.admin.email)).accessToken);
    const to = `+3361${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
    const created = await client.post("/api/campaigns", {
      kind: "yesno",
      smsBody: "Dispo demain ?",
      recipients: { entries: [to] },
      title: "Depuis l'extension",
      agencyId: a.agencies[0],
    });
    expect(created.status).toBe(201);
    const campaignId = (created.body.campaign as { campaignId: string }).campaignId;
    const sent = await until(async () => {
      const { data } = await MessageEntity.query.byCampaign({ companyId: a.companyId, campaignId }).go();
      return data[0]?.status === "sent" ? data[0] : undefined;
    });
    const before = new Date().toISOString();
    await Delivery.inboundSms({
      originationNumber: to,
      destinationNumber: sent.from ?? "+33700000000",
      messageBody: "oui",
      inboundMessageId: ulid(),
      previousPublishedMessageId: sent.providerMessageId,
    });
    const since = (at: string) => client.get(`/api/extension/replies?since=${encodeURIComponent(at)}`);
    const answer = await until(async () => {
      const replies = await since(before);
      return (replies.body.count as number) > 0 ? replies : undefined;
    });
    expect(answer.body.count).toBe(1);
    expect(answer.body.items).toEqual([
      expect.objectContaining({
        campaignId,
        url: new URL(`/campaigns/${campaignId}`, config("PUBLIC_URL")).href,
      }),
    ]);
    expect((await since(answer.body.now as string)).body.count).toBe(0);
  });
});

describe("extension CORS", () => {
  const withOrigin = (method: string, path: string, from: string, extra: Record<string, string> = {}) =>
    browser().request(method, path, undefined, { origin: from, ...extra });

  it("answers the extension's preflight on its routes, without credentials", async () => {
    const answer = await withOrigin("OPTIONS", "/api/campaigns/preview", origin, {
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
    expect(answer.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    const login = await withOrigin("OPTIONS", "/api/extension/auth/login", origin, {
      "access-control-request-method": "POST",
    });
    expect(login.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("allows the extension's origin on an extension route's answer", async () => {
    const answer = await withOrigin("GET", "/api/agencies", origin);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("gives no CORS header to another origin, nor to the extension on another route", async () => {
    for (const [path, from] of [
      ["/api/agencies", "https://evil.example"],
      ["/api/agencies", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
      ["/api/users", origin],
    ] as const) {
      const preflight = await withOrigin("OPTIONS", path, from, { "access-control-request-method": "GET" });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      const answer = await withOrigin("GET", path, from);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});
