import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { withActor } from "../../core/actor";
import * as Session from "../../core/auth/session";
import { assertOpen } from "../../core/company/state";
import { config } from "../../core/config";
import { VisibleError } from "../../core/error";
import { withRequest } from "../../core/request";
import { UserEntity } from "../../core/user/user.entity";
import type { Env } from "./app";
import { clientIp } from "./client-ip";
import { routeKeyOf, scopeOf } from "./key-scopes";

export const SESSION_COOKIE = "relais_session";
export const CSRF_COOKIE = "relais_csrf";
const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The caller's address (see client-ip.ts), for rate limits and the audit log. */
export const requestContext: MiddlewareHandler<Env> = (c, next) =>
  withRequest(
    {
      ip: clientIp(c),
      requestId: c.get("requestId"),
      userAgent: c.req.header("user-agent"),
    },
    next,
  );

/**
 * Resolves the session cookie into the actor every core verb reads. The company, agencies and role come
 * from the stored user, never from the request. Mutations must echo the session's CSRF token.
 */
export function authenticated(
  options: { allowPasswordChange?: boolean; notActivity?: boolean } = {},
): MiddlewareHandler<Env> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token && bearer) return withApiKey(c, next, bearer);
    if (!token) throw new VisibleError("auth.required", "Please log in", 401);
    const session = await Session.resume(token, new Date(), !options.notActivity);
    // The user's row as User.byId reads it, without core/user's dependencies (the phone parser,
    // notifications, storage) in the API's init: every router group imports this middleware.
    const [user] = await Promise.all([
      withActor({ type: "system", companyId: session.companyId, reason: "session" }, async () => {
        const { data } = await UserEntity.get({ companyId: session.companyId, userId: session.userId }).go();
        return data;
      }),
      // A suspended or closed company's sessions stop at once (403 company.suspended / company.closed).
      assertOpen(session.companyId),
    ]);
    if (user?.status !== "active") {
      await Session.close(token);
      throw new VisibleError("auth.required", "Please log in", 401);
    }
    if (mutating.has(c.req.method) && c.req.header("x-csrf-token") !== session.csrfToken) {
      throw new VisibleError("auth.csrf", "Missing or wrong CSRF token (x-csrf-token header)", 403);
    }
    if (user.mustChangePassword && !options.allowPasswordChange) {
      throw new VisibleError("auth.password_change_required", "Please choose a new password first", 403);
    }
    c.set("session", { token, ...session });
    return withActor(
      {
        type: "user",
        companyId: session.companyId,
        userId: user.userId,
        role: user.role,
        agencyIds: [...(user.agencyIds ?? [])],
        name: `${user.firstName} ${user.lastName}`,
      },
      next,
    );
  };
}

/**
 * A call with `Authorization: Bearer <key>` and no session cookie: no cookie, so no CSRF to fear. The key
 * is checked (401), counted (429), then its scopes are matched against the route's (key-scopes.ts, else
 * 403 `apikey.scope`). Every call that got this far is audited under the key's name with its answer.
 */
async function withApiKey(c: Context<Env>, next: () => Promise<void>, bearer: string) {
  // Loaded on the first call with a key: console requests never pay for it.
  const [{ ApiKey }, { Audit }] = await Promise.all([
    import("../../core/apikey"),
    import("../../core/audit"),
  ]);
  const actor = await ApiKey.authenticate(bearer);
  return withActor(actor, async () => {
    await ApiKey.countCall(actor);
    const scope = scopeOf(c);
    let status = 403;
    try {
      if (!scope || !actor.scopes.includes(scope))
        throw new VisibleError("apikey.scope", "This API key may not call this route", 403);
      await next();
      status = c.res.status;
    } finally {
      await Audit.record("apikey.used", {
        target: { type: "apiKey", id: actor.keyId, label: actor.keyName },
        details: { route: routeKeyOf(c), status },
      });
    }
  });
}

const secure = () => config("PUBLIC_URL").startsWith("https://");

export function setSessionCookies(c: Context, opened: { token: string; csrfToken: string }) {
  const maxAge = config("SESSION_MAX_SECONDS");
  setCookie(c, SESSION_COOKIE, opened.token, {
    httpOnly: true,
    secure: secure(),
    sameSite: "Lax",
    path: "/",
    maxAge,
  });
  // Readable by the console, which echoes it in x-csrf-token; useless to another site, which cannot read it.
  setCookie(c, CSRF_COOKIE, opened.csrfToken, {
    httpOnly: false,
    secure: secure(),
    sameSite: "Lax",
    path: "/",
    maxAge,
  });
}

export function clearSessionCookies(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secure() });
  deleteCookie(c, CSRF_COOKIE, { path: "/", secure: secure() });
}
