import { randomInt } from "node:crypto";
import { PASSWORD, type TestCompany } from "../../core/test-helpers";
import { app } from "./index";

/** The API's test client; the fixtures themselves are shared with core's tests (core/test-helpers.ts). */
export { addUser, newCompany, PASSWORD, type TestCompany, until } from "../../core/test-helpers";

/**
 * A random address in 10.0.0.0/8 for each client: test files that share a worker process (and its pid)
 * must not share addresses, or their logins add up against the per-IP limit.
 */
const freshIp = () => {
  const byte = () => randomInt(0, 256);
  return `10.${byte()}.${byte()}.${randomInt(1, 255)}`;
};

/** Like a browser: keeps cookies, echoes the CSRF cookie on mutations, comes from its own IP (socket). */
export function browser(ip = freshIp()) {
  const cookies = new Map<string, string>();
  // The console's CSRF cookie, the partner space's or the operator console's.
  const csrf = () =>
    cookies.get("relais_csrf") ?? cookies.get("relais_espace_csrf") ?? cookies.get("relais_operateur_csrf");
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await app.request(
      path,
      {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(cookies.size
            ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
            : {}),
          ...(csrf() && method !== "GET" ? { "x-csrf-token": csrf()! } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      },
      // What the node server hands the app: the TCP peer's address (client-ip.ts), not a header.
      { incoming: { socket: { remoteAddress: ip } } },
    );
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      if (!name) continue;
      const value = rest.join("=");
      if (value && !/Max-Age=0/i.test(header)) cookies.set(name.trim(), value);
      else cookies.delete(name.trim());
    }
    const raw = await response.arrayBuffer();
    const text = new TextDecoder().decode(raw);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return {
      status: response.status,
      body: json as Record<string, unknown> & { error?: { code: string } },
      headers: response.headers,
      /** The body's bytes, for downloads. */
      raw,
    };
  };
  return {
    cookies,
    get: (path: string) => request("GET", path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      request("POST", path, body ?? {}, headers),
    patch: (path: string, body: unknown) => request("PATCH", path, body),
    delete: (path: string) => request("DELETE", path),
    request,
  };
}

export type Browser = ReturnType<typeof browser>;

export async function loggedIn(company: TestCompany, email: string, password = PASSWORD) {
  const client = browser();
  const response = await client.post("/api/auth/login", { companyCode: company.code, email, password });
  if (response.status !== 200)
    throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return client;
}

/** A fresh operator signed in (password, then the current TOTP code), with their secret. */
export async function operatorSignedIn() {
  const { Operator, Totp } = await import("../../core/operator");
  const password = "Operateur-solide-42";
  const created = await Operator.create({
    email: `op-${Date.now()}-${randomInt(1e9)}@relais.test`,
    name: "Olga Opé",
    password,
  });
  const client = browser();
  const login = await client.post("/api/operator/auth/login", { email: created.email, password });
  if (login.status !== 200) throw new Error(`operator login: ${login.status} ${JSON.stringify(login.body)}`);
  const totp = await client.post("/api/operator/auth/totp", { code: Totp.codeOf(created.totpSecret) });
  if (totp.status !== 200) throw new Error(`operator TOTP: ${totp.status} ${JSON.stringify(totp.body)}`);
  return Object.assign(client, { operator: created });
}

/** Lets a test company send at any hour: tests that wait for a send must not depend on the clock. */
export async function noQuietHours(admin: Browser) {
  const answer = await admin.patch("/api/company/delivery", {
    quietHours: { start: "00:00", end: "00:00", sundays: false, holidays: false },
  });
  if (answer.status !== 200) throw new Error(`quiet hours: ${answer.status}`);
}
