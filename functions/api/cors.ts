import type { MiddlewareHandler } from "hono";
import { config } from "../../core/config";
import { isExtensionRoute } from "./extension-routes";

/**
 * CORS for the browser extension only: its origin (EXTENSION_ORIGINS), on the routes its tokens may call.
 * Any other origin or route gets no CORS header, so browsers keep every other page away. Credentials are
 * never allowed: the extension sends `Authorization: Bearer`, not the console's cookie.
 */
export const extensionCors: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header("origin");
  if (!origin || !config("EXTENSION_ORIGINS").includes(origin)) return next();
  const preflight = c.req.method === "OPTIONS" && c.req.header("access-control-request-method");
  const method = preflight
    ? (c.req.header("access-control-request-method") ?? "").toUpperCase()
    : c.req.method;
  if (!isExtensionRoute(method, c.req.path)) return next();
  if (preflight) {
    return c.body(null, 204, {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": method,
      "Access-Control-Allow-Headers": "authorization, content-type",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    });
  }
  await next();
  c.res.headers.set("Access-Control-Allow-Origin", origin);
  c.res.headers.append("Vary", "Origin");
};
