import { createRoute, z } from "@hono/zod-openapi";
import { Auth } from "../../core/auth";
import { config } from "../../core/config";
import { ExtensionToken } from "../../core/extension";
import { Home } from "../../core/home";
import { router } from "./app";
import { body, errors, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Browser extension"];
const Tokens = z.object({
  accessToken: z.string(),
  accessExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
const Signed = Tokens.extend({ user: Auth.Me });
const Refresh = z.strictObject({ refreshToken: z.string().max(100) });
const tooMany = json(errors[400].content["application/json"].schema, "Too many failed attempts");

async function signedAnswer(who: { companyId: string; userId: string }, tokens: ExtensionToken.Issued) {
  const { user } = await Auth.describe(who, {
    idleExpiresAt: tokens.refreshExpiresAt,
    absoluteExpiresAt: tokens.refreshExpiresAt,
  });
  return { ...tokens, user };
}

/**
 * The browser extension's sign-in (tokens in its own storage, never the console's cookie) and what it
 * needs beside the console's routes (extension-routes.ts): the replies that make its badge.
 */
export const extension = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags,
      summary:
        "Sign the extension in: the console's rules and limits; a 15-min access token and a refresh token",
      request: body(z.strictObject(Auth.Credentials.shape)),
      responses: {
        200: json(Signed, "Signed in"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        429: tooMany,
      },
    }),
    async (c) => {
      const signed = await Auth.signIn(c.req.valid("json"), "extension", (who) => ExtensionToken.open(who));
      return c.json(await signedAnswer(signed, signed.opened), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/refresh",
      tags,
      summary: "Spend the refresh token for a new pair; a refresh token used twice ends the sign-in",
      request: body(Refresh),
      responses: { 200: json(Signed, "New tokens"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => {
      const renewed = await ExtensionToken.refresh(c.req.valid("json").refreshToken);
      return c.json(await signedAnswer(renewed, renewed), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags,
      summary: "End the extension's sign-in (every token of it)",
      request: body(Refresh),
      responses: { 204: { description: "Signed out" }, 400: errors[400] },
    }),
    async (c) => {
      await ExtensionToken.close(c.req.valid("json").refreshToken);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/replies",
      tags,
      summary:
        "Replies to my campaigns received after `since` (the badge), each with its campaign's console link",
      middleware: [authenticated()] as const,
      request: { query: z.object({ since: z.iso.datetime().optional() }) },
      responses: {
        200: json(
          z.object({
            count: z.number().int(),
            items: z.array(Home.Reply.extend({ url: z.string() })),
            now: z.string(),
          }),
          "Replies",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const now = new Date().toISOString();
      const since = c.req.valid("query").since ?? "";
      const { replies } = await Home.overview({});
      const items = replies
        .filter((reply) => reply.receivedAt > since)
        .map((reply) => ({
          ...reply,
          url: new URL(`/campaigns/${reply.campaignId}`, config("PUBLIC_URL")).href,
        }));
      return c.json({ count: items.length, items, now }, 200);
    },
  );
