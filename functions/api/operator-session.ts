import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { withActor } from "../../core/actor";
import { config } from "../../core/config";
import { VisibleError } from "../../core/error";
import { OperatorEntity } from "../../core/operator/operator.entity";
import * as OperatorSession from "../../core/operator/session";
import type { Env } from "./app";

/**
 * The operator console's own cookies: a company session never opens /api/operator, and an operator's
 * never opens the company routes (they read relais_session, which an operator never has).
 */
export const OPERATOR_COOKIE = "relais_operateur";
export const OPERATOR_CSRF_COOKIE = "relais_operateur_csrf";
const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const secure = () => config("PUBLIC_URL").startsWith("https://");

/** The routers of /api/operator use the API's Env (app.ts), which carries `operatorSession`. */
export type OperatorEnv = Env;

/**
 * Resolves the operator cookie into an `operator` actor. Mutations must echo the session's CSRF token.
 * `pending: true` lets through a session whose TOTP is still to be typed (only the TOTP step uses it).
 */
export function operatorAuthenticated(options: { pending?: boolean } = {}): MiddlewareHandler<OperatorEnv> {
  return async (c, next) => {
    const token = getCookie(c, OPERATOR_COOKIE);
    if (!token) throw new VisibleError("auth.required", "Please sign in", 401);
    const session = await OperatorSession.resume(token);
    if (session.pending !== Boolean(options.pending)) {
      throw new VisibleError(
        session.pending ? "operator.totp_required" : "auth.required",
        session.pending ? "Type the code from your authenticator app first" : "Please sign in",
        401,
      );
    }
    if (mutating.has(c.req.method) && c.req.header("x-csrf-token") !== session.csrfToken) {
      throw new VisibleError("auth.csrf", "Missing or wrong CSRF token (x-csrf-token header)", 403);
    }
    const { data: operator } = await OperatorEntity.get({ operatorId: session.operatorId }).go();
    if (operator?.status !== "active") {
      await OperatorSession.close(token);
      throw new VisibleError("auth.required", "Please sign in", 401);
    }
    c.set("operatorSession", { token, ...session });
    return withActor({ type: "operator", operatorId: operator.operatorId, name: operator.name }, next);
  };
}

export function setOperatorCookies(c: Context, opened: { token: string; csrfToken: string }) {
  const maxAge = OperatorSession.MAX_SECONDS;
  const options = { secure: secure(), sameSite: "Strict", path: "/", maxAge } as const;
  setCookie(c, OPERATOR_COOKIE, opened.token, { ...options, httpOnly: true });
  // Readable by the operator console, which echoes it in x-csrf-token.
  setCookie(c, OPERATOR_CSRF_COOKIE, opened.csrfToken, options);
}

export function clearOperatorCookies(c: Context) {
  deleteCookie(c, OPERATOR_COOKIE, { path: "/", secure: secure() });
  deleteCookie(c, OPERATOR_CSRF_COOKIE, { path: "/", secure: secure() });
}
