import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientIp, viewerIp } from "./client-ip";

const echo = new Hono().get("/", (c) => c.text(clientIp(c) ?? "none"));
const lambda = (sourceIp: string) => ({ requestContext: { http: { sourceIp } } });

describe("client address", () => {
  it("takes CloudFront's viewer address in Lambda, not X-Forwarded-For", async () => {
    const response = await echo.request(
      "/",
      { headers: { "x-forwarded-for": "6.6.6.6", "cloudfront-viewer-address": "203.0.113.7:46532" } },
      lambda("130.176.0.1"),
    );
    expect(await response.text()).toBe("203.0.113.7");
  });

  it("takes API Gateway's sourceIp without CloudFront", async () => {
    const response = await echo.request(
      "/",
      { headers: { "x-forwarded-for": "6.6.6.6" } },
      lambda("192.0.2.9"),
    );
    expect(await response.text()).toBe("192.0.2.9");
  });

  it("takes the socket's address on the node server", async () => {
    const response = await echo.request(
      "/",
      { headers: { "x-forwarded-for": "6.6.6.6" } },
      { incoming: { socket: { remoteAddress: "127.0.0.1" } } },
    );
    expect(await response.text()).toBe("127.0.0.1");
  });

  it("knows no address from headers alone", async () => {
    const response = await echo.request("/", { headers: { "x-forwarded-for": "6.6.6.6" } });
    expect(await response.text()).toBe("none");
  });

  it("reads IPv6 viewer addresses, whose port is after the last colon", () => {
    expect(viewerIp("2001:db8::1:443")).toBe("2001:db8::1");
    expect(viewerIp("not an address:1")).toBeUndefined();
  });
});

describe("API Gateway's own URL", () => {
  it("refuses requests CloudFront did not forward once ORIGIN_SECRET is set, so the viewer address cannot be forged", async () => {
    const { resetConfig } = await import("../../core/config");
    const { app } = await import("./index");
    const secret = "s".repeat(48);
    process.env.ORIGIN_SECRET = secret;
    resetConfig();
    try {
      const forged = await app.request(
        "/api/health",
        { headers: { "cloudfront-viewer-address": "203.0.113.7:1" } },
        lambda("198.51.100.1"),
      );
      expect(forged.status).toBe(403);
      expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("request.direct");
      const wrong = await app.request(
        "/l/abc",
        { headers: { "x-relais-origin": "s".repeat(47) } },
        lambda("198.51.100.1"),
      );
      expect(wrong.status).toBe(403);
      const forwarded = await app.request(
        "/api/health",
        { headers: { "x-relais-origin": secret } },
        lambda("130.176.0.1"),
      );
      expect(forwarded.status).not.toBe(403);
      // The node server (npm start, tests) has no API Gateway in front: nothing to check there.
      expect((await app.request("/api/health")).status).not.toBe(403);
    } finally {
      delete process.env.ORIGIN_SECRET;
      resetConfig();
    }
  });
});
