import { createRoute, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { useUser } from "../../core/actor";
import { Audit } from "../../core/audit";
import { Auth, Session } from "../../core/auth";
import { User } from "../../core/user";
import { router } from "./app";
import { body, errors, json } from "./schemas";
import { authenticated, clearSessionCookies, SESSION_COOKIE, setSessionCookies } from "./session";

const SessionInfo = Auth.SessionInfo;
// Session routes stay open while a password change is pending: that is how the change is made.
const signedIn = authenticated({ allowPasswordChange: true });
const me = () => {
  const user = useUser();
  return { companyId: user.companyId, userId: user.userId };
};
const tags = ["Authentication"];

/** Login, logout, the current session and passwords. Login and resets are public. */
export const auth = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/login",
      tags,
      summary: "Log in with company code, email and password",
      request: body(z.strictObject(Auth.Credentials.shape)),
      responses: {
        200: json(SessionInfo, "Logged in; sets the session and CSRF cookies"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        429: json(errors[400].content["application/json"].schema, "Too many failed attempts"),
      },
    }),
    async (c) => {
      const result = await Auth.login(c.req.valid("json"));
      setSessionCookies(c, result.session);
      return c.json(await Auth.describe(result, result.session), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/password/forgot",
      tags,
      summary: "Email a single-use reset link (valid one hour)",
      request: body(z.strictObject({ companyCode: z.string().max(40), email: z.string().max(254) })),
      responses: { 202: json(z.object({}), "Accepted, whether or not the account exists"), 400: errors[400] },
    }),
    async (c) => {
      await Auth.forgotPassword(c.req.valid("json"));
      return c.json({}, 202);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/password/reset",
      tags,
      summary: "Choose a new password with a reset link",
      request: body(z.strictObject({ token: z.string().max(200), password: z.string().max(200) })),
      responses: {
        204: { description: "Password changed; every session of the user ended" },
        400: errors[400],
        410: json(errors[400].content["application/json"].schema, "Link expired or already used"),
      },
    }),
    async (c) => {
      await Auth.resetPassword(c.req.valid("json"));
      return c.body(null, 204);
    },
  )

  .openapi(
    createRoute({
      method: "get",
      path: "/session",
      tags,
      summary: "The current user and session deadlines (counts as activity)",
      middleware: [signedIn] as const,
      responses: { 200: json(SessionInfo, "Current session"), 401: errors[401] },
    }),
    async (c) => c.json(await Auth.describe(me(), c.get("session")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/preferences",
      tags,
      summary: "My settings: console language, replies to my campaigns forwarded by email",
      middleware: [signedIn] as const,
      request: body(
        z.strictObject({ language: z.enum(["fr", "en"]).optional(), forwardReplies: z.boolean().optional() }),
      ),
      responses: { 200: json(SessionInfo, "Saved"), 400: errors[400], 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      await User.setPreferences(c.req.valid("json"));
      return c.json(await Auth.describe(me(), c.get("session")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/logout",
      tags,
      summary: "End the current session",
      middleware: [signedIn] as const,
      responses: { 204: { description: "Logged out" }, 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      await Audit.record("auth.logout");
      if (token) await Session.close(token);
      clearSessionCookies(c);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/password/change",
      tags,
      summary: "Change my password (required at first login with a temporary password)",
      middleware: [signedIn] as const,
      request: body(
        z.strictObject({ currentPassword: z.string().max(200), newPassword: z.string().max(200) }),
      ),
      responses: {
        200: json(SessionInfo, "Password changed"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        429: json(errors[400].content["application/json"].schema, "Too many wrong current passwords"),
      },
    }),
    async (c) => {
      const session = c.get("session");
      await Auth.changePassword({ ...c.req.valid("json"), keepSession: session.token });
      return c.json(await Auth.describe(me(), session), 200);
    },
  );
