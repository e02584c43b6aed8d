import { createRoute, z } from "@hono/zod-openapi";
import { Contact } from "../../core/contact";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Contacts"];
const Path = IdParam("contactId");
const one = json(z.object({ contact: Contact.Info }), "The contact");
const Fields = z.strictObject({
  ...Contact.Input.shape,
  agencyIds: z.array(z.string().max(64)).max(50),
});

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const contacts = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Search contacts by name, number or email; filter by agency and type; paginated",
      request: {
        query: z.object({
          query: z.string().max(100).optional(),
          agencyId: z.string().max(64).optional(),
          type: z.enum(["externe", "interne", "client"]).optional(),
          archived: z.enum(["true", "false"]).optional(),
          cursor: z.string().max(2000).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({ items: z.array(Contact.Info), cursor: z.string().optional() }),
          "A page of contacts",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      return c.json(await Contact.search({ ...query, archived: query.archived === "true" }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Create a contact, or merge into the one with the same mobile or email",
      request: body(Fields),
      responses: {
        201: json(z.object({ contact: Contact.Info, merged: z.boolean() }), "Created or merged"),
        ...errors,
      },
    }),
    async (c) => c.json(await Contact.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{contactId}",
      tags,
      summary: "One contact",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ contact: await Contact.fromId(c.req.valid("param").contactId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{contactId}",
      tags,
      summary: "Edit or archive a contact",
      request: {
        params: Path,
        ...body(z.strictObject({ ...Fields.partial().shape, archived: z.boolean().optional() })),
      },
      responses: { 200: one, ...errors },
    }),
    async (c) =>
      c.json({ contact: await Contact.update({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{contactId}/opt-out",
      tags,
      summary: "Record or lift an opt-out for one channel",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            channel: z.enum(["sms", "email"]),
            optedOut: z.boolean(),
            source: z.string().max(100).default("console"),
          }),
        ),
      },
      responses: { 200: one, ...errors },
    }),
    async (c) =>
      c.json({ contact: await Contact.optOut({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{contactId}/export",
      tags,
      summary: "GDPR: everything held on the contact, as JSON",
      request: { params: Path },
      responses: {
        200: json(z.object({ contact: Contact.Info, exportedAt: z.string() }), "Everything held"),
        ...errors,
      },
    }),
    async (c) => {
      const data = await Contact.exportData(c.req.valid("param").contactId);
      c.header("Content-Disposition", `attachment; filename="contact-${data.contact.contactId}.json"`);
      return c.json(data, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{contactId}",
      tags,
      summary: "GDPR: erase the contact's personal data (statistics stay, anonymised)",
      request: { params: Path },
      responses: { 204: { description: "Erased" }, ...errors },
    }),
    async (c) => {
      await Contact.erase(c.req.valid("param").contactId);
      return c.body(null, 204);
    },
  );
