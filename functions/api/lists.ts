import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { List } from "../../core/list";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Distribution lists"];
const Path = IdParam("listId");
const MemberPath = z.object({
  ...Path.shape,
  ...IdParam("contactId").shape,
});
const one = json(z.object({ list: List.Info }), "The list");
const FieldValues = z.record(z.string().max(100), z.string().max(500).nullable());
const ContactIds = z.array(z.string().min(1).max(64)).max(List.maxSelection);
const Added = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Contact ids skipped: unknown, erased, or not in my agencies. */
  notFound: z.array(z.string()),
});
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const lists = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Distribution lists I may see (all for Admins, my agencies' otherwise), newest first",
      request: {
        query: z.object({
          query: z.string().max(100).optional(),
          agencyId: z.string().max(64).optional(),
          cursor: z.string().max(2000).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
      responses: {
        200: json(z.object({ items: z.array(List.Info), cursor: z.string().optional() }), "A page of lists"),
        ...errors,
      },
    }),
    async (c) => c.json(await List.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary:
        "Create a list: empty, from a selection of contacts (contactIds), from numbers and emails pasted from Excel (paste), or both; up to 15 custom fields",
      request: body(
        z.strictObject({
          name: z.string().max(120),
          agencyId: z.string().max(64),
          fields: z.array(z.string().max(100)).max(50).optional(),
          contactIds: ContactIds.optional(),
          paste: z.string().max(List.maxPasteLength).optional(),
        }),
      ),
      responses: {
        201: json(
          z.object({ list: List.Info, added: Added.optional(), paste: List.PasteReport.optional() }),
          "Created; what the selection and the paste added, with every invalid pasted entry and its reason",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await List.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{listId}",
      tags,
      summary: "One list: name, agency, custom fields, member count",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ list: await List.fromId(c.req.valid("param").listId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{listId}",
      tags,
      summary:
        "Rename, move to another agency, or edit custom fields: send the whole new field list ({ id, name } keeps or renames, { name } adds, a field left out is removed) with the fieldsVersion it was made from (409 if edited meanwhile)",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            name: z.string().max(120).optional(),
            agencyId: z.string().max(64).optional(),
            fields: z
              .array(z.strictObject({ id: z.string().max(20).optional(), name: z.string().max(100) }))
              .max(50)
              .optional(),
            fieldsVersion: z.number().int().optional(),
          }),
        ),
      },
      responses: { 200: one, ...errors },
    }),
    async (c) =>
      c.json({ list: await List.update({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{listId}",
      tags,
      summary: 'Delete a list and its members (contacts stay); requires the body { "confirm": true }',
      request: {
        params: Path,
        ...body(
          z.strictObject({
            confirm: z.literal(true, { error: 'Confirm the deletion with { "confirm": true }' }),
          }),
        ),
      },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      await List.remove({ ...c.req.valid("json"), ...c.req.valid("param") });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{listId}/duplicate",
      tags,
      summary: "Duplicate: a new list with the same agency, fields, members and values (« Dupliquer »)",
      request: { params: Path, ...body(z.strictObject({ name: z.string().max(120).optional() })) },
      responses: { 201: one, ...errors },
    }),
    async (c) =>
      c.json({ list: await List.duplicate({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/paste-preview",
      tags,
      summary:
        "What a paste would do, writing nothing: columns of an Excel block (tabs or ;) and how each maps to the address or a field (by header, else by position), and the lines refused",
      request: body(
        z.strictObject({
          text: z.string().max(List.maxPasteLength),
          /** The list's field names, or those typed for a new list. */
          fields: z.array(z.string().max(100)).max(50).optional(),
          /** Creating a list: unmatched headers would become new fields. */
          newFields: z.boolean().optional(),
        }),
      ),
      responses: {
        200: json(z.object({ preview: List.PastePreview }), "How the paste reads"),
        413: json(
          z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
          "Too many entries",
        ),
        ...errors,
      },
    }),
    async (c) => c.json({ preview: await List.previewPaste(c.req.valid("json")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{listId}/paste",
      tags,
      summary:
        "Add numbers and emails pasted from Excel (tabs, newlines, ; and , separate entries), or a block of columns (tabs or ;) whose other columns fill the members' fields; they become contacts of the list's agency; invalid entries or lines come back with their reason",
      request: { params: Path, ...body(z.strictObject({ text: z.string().max(List.maxPasteLength) })) },
      responses: {
        200: json(z.object({ report: List.PasteReport, list: List.Info }), "What the paste did"),
        413: json(
          z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
          "Too many entries",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { listId } = c.req.valid("param");
      const report = await List.paste({ listId, text: c.req.valid("json").text });
      return c.json({ report, list: await List.fromId(listId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{listId}/members",
      tags,
      summary: "A page of members with their field values and contacts (name, mobile, email, opt-outs)",
      request: {
        params: Path,
        query: z.object({
          cursor: z.string().max(2000).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({ items: z.array(List.Member), cursor: z.string().optional() }),
          "A page of members",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await List.members({ ...c.req.valid("query"), ...c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{listId}/members",
      tags,
      summary:
        "Add contacts (« Ajouter des membres »): contactIds, and/or members with field values by field name; members already in the list get their values updated",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            contactIds: ContactIds.optional(),
            members: z
              .array(z.strictObject({ contactId: z.string().min(1).max(64), fields: FieldValues.optional() }))
              .max(List.maxSelection)
              .optional(),
          }),
        ),
      },
      responses: { 200: json(z.object({ result: Added, list: List.Info }), "What was added"), ...errors },
    }),
    async (c) => {
      const { listId } = c.req.valid("param");
      const input = c.req.valid("json");
      const result = await List.addMembers(listId, [
        ...(input.contactIds ?? []).map((contactId) => ({ contactId })),
        ...(input.members ?? []),
      ]);
      return c.json({ result, list: await List.fromId(listId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{listId}/members/remove",
      tags,
      summary: "Remove several members at once (contacts stay); ids not in the list are ignored",
      request: { params: Path, ...body(z.strictObject({ contactIds: ContactIds.min(1) })) },
      responses: {
        200: json(z.object({ removed: z.number().int(), list: List.Info }), "How many were removed"),
        ...errors,
      },
    }),
    async (c) => {
      const { listId } = c.req.valid("param");
      const { removed } = await List.removeMembers({ listId, ...c.req.valid("json") });
      return c.json({ removed, list: await List.fromId(listId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{listId}/members/{contactId}",
      tags,
      summary: "Set a member's field values by field name (null clears one)",
      request: { params: MemberPath, ...body(z.strictObject({ fields: FieldValues })) },
      responses: { 200: json(z.object({ member: List.Member }), "The member"), ...errors },
    }),
    async (c) =>
      c.json({ member: await List.updateMember({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{listId}/members/{contactId}",
      tags,
      summary: "Remove one member (the contact stays)",
      request: { params: MemberPath },
      responses: { 204: { description: "Removed" }, ...errors },
    }),
    async (c) => {
      await List.removeMember(c.req.valid("param"));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{listId}/clean",
      tags,
      summary:
        "Clean, step 1 (« Nettoyer »): what would be removed — invalid (no SMS-capable mobile, no email), opted out of every channel, duplicates by mobile or email — and a token for step 2",
      request: { params: Path },
      responses: { 200: json(List.CleanPreview, "The preview; nothing removed"), ...errors },
    }),
    async (c) => c.json(await List.cleanPreview(c.req.valid("param").listId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{listId}/clean",
      tags,
      summary:
        "Clean, step 2: remove exactly the previewed members of the chosen categories; 409 if the list changed since the preview (the token no longer matches)",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            token: z.string().min(1).max(100),
            categories: z.array(z.enum(List.categories)).min(1).optional(),
          }),
        ),
      },
      responses: {
        200: json(
          z.object({
            removed: z.object({
              invalid: z.number().int(),
              optedOut: z.number().int(),
              duplicates: z.number().int(),
            }),
            list: List.Info,
          }),
          "How many were removed per category",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await List.clean({ ...c.req.valid("json"), ...c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{listId}/health",
      tags,
      summary:
        "Health summary: valid, invalid, opted out (SMS, email), duplicates, reachable by SMS, reachable by email",
      request: { params: Path },
      responses: { 200: json(z.object({ health: List.HealthSummary }), "The counts"), ...errors },
    }),
    async (c) => c.json({ health: await List.health(c.req.valid("param").listId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{listId}/export",
      tags,
      summary: "Export members and their field values to Excel (.xlsx, streamed; formulas written as text)",
      request: { params: Path },
      responses: {
        200: {
          description: "The workbook",
          content: { [xlsxType]: { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { fileName, stream } = await List.exportXlsx(c.req.valid("param").listId);
      return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
        "Content-Type": xlsxType,
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      });
    },
  );
