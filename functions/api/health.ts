import { createRoute } from "@hono/zod-openapi";
import { useRole } from "../../core/actor";
import { Health } from "../../core/health";
import { router } from "./app";
import { errors, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Health"];

/** Public: up or down, nothing else. Admins get each dependency, errors reduced to their names. */
export const health = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Up or down (checks cached a few seconds)",
      responses: {
        200: json(Health.Status, "Every dependency up"),
        503: json(Health.Status, "A dependency is down"),
      },
    }),
    async (c) => {
      const report = await Health.check();
      return c.json({ status: report.status }, report.up ? 200 : 503);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/details",
      tags,
      summary: "State of every AWS dependency (Admin)",
      // Polled every 5 s by the console: reading it must not keep an idle session alive.
      middleware: [authenticated({ notActivity: true })] as const,
      responses: {
        200: json(Health.Report, "All dependencies up"),
        503: json(Health.Report, "A dependency is down; says which"),
        401: errors[401],
        403: errors[403],
      },
    }),
    async (c) => {
      useRole("admin");
      const report = await Health.check();
      return c.json(report, report.up ? 200 : 503);
    },
  );
