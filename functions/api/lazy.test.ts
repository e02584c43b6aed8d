import { describe, expect, it } from "vitest";
import { app, routeKeys } from ".";
import { base } from "./app";
import { handler } from "./lambda";
import { appFor, groupOf, groups, under } from "./lazy";

/** The Lambda entry's groups serve what the full app serves: same routes, middleware and order. */
const shared = base().routes.length;
const table = (routes: ReadonlyArray<{ method: string; path: string }>) =>
  routes.map((route) => `${route.method} ${route.path}`);
const concrete = (path: string) => path.replace(/:\w+(\{[^}]*\})?/g, "x").replace(/\*$/, "x");

describe("lazily imported router groups", () => {
  it.each(groups.map((group) => [group.prefixes.join(", "), group] as const))(
    "%s: the group app's route table is the full app's under its prefixes",
    async (_name, group) => {
      const loaded = await group.load();
      const expected = app.routes.filter(
        (route, index) => index < shared || group.prefixes.some((prefix) => under(route.path, prefix)),
      );
      expect(table(loaded.routes)).toEqual(table(expected));
    },
  );

  it("sends every route to the group holding it, and only the OpenAPI document and docs to the full app", () => {
    const toFull: string[] = [];
    for (const route of app.routes.slice(shared)) {
      const group = groupOf(concrete(route.path));
      if (!group) toFull.push(route.path);
      else
        expect(
          group.prefixes.some((prefix) => under(route.path, prefix)),
          route.path,
        ).toBe(true);
    }
    expect([...new Set(toFull)].sort()).toEqual(["/api/docs", "/api/openapi.json"]);
    expect(routeKeys().length).toBeGreaterThan(50);
  });

  it("answers each route key's path from its group, never the dispatcher's not-found", async () => {
    for (const key of routeKeys()) {
      const [method, pattern] = key.split(" ") as [string, string];
      const path = pattern.replace(/\{\w+\}/g, "x");
      const served = await appFor(path);
      expect(
        served.routes.some(
          (route) =>
            route.method === method &&
            concrete(route.path) === concrete(pattern.replace(/\{(\w+)\}/g, ":$1")),
        ),
        key,
      ).toBe(true);
    }
  });

  it("answers through the Lambda entry as the full app does", async () => {
    const event = (method: string, path: string) => ({
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: "",
      headers: { host: "api.example.fr", "user-agent": "test" },
      requestContext: {
        accountId: "123456789012",
        apiId: "api",
        domainName: "api.example.fr",
        domainPrefix: "api",
        http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
        requestId: "request",
        routeKey: "$default",
        stage: "$default",
        time: "06/Dec/2026:00:00:00 +0000",
        timeEpoch: 0,
      },
      isBase64Encoded: false,
    });
    for (const [method, path] of [
      ["GET", "/api/users"],
      ["GET", "/api/espace/documents"],
      ["GET", "/api/nowhere"],
      ["GET", "/api/openapi.json"],
    ] as const) {
      const full = await app.request(path, {
        method,
        headers: { host: "api.example.fr", "user-agent": "test" },
      });
      // biome-ignore lint/suspicious/noExplicitAny: a hand-built API Gateway event
      const lambda = await handler(event(method, path) as any, {} as any);
      expect(lambda.statusCode, path).toBe(full.status);
      if (path !== "/api/openapi.json") expect(JSON.parse(lambda.body), path).toEqual(await full.json());
      else
        expect(Object.keys(JSON.parse(lambda.body).paths)).toEqual(
          Object.keys(((await full.json()) as { paths: object }).paths),
        );
    }
  });
});
