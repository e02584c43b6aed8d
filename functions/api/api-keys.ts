import { createRoute, z } from "@hono/zod-openapi";
import { ApiKey } from "../../core/apikey";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["API keys"];
const secured = router();
secured.use("*", authenticated());

/** API keys of the company (Admin): the whole key is shown once, at creation; then only its name and use. */
export const apiKeys = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "The company's API keys, revoked ones included (Admin); never their secret",
      responses: { 200: json(z.object({ items: z.array(ApiKey.Info) }), "Keys"), ...errors },
    }),
    async (c) => c.json({ items: await ApiKey.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Create a key with its scopes (Admin); `key` is returned this once",
      request: body(ApiKey.NewKey),
      responses: {
        201: json(z.object({ key: z.string(), apiKey: ApiKey.Info }), "Created"),
        ...errors,
      },
    }),
    async (c) => {
      const created = await ApiKey.create(c.req.valid("json"));
      return c.json({ key: created.key, apiKey: created.info }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{keyId}/revoke",
      tags,
      summary: "Revoke a key (Admin): its next call gets 401",
      request: { params: IdParam("keyId") },
      responses: { 200: json(z.object({ apiKey: ApiKey.Info }), "Revoked"), ...errors },
    }),
    async (c) => c.json({ apiKey: await ApiKey.revoke(c.req.valid("param").keyId) }, 200),
  );
