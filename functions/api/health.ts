import { createRoute } from "@hono/zod-openapi";
import { Health } from "../../core/health";
import { router } from "./app";

export const health = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Health"],
    summary: "State of every AWS dependency",
    responses: {
      200: { description: "All dependencies up", content: { "application/json": { schema: Health.Report } } },
      503: {
        description: "A dependency is down",
        content: { "application/json": { schema: Health.Report } },
      },
    },
  }),
  async (c) => {
    const report = await Health.check();
    return c.json(report, report.up ? 200 : 503);
  },
);
