import { createRoute, z } from "@hono/zod-openapi";
import { Certificate } from "../../core/signature";
import { router } from "./app";
import { body, errors, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Signature"];
const secured = router();
secured.use("*", authenticated());

const Upload = z.strictObject({
  /** The .p12/.pfx file, base64 (≤ 100 KB before encoding). */
  file: z
    .string()
    .min(1)
    .max(140_000)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "base64 expected"),
  password: z.string().max(200),
});

/** The company's sealing certificate (Administration → « Signature électronique »); the password never comes back. */
export const signature = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/certificate",
      tags,
      summary: "The company's signature certificate: subject, issuer, validity, fingerprint (Admin)",
      responses: {
        200: json(z.object({ certificate: Certificate.Info.nullable() }), "Certificate"),
        ...errors,
      },
    }),
    async (c) => c.json({ certificate: (await Certificate.info()) ?? null }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/certificate",
      tags,
      summary:
        "Upload or replace the company's PKCS#12 certificate (Admin): opened with its password, then stored encrypted",
      request: body(Upload),
      responses: {
        200: json(z.object({ certificate: Certificate.Info }), "Stored"),
        413: errors[400],
        ...errors,
      },
    }),
    async (c) => {
      const { file, password } = c.req.valid("json");
      const certificate = await Certificate.upload({ p12: Buffer.from(file, "base64"), password });
      return c.json({ certificate }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/certificate",
      tags,
      summary: "Remove the company's certificate (Admin)",
      responses: { 204: { description: "Removed" }, ...errors },
    }),
    async (c) => {
      await Certificate.remove();
      return c.body(null, 204);
    },
  );
