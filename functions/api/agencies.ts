import { createRoute, z } from "@hono/zod-openapi";
import { Agency } from "../../core/agency";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const AgencyInfo = Agency.Info;
const tags = ["Agencies"];

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const agencies = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Agencies I belong to (all of them for Admins)",
      request: { query: z.object({ includeArchived: z.enum(["true", "false"]).optional() }) },
      responses: { 200: json(z.object({ items: z.array(AgencyInfo) }), "Agencies"), ...errors },
    }),
    async (c) =>
      c.json(
        { items: await Agency.list({ includeArchived: c.req.valid("query").includeArchived === "true" }) },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Create an agency (Admin)",
      request: body(z.strictObject({ name: z.string().max(120) })),
      responses: { 201: json(z.object({ agency: AgencyInfo }), "Created"), ...errors },
    }),
    async (c) => c.json({ agency: await Agency.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{agencyId}",
      tags,
      summary: "Rename or archive an agency (Admin)",
      request: {
        params: IdParam("agencyId"),
        ...body(
          z.strictObject({
            name: z.string().max(120).optional(),
            archived: z.boolean().optional(),
            phone: z.string().max(30).optional(),
          }),
        ),
      },
      responses: { 200: json(z.object({ agency: AgencyInfo }), "Updated"), ...errors },
    }),
    async (c) =>
      c.json(
        { agency: await Agency.update({ ...c.req.valid("json"), agencyId: c.req.valid("param").agencyId }) },
        200,
      ),
  );
