import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
import { Attempts } from "../../core/auth";
import { User } from "../../core/user";
import { addUser, browser, loggedIn, newCompany, PASSWORD, type TestCompany } from "./testing";

let company: TestCompany;
beforeAll(async () => {
  company = await newCompany();
});

const mailbox = async (to: string) => {
  const store = (await (await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`)).json()) as {
    emails: Array<{ subject: string; destination: { to: string[] }; body: { text: string } }>;
  };
  return store.emails.filter((email) => email.destination.to.includes(to));
};

describe("login", () => {
  it("opens a session with httpOnly session and readable CSRF cookies", async () => {
    const client = browser();
    const response = await client.post("/api/auth/login", {
      companyCode: company.code.toLowerCase(),
      email: company.admin.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      user: { email: company.admin.email, role: "admin" },
      idleTimeoutSeconds: 1800,
    });
    const cookies = response.headers.getSetCookie().join("\n");
    expect(cookies).toMatch(/relais_session=[^;]+;.*HttpOnly/i);
    expect(cookies).toMatch(/relais_session=[^;]+;.*SameSite=Lax/i);
    expect(cookies).toMatch(/relais_csrf=/);
    expect((await client.get("/api/auth/session")).status).toBe(200);
  });

  it("answers a wrong password and an unknown company with the same message", async () => {
    const wrongPassword = await browser().post("/api/auth/login", {
      companyCode: company.code,
      email: company.admin.email,
      password: "pas le bon",
    });
    const unknownCompany = await browser().post("/api/auth/login", {
      companyCode: "NOPE-XYZ",
      email: company.admin.email,
      password: PASSWORD,
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownCompany.status).toBe(401);
    expect(wrongPassword.body.error).toEqual(unknownCompany.body.error);
  });

  it("locks an account for the rest of the window after five failures, saying for how long", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    for (let attempt = 0; attempt < 5; attempt++) {
      await browser().post("/api/auth/login", {
        companyCode: company.code,
        email: user.email,
        password: "faux",
      });
    }
    const locked = await browser().post("/api/auth/login", {
      companyCode: company.code,
      email: user.email,
      password: PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({
      code: "auth.rate_limited",
      retryAfterSeconds: expect.any(Number),
    });
    expect((locked.body.error as unknown as { message: string }).message).toMatch(
      /Try again in \d+ minutes?/,
    );
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("limits failures per IP address across accounts", async () => {
    const client = browser("10.98.0.1");
    // 25 earlier attempts from that address (30 scrypt checks take longer than a test on a busy machine).
    for (let attempt = 0; attempt < 25; attempt++)
      await Attempts.reserve([["ip:10.98.0.1", Attempts.limits.ip]]);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, attempt) =>
        client.post("/api/auth/login", {
          companyCode: company.code,
          email: `x${attempt}@x.fr`,
          password: "x",
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 429).length).toBe(1);
  });

  it("answers at most five of 40 concurrent wrong passwords with 401, the rest with 429", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        browser().post("/api/auth/login", { companyCode: company.code, email: user.email, password: "faux" }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
  });

  it("never logs in the right password sent in a burst of 24 wrong ones", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const attempt = (password: string) =>
      browser().post("/api/auth/login", { companyCode: company.code, email: user.email, password });
    const answers = await Promise.all([
      ...Array.from({ length: 24 }, () => attempt("faux")),
      attempt(PASSWORD),
    ]);
    expect(answers.filter((answer) => answer.status === 200)).toEqual([]);
    expect(answers.filter((answer) => answer.status === 401).length).toBeLessThanOrEqual(5);
    expect((await attempt(PASSWORD)).status).toBe(429);
  });

  it("still lets the right password in after four wrong ones", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const client = browser();
    for (let attempt = 0; attempt < 4; attempt++) {
      await client.post("/api/auth/login", {
        companyCode: company.code,
        email: user.email,
        password: "faux",
      });
    }
    const right = await client.post("/api/auth/login", {
      companyCode: company.code,
      email: user.email,
      password: PASSWORD,
    });
    expect(right.status).toBe(200);
  });

  it("counts failures by the caller's address, whatever X-Forwarded-For says", async () => {
    const client = browser("10.98.0.2");
    for (let attempt = 0; attempt < 30; attempt++)
      await Attempts.reserve([["ip:10.98.0.2", Attempts.limits.ip]]);
    const answer = await client.post(
      "/api/auth/login",
      { companyCode: company.code, email: company.admin.email, password: "x" },
      { "x-forwarded-for": "198.51.100.77" },
    );
    expect(answer.status).toBe(429);
  });

  it("writes the caller's address in the audit log, not X-Forwarded-For", async () => {
    const own = await newCompany();
    const client = browser("10.99.0.7");
    await client.post(
      "/api/auth/login",
      { companyCode: own.code, email: own.admin.email, password: PASSWORD },
      { "x-forwarded-for": "198.51.100.1" },
    );
    const audit = await client.get("/api/audit?type=auth.login");
    const items = audit.body.items as Array<{ ip?: string }>;
    expect(items[0]?.ip).toBe("10.99.0.7");
  });

  it("limits wrong current passwords on a password change, even inside a session", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const client = await loggedIn(company, user.email);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        client.post("/api/auth/password/change", {
          currentPassword: "pas le bon",
          newPassword: "Un-nouveau-mot-2027",
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 400).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
  });

  it("refuses a deactivated user with a clear code", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    await withActor(
      {
        type: "user",
        companyId: company.companyId,
        userId: company.admin.userId,
        role: "admin",
        agencyIds: [company.agencies[0]],
        name: "Alice",
      },
      () => User.deactivate(user.userId),
    );
    const response = await browser().post("/api/auth/login", {
      companyCode: company.code,
      email: user.email,
      password: PASSWORD,
    });
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe("auth.deactivated");
  });
});

describe("session", () => {
  it("asks for a login without a session", async () => {
    const response = await browser().get("/api/users");
    expect(response.status).toBe(401);
    expect(response.body.error?.code).toBe("auth.required");
  });

  it("refuses a mutation without the CSRF header", async () => {
    const client = await loggedIn(company, company.admin.email);
    const response = await client.post(
      "/api/agencies",
      { name: "Agence Nantes" },
      { "x-csrf-token": "forged" },
    );
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe("auth.csrf");
  });

  it("ends the session at logout", async () => {
    const client = await loggedIn(company, company.admin.email);
    const stolen = client.cookies.get("relais_session");
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    const replay = await browser().request("GET", "/api/auth/session", undefined, {
      cookie: `relais_session=${stolen}`,
    });
    expect(replay.status).toBe(401);
  });

  it("forces a password change at first login, then lets the user in", async () => {
    const user = await addUser(company, "user", [company.agencies[0]], true);
    const client = await loggedIn(company, user.email);
    expect((await client.get("/api/agencies")).body.error?.code).toBe("auth.password_change_required");
    const weak = await client.post("/api/auth/password/change", {
      currentPassword: PASSWORD,
      newPassword: "court",
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error?.code).toBe("password.too_weak");
    const changed = await client.post("/api/auth/password/change", {
      currentPassword: PASSWORD,
      newPassword: "Un-nouveau-mot-2026",
    });
    expect(changed.status).toBe(200);
    expect((await client.get("/api/agencies")).status).toBe(200);
  });
});

describe("password reset", () => {
  it("emails a single-use link that sets a new password", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const asked = await browser().post("/api/auth/password/forgot", {
      companyCode: company.code,
      email: user.email,
    });
    expect(asked.status).toBe(202);
    const [mail] = await mailbox(user.email);
    const token = /reset-password\?token=([\w-]+)/.exec(mail?.body.text ?? "")?.[1];
    expect(token).toBeDefined();

    const reset = await browser().post("/api/auth/password/reset", { token, password: "Tout-neuf-2026!" });
    expect(reset.status).toBe(204);
    const again = await browser().post("/api/auth/password/reset", { token, password: "Encore-autre-2026!" });
    expect(again.status).toBe(410);
    expect((await loggedIn(company, user.email, "Tout-neuf-2026!")).cookies.has("relais_session")).toBe(true);
  });

  it("sends at most three links an account per window, answering the same beyond", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    const answers = [];
    for (let request = 0; request < 5; request++) {
      answers.push(
        await browser().post("/api/auth/password/forgot", { companyCode: company.code, email: user.email }),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(await mailbox(user.email)).toHaveLength(3);
  });

  it("limits reset requests from one address across accounts, whatever X-Forwarded-For says", async () => {
    const client = browser();
    const users = await Promise.all(
      Array.from({ length: 11 }, () => addUser(company, "user", [company.agencies[0]])),
    );
    for (const [index, user] of users.entries()) {
      const asked = await client.request(
        "POST",
        "/api/auth/password/forgot",
        JSON.stringify({ companyCode: company.code, email: user.email }),
        { "content-type": "application/json", "x-forwarded-for": `198.51.100.${index}` },
      );
      expect(asked.status).toBe(202);
    }
    const last = users.at(-1);
    expect(await mailbox(users[0]?.email ?? "")).toHaveLength(1);
    expect(await mailbox(last?.email ?? "")).toEqual([]);
  });

  it("refuses an older link once a newer one was used", async () => {
    const user = await addUser(company, "user", [company.agencies[0]]);
    for (let request = 0; request < 2; request++) {
      await browser().post("/api/auth/password/forgot", { companyCode: company.code, email: user.email });
    }
    const tokens = (await mailbox(user.email)).map(
      (mail) => /reset-password\?token=([\w-]+)/.exec(mail.body.text)?.[1],
    );
    expect(tokens).toHaveLength(2);

    const newer = await browser().post("/api/auth/password/reset", {
      token: tokens[1],
      password: "Tout-neuf-2026!",
    });
    expect(newer.status).toBe(204);
    const older = await browser().post("/api/auth/password/reset", {
      token: tokens[0],
      password: "Autre-2026!",
    });
    expect(older.status).toBe(410);
    expect(older.body.error?.code).toBe("token.superseded");
  });

  it("answers the same for an unknown account and sends nothing", async () => {
    const email = "personne@example.fr";
    const asked = await browser().post("/api/auth/password/forgot", { companyCode: company.code, email });
    expect(asked.status).toBe(202);
    expect(await mailbox(email)).toEqual([]);
  });
});

describe("bad input", () => {
  it("answers malformed JSON with a 400", async () => {
    const response = await browser().request("POST", "/api/auth/login", "{not json", {
      "content-type": "application/json",
    });
    expect(response.status).toBe(400);
  });

  it("names unknown fields and wrong types", async () => {
    const unknown = await browser().post("/api/auth/login", {
      companyCode: "X",
      email: "a@b.fr",
      password: "x",
      isAdmin: true,
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain("isAdmin");
    const wrongType = await browser().post("/api/auth/login", {
      companyCode: 42,
      email: "a@b.fr",
      password: "x",
    });
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(wrongType.body)).toContain("companyCode");
  });
});
