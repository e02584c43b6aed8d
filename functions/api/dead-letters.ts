import { createRoute, z } from "@hono/zod-openapi";
import { DeadLetter } from "../../core/dead-letter";
import { router } from "./app";
import { errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Dead letters"];
const Path = IdParam("deadLetterId");

const secured = router();
secured.use("*", authenticated());

/** « Échecs techniques »: jobs that failed every attempt, for the company's Admins to retry or dismiss. */
export const deadLetters = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "The company's jobs that failed every attempt and reached a dead-letter queue (Admin)",
      request: { query: z.object({ cursor: z.string().max(2000).optional() }) },
      responses: {
        200: json(
          z.object({ items: z.array(DeadLetter.Info), cursor: z.string().optional() }),
          "Dead letters",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await DeadLetter.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{deadLetterId}/retry",
      tags,
      summary: "Put the job back on its queue as it was (jobs are idempotent) (Admin)",
      request: { params: Path },
      responses: { 204: { description: "Queued again" }, ...errors },
    }),
    async (c) => {
      await DeadLetter.retry(c.req.valid("param").deadLetterId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{deadLetterId}/dismiss",
      tags,
      summary: "Mark it seen without retrying (Admin)",
      request: { params: Path },
      responses: { 204: { description: "Dismissed" }, ...errors },
    }),
    async (c) => {
      await DeadLetter.dismiss(c.req.valid("param").deadLetterId);
      return c.body(null, 204);
    },
  );
