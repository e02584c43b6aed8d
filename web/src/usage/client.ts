import type { InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** « Consommation » (functions/api/usage.ts), through the typed `hc` client. */
export type CompanyUsage = InferResponseType<typeof api.api.usage.$get, 200>;
export type MonthUsage = CompanyUsage["months"][number];

export const usage = {
  get: () => unwrap(api.api.usage.$get({}, { init: { cache: "no-store" } })),
};
