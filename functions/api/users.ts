import { createRoute, z } from "@hono/zod-openapi";
import { useRole } from "../../core/actor";
import { User } from "../../core/user";
import { UserImport } from "../../core/user-import";
import { router } from "./app";
import { body, errors, IdParam, ImportLineError, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const UserSummary = User.Summary;
const tags = ["Users"];
const Path = IdParam("userId");
const one = json(z.object({ user: UserSummary }), "The user");

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const users = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/import/template",
      tags,
      summary: "The .xlsx template for a user import (Prénom, Nom, Email, Mobile, Rôle, Agences)",
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) => {
      useRole("admin", "manager");
      const file = await UserImport.template();
      return c.body(new Uint8Array(file), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="modele-import-utilisateurs.xlsx"',
      });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/import/uploads",
      tags,
      summary: "Presigned upload for a user import (.xlsx or .csv, 10 MB, 5,000 rows)",
      request: body(z.strictObject({ fileName: z.string().max(200), size: z.number().int() })),
      responses: {
        200: json(PresignedPost.extend({ uploadId: z.string() }), "Where to POST the file"),
        ...errors,
        413: errors[400],
      },
    }),
    async (c) => c.json(await UserImport.upload(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/import/{uploadId}/check",
      tags,
      summary: "Dry run: every error with its line and column; nothing is written",
      request: { params: IdParam("uploadId") },
      responses: {
        200: json(
          z.object({
            total: z.number(),
            valid: z.number(),
            errors: z.array(ImportLineError),
            preview: z.array(
              z.object({
                line: z.number(),
                email: z.string(),
                firstName: z.string(),
                lastName: z.string(),
                mobile: z.string().optional(),
                role: User.Role,
                agencies: z.array(z.string()),
              }),
            ),
          }),
          "Dry run report",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { candidates: _, preview, ...report } = await UserImport.check(c.req.valid("param").uploadId);
      return c.json({ ...report, preview: preview.map(({ agencyIds: _ids, ...line }) => line) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/import/{uploadId}/commit",
      tags,
      summary: "Import the file (or only its valid lines) and optionally invite everyone",
      request: {
        params: IdParam("uploadId"),
        ...body(z.strictObject({ onlyValid: z.boolean(), invite: z.enum(["none", "email", "sms"]) })),
      },
      responses: {
        200: json(
          z.object({
            created: z.number(),
            invited: z.number(),
            skipped: z.number(),
            temporaryPasswords: z.array(z.object({ email: z.string(), password: z.string() })),
          }),
          "Imported",
        ),
        ...errors,
        422: errors[400],
      },
    }),
    async (c) => c.json(await UserImport.commit({ ...c.req.valid("json"), ...c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Users I may see, filtered",
      request: {
        query: z.object({
          search: z.string().max(100).optional(),
          agencyId: z.string().max(64).optional(),
          role: User.Role.optional(),
          status: z.enum(["active", "deactivated"]).optional(),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(UserSummary) }), "Users"), ...errors },
    }),
    async (c) => c.json({ items: await User.list(c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Create a user with a temporary password (shown once, changed at first login)",
      request: body(z.strictObject(User.NewUser.shape)),
      responses: {
        201: json(z.object({ user: UserSummary, temporaryPassword: z.string() }), "Created"),
        ...errors,
      },
    }),
    async (c) => c.json(await User.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{userId}",
      tags,
      summary: "One user",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ user: await User.fromId(c.req.valid("param").userId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{userId}",
      tags,
      summary: "Change names, mobile, role (Admin) or agencies",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            firstName: z.string().max(80).optional(),
            lastName: z.string().max(80).optional(),
            mobile: z.string().max(40).nullable().optional(),
            role: User.Role.optional(),
            agencyIds: z.array(z.string().max(64)).max(50).optional(),
          }),
        ),
      },
      responses: { 200: one, ...errors },
    }),
    async (c) =>
      c.json({ user: await User.update({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{userId}/deactivate",
      tags,
      summary: "Deactivate a user; their sessions end at once",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ user: await User.deactivate(c.req.valid("param").userId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{userId}/reactivate",
      tags,
      summary: "Reactivate a user",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ user: await User.reactivate(c.req.valid("param").userId) }, 200),
  );
