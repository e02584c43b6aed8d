import type { InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** « Accueil » (functions/api/home.ts), through the typed `hc` client. */
export type Home = InferResponseType<typeof api.api.home.$get, 200>;
export type HomeReply = Home["replies"][number];

export const home = {
  get: () => unwrap(api.api.home.$get({}, { init: { cache: "no-store" } })),
};
