import { ulid } from "ulid";
import { type Role, withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { Company } from "../../core/company";
import { User } from "../../core/user";
import { app } from "./index";

/** Test fixtures for the API: fresh companies, users with known passwords, and a cookie-keeping client. */
export const PASSWORD = "Motdepasse-solide-42";

let counter = 0;
const freshIp = () => {
  counter++;
  return `10.${(process.pid >> 8) & 255}.${process.pid & 255}.${counter % 250}`;
};

export type TestCompany = Awaited<ReturnType<typeof newCompany>>;

export async function newCompany(name = "Intérim Test") {
  const code = `T${ulid().slice(-10)}`;
  const companyId = await Company.create({ code, name });
  return withActor({ type: "system", companyId, reason: "test" }, async () => {
    const main = await Agency.createFirst("Agence Lyon");
    const second = await Agency.createFirst("Agence Grenoble");
    const admin = await User.insert({
      email: `admin-${ulid().toLowerCase()}@example.fr`,
      firstName: "Alice",
      lastName: "Admin",
      role: "admin",
      agencyIds: [main.agencyId],
      password: PASSWORD,
      mustChangePassword: false,
    });
    return { companyId, code, agencies: [main.agencyId, second.agencyId] as [string, string], admin };
  });
}

export async function addUser(
  company: TestCompany,
  role: Role,
  agencyIds: string[],
  mustChangePassword = false,
) {
  return withActor({ type: "system", companyId: company.companyId, reason: "test" }, () =>
    User.insert({
      email: `${role}-${ulid().toLowerCase()}@example.fr`,
      firstName: "Test",
      lastName: role,
      role,
      agencyIds,
      password: PASSWORD,
      mustChangePassword,
    }),
  );
}

/** Like a browser: keeps cookies, echoes the CSRF cookie on mutations, comes from its own IP (socket). */
export function browser(ip = freshIp()) {
  const cookies = new Map<string, string>();
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
          ...(cookies.has("relais_csrf") && method !== "GET"
            ? { "x-csrf-token": cookies.get("relais_csrf")! }
            : {}),
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

/** Lets a test company send at any hour: tests that wait for a send must not depend on the clock. */
export async function noQuietHours(admin: Browser) {
  const answer = await admin.patch("/api/company/delivery", {
    quietHours: { start: "00:00", end: "00:00", sundays: false, holidays: false },
  });
  if (answer.status !== 200) throw new Error(`quiet hours: ${answer.status}`);
}

/** Polls `probe` every 200 ms until it answers something (the local cloud works in the background). */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
