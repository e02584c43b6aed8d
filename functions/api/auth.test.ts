import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../../core/actor";
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
    const client = browser();
    let last = 0;
    for (let attempt = 0; attempt < 31; attempt++) {
      last = (
        await client.post("/api/auth/login", {
          companyCode: company.code,
          email: `x${attempt}@x.fr`,
          password: "x",
        })
      ).status;
    }
    expect(last).toBe(429);
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
