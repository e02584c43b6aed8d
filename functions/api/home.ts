import { createRoute } from "@hono/zod-openapi";
import { Home } from "../../core/home";
import { router } from "./app";
import { errors, json } from "./schemas";
import { authenticated } from "./session";

const secured = router();
secured.use("*", authenticated());

export const home = secured.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Home"],
    summary: "« Accueil »: my latest campaigns, the latest replies to them and what is scheduled",
    responses: { 200: json(Home.Info, "Home"), ...errors },
  }),
  async (c) => c.json(await Home.overview({}), 200),
);
