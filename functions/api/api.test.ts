import { describe, expect, it } from "vitest";
import { app, routeKeys } from ".";

describe("API", () => {
  it("answers health with every dependency", async () => {
    const response = await app.request("/api/health");
    const body = (await response.json()) as {
      up: boolean;
      dependencies: Array<{ name: string; up: boolean }>;
    };
    expect(response.status).toBe(200);
    expect(body.up).toBe(true);
    expect(body.dependencies).toHaveLength(10);
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
