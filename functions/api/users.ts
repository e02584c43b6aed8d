import { createRoute, z } from "@hono/zod-openapi";
import { User } from "../../core/user";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const UserSummary = User.Summary;
const tags = ["Users"];
const Path = IdParam("userId");
const one = json(z.object({ user: UserSummary }), "The user");

export const users = router();
users.use("*", authenticated());
users
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
