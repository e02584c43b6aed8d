import { describe, expect, it } from "vitest";
import { Health } from "../../core/health";
import { app, routeKeys } from ".";
import { addUser, loggedIn, newCompany } from "./testing";

describe("API", () => {
  it("answers public health with up or down only", async () => {
    const response = await app.request("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "up" });
  });

  it("gives every dependency to a signed-in Admin only", async () => {
    const company = await newCompany();
    const admin = await loggedIn(company, company.admin.email);
    const user = await loggedIn(company, (await addUser(company, "user", [company.agencies[0]])).email);

    const details = await admin.get("/api/health/details");
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ status: "up", up: true });
    expect(details.body.dependencies).toHaveLength(11);
    expect((await user.get("/api/health/details")).status).toBe(403);
    expect((await app.request("/api/health/details")).status).toBe(401);
  });

  it("makes one round of AWS checks for a burst of requests", async () => {
    Health.forgetCached();
    const before = Health.rounds.count;

    const answers = await Promise.all(Array.from({ length: 20 }, () => app.request("/api/health")));

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(Health.rounds.count - before).toBe(1);
  });

  it("publishes an OpenAPI document listing its routes", async () => {
    const response = await app.request("/api/openapi.json");
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/api/health");
  });

  it("answers an unknown route with a JSON 404", async () => {
    const response = await app.request("/api/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "route.not_found" } });
  });

  it("refuses a body over 1 MB before reading it", async () => {
    const response = await app.request("/api/health", {
      method: "POST",
      body: "x".repeat(1024 * 1024 + 1),
      headers: { "content-type": "application/json", "content-length": String(1024 * 1024 + 1) },
    });
    expect(response.status).toBe(413);
  });

  it("lists its routes as API Gateway route keys", () => {
    expect(routeKeys()).toEqual(expect.arrayContaining(["GET /api/health", "GET /api/openapi.json"]));
  });
});
