import { createRoute } from "@hono/zod-openapi";
import { Usage } from "../../core/usage";
import { router } from "./app";
import { errors, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Usage"];
const secured = router();
secured.use("*", authenticated());

/** « Consommation »: the Admin's own company (its id from the session, never the request). */
export const usage = secured.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags,
    summary:
      "This month's SMS spending against the monthly cap, and the last 12 months' SMS units, messages by status, cost, imports and storage (Admin)",
    responses: { 200: json(Usage.CompanyUsage, "Usage"), ...errors },
  }),
  async (c) => c.json(await Usage.ofMyCompany(), 200),
);
