import type { InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** « Rapports » (functions/api/reports.ts), through the typed `hc` client. */
export type Report = InferResponseType<typeof api.api.reports.$get, 200>;
export type Totals = Report["total"];
export type Period = { from: string; to: string };

export const reports = {
  get: (query: Period) => unwrap(api.api.reports.$get({ query }, { init: { cache: "no-store" } })),
  /** The workbook: a plain link (same origin, the session cookie goes with it). */
  exportPath: (query: Period) => api.api.reports.export.$path({ query }),
};
