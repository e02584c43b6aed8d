import { createRoute, z } from "@hono/zod-openapi";
import { Auth, Session } from "../../core/auth";
import { Invitation } from "../../core/invitation";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated, setSessionCookies } from "./session";

const InvitationInfo = Invitation.Info;
const tags = ["Invitations"];
const Path = IdParam("invitationId");

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const invitations = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Invitations I may see",
      responses: { 200: json(z.object({ items: z.array(InvitationInfo) }), "Invitations"), ...errors },
    }),
    async (c) => c.json({ items: await Invitation.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary:
        "Invite someone by email or SMS (the email is their login; an SMS invitation may leave it to the person)",
      request: body(
        z.strictObject({
          channel: z.enum(["email", "sms"]),
          email: z.string().max(254).optional(),
          mobile: z.string().max(40).optional(),
          firstName: z.string().max(80).optional(),
          lastName: z.string().max(80).optional(),
          role: z.enum(["admin", "manager", "user"]),
          agencyIds: z.array(z.string().max(64)).max(50),
        }),
      ),
      responses: { 201: json(z.object({ invitation: InvitationInfo }), "Sent"), ...errors },
    }),
    async (c) => c.json({ invitation: await Invitation.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{invitationId}/resend",
      tags,
      summary: "Send a fresh link (the previous one stops working)",
      request: { params: Path },
      responses: { 200: json(z.object({ invitation: InvitationInfo }), "Resent"), ...errors },
    }),
    async (c) => c.json({ invitation: await Invitation.resend(c.req.valid("param").invitationId) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{invitationId}",
      tags,
      summary: "Revoke a pending invitation",
      request: { params: Path },
      responses: { 204: { description: "Revoked" }, ...errors },
    }),
    async (c) => {
      await Invitation.revoke(c.req.valid("param").invitationId);
      return c.body(null, 204);
    },
  );

const TokenPath = z.object({
  token: z
    .string()
    .min(10)
    .max(200)
    .openapi({ param: { name: "token", in: "path" } }),
});
const gone = json(errors[404].content["application/json"].schema, "Expired, used or revoked");

/** The registration page: public, the token in the link is the credential. */
export const publicInvitations = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/{token}",
      tags,
      summary: "What an invitation link is for",
      request: { params: TokenPath },
      responses: {
        200: json(
          z.object({
            email: z.string().optional(),
            mobile: z.string().optional(),
            firstName: z.string().optional(),
            lastName: z.string().optional(),
            companyName: z.string(),
            companyCode: z.string(),
            expiresAt: z.string(),
          }),
          "Invitation",
        ),
        400: errors[400],
        404: errors[404],
        410: gone,
      },
    }),
    async (c) => c.json(await Invitation.describe(c.req.valid("param").token), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{token}/accept",
      tags,
      summary: "Register from an invitation; logs the new user in",
      request: {
        params: TokenPath,
        ...body(
          z.strictObject({
            email: z.string().max(254).optional(),
            firstName: z.string().max(80),
            lastName: z.string().max(80),
            password: z.string().max(200),
            acceptTerms: z.boolean(),
          }),
        ),
      },
      responses: {
        200: json(Auth.SessionInfo, "Registered and logged in"),
        400: errors[400],
        404: errors[404],
        409: errors[409],
        410: gone,
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const who = await Invitation.accept({ ...input, token: c.req.valid("param").token } as Parameters<
        typeof Invitation.accept
      >[0]);
      const session = await Session.open(who.companyId, who.userId);
      setSessionCookies(c, session);
      return c.json(await Auth.describe(who, session), 200);
    },
  );
