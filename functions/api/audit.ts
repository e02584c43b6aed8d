import { createRoute, z } from "@hono/zod-openapi";
import { useRole } from "../../core/actor";
import { Audit } from "../../core/audit";
import { router } from "./app";
import { errors, json } from "./schemas";
import { authenticated } from "./session";

const secured = router();
secured.use("*", authenticated());

export const audit = secured.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Audit"],
    summary: "Security log, newest first (Admin)",
    request: {
      query: z.object({
        type: Audit.Type.optional(),
        from: z.iso.date().optional().openapi({ description: "On or after this day (Europe/Paris)" }),
        to: z.iso.date().optional().openapi({ description: "On or before this day (Europe/Paris)" }),
        cursor: z.string().max(2000).optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
    },
    responses: {
      200: json(z.object({ items: z.array(Audit.Entry), cursor: z.string().optional() }), "Entries"),
      ...errors,
    },
  }),
  async (c) => {
    useRole("admin");
    return c.json(await Audit.list(c.req.valid("query")), 200);
  },
);
