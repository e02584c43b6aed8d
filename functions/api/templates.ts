import { createRoute, z } from "@hono/zod-openapi";
import { Template } from "../../core/template";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Templates"];
const Path = IdParam("templateId");
const one = json(z.object({ template: Template.Info }), "The template");
const Content = z.strictObject({
  name: z.string().max(120),
  kind: Template.Kind,
  smsBody: z.string().max(1600).optional(),
  emailSubject: z.string().max(200).optional(),
  emailHtml: z.string().max(100_000).optional(),
  scope: Template.Scope,
  agencyId: z.string().max(64).optional(),
});

const secured = router();
secured.use("*", authenticated());

export const templates = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Templates I may use: favourites, mine, company or all; searched by name or text",
      request: {
        query: z.object({
          filter: z.enum(["favourites", "mine", "company", "all"]).optional(),
          search: z.string().max(100).optional(),
          kind: Template.Kind.optional(),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(Template.Info) }), "Templates"), ...errors },
    }),
    async (c) => c.json({ items: await Template.list(c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Save a template (agency scope: Managers and Admins; company scope: Admins)",
      request: body(Content),
      responses: { 201: one, ...errors },
    }),
    async (c) => c.json({ template: await Template.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{templateId}",
      tags,
      summary: "One template",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ template: await Template.fromId(c.req.valid("param").templateId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{templateId}",
      tags,
      summary: "Edit a template I may edit",
      request: { params: Path, ...body(Content.partial()) },
      responses: { 200: one, ...errors },
    }),
    async (c) =>
      c.json({ template: await Template.update({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{templateId}",
      tags,
      summary: "Delete a template I may edit",
      request: { params: Path },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      await Template.remove(c.req.valid("param").templateId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{templateId}/duplicate",
      tags,
      summary: "Copy a template into my personal templates",
      request: { params: Path },
      responses: { 201: one, ...errors },
    }),
    async (c) => c.json({ template: await Template.duplicate(c.req.valid("param").templateId) }, 201),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/{templateId}/favourite",
      tags,
      summary: "Star or unstar a template (per user)",
      request: { params: Path, ...body(z.strictObject({ favourite: z.boolean() })) },
      responses: { 200: one, ...errors },
    }),
    async (c) =>
      c.json(
        { template: await Template.setFavourite({ ...c.req.valid("json"), ...c.req.valid("param") }) },
        200,
      ),
  );
