import { timingSafeEqual } from "node:crypto";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { ZodError } from "zod";
import { config } from "../../core/config";
import { VisibleError } from "../../core/error";
import { logger } from "../logger";
import { requestContext } from "./session";

export type Env = {
  Variables: {
    requestId: string;
    session: { token: string; csrfToken: string; idleExpiresAt: string; absoluteExpiresAt: string };
    /** Set by operatorAuthenticated() (operator-session.ts) on /api/operator routes. */
    operatorSession: {
      token: string;
      operatorId: string;
      csrfToken: string;
      pending: boolean;
      idleExpiresAt: string;
      absoluteExpiresAt: string;
    };
  };
};

/**
 * On Lambda (API Gateway's event in Hono's env), only requests CloudFront forwarded are served: CloudFront
 * adds `x-relais-origin` (stacks/Web.ts), a caller of the execute-api URL cannot. Without ORIGIN_SECRET
 * (the node server of `npm start` and tests) there is no API Gateway in front and nothing to check.
 */
const throughCloudFront: MiddlewareHandler<Env> = async (c, next) => {
  const secret = config("ORIGIN_SECRET");
  const viaApiGateway = Boolean((c.env as { requestContext?: unknown } | undefined)?.requestContext);
  if (secret && viaApiGateway) {
    const sent = Buffer.from(c.req.header("x-relais-origin") ?? "");
    const expected = Buffer.from(secret);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
      return c.json(
        { error: { code: "request.direct", message: "Use the console's address, not the API's own URL" } },
        403,
      );
  }
  await next();
};

/** A router whose validation failures become a 400 naming each bad field. */
export function router() {
  return new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const fields = result.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
      }));
      return c.json(
        {
          error: {
            code: "request.invalid",
            message: "Invalid request",
            fields,
            requestId: c.get("requestId"),
          },
        },
        400,
      );
    },
  });
}

export function base() {
  const app = router();
  app.use("*", requestId());
  app.use("*", secureHeaders());
  app.use("*", throughCloudFront);
  app.use("/api/*", requestContext);
  app.use("/l/*", requestContext);
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) =>
        c.json({ error: { code: "request.too_large", message: "Request body exceeds 1 MB" } }, 413),
    }),
  );
  app.onError((error, c) => {
    if (error instanceof VisibleError) {
      if (error.status === 429 && typeof error.details?.retryAfterSeconds === "number") {
        c.header("Retry-After", String(error.details.retryAfterSeconds));
      }
      return c.json({ error: { code: error.code, message: error.message, ...error.details } }, error.status);
    }
    if (error instanceof ZodError) {
      const fields = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      return c.json({ error: { code: "request.invalid", message: "Invalid request", fields } }, 400);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 400 ? "request.malformed" : "request.refused";
      return c.json({ error: { code, message: error.message } }, error.status);
    }
    // The only raw input that reaches ElectroDB: a pagination cursor someone edited.
    if (error instanceof Error && /Unable to parse cursor|provided starting key/i.test(error.message)) {
      return c.json(
        {
          error: {
            code: "request.cursor_invalid",
            message: "Invalid cursor: start again from the first page",
          },
        },
        400,
      );
    }
    if (error instanceof SyntaxError) {
      return c.json({ error: { code: "request.malformed_json", message: "Body is not valid JSON" } }, 400);
    }
    logger.error("unhandled", { error, requestId: c.get("requestId"), path: c.req.path });
    return c.json(
      { error: { code: "internal", message: "Unexpected error", requestId: c.get("requestId") } },
      500,
    );
  });
  app.notFound((c) => c.json({ error: { code: "route.not_found", message: "Not found" } }, 404));
  return app;
}
