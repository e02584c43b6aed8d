import type { InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** « Consommation » (functions/api/usage.ts), through the typed `hc` client. */
export type CompanyUsage = InferResponseType<typeof api.api.usage.$get, 200>;
export type MonthUsage = CompanyUsage["months"][number];

export const usage = {
  get: () => unwrap(api.api.usage.$get({}, { init: { cache: "no-store" } })),
};

/** Operators' views of the same counters (functions/api/operator-usage.ts), for the operator console. */
export type OperatorMonth = InferResponseType<typeof api.api.operator.usage.$get, 200>;
export type OperatorCompanyUsage = InferResponseType<
  (typeof api.api.operator.usage)[":companyId"]["$get"],
  200
>;

export const operatorUsage = {
  month: (month?: string) =>
    unwrap(api.api.operator.usage.$get({ query: month ? { month } : {} }, { init: { cache: "no-store" } })),
  company: (companyId: string) =>
    unwrap(
      api.api.operator.usage[":companyId"].$get({ param: { companyId } }, { init: { cache: "no-store" } }),
    ),
  /** The invoicing workbook: a plain link (same origin, the operator's cookie goes with it). */
  exportPath: (month: string) => api.api.operator.usage.export.$path({ query: { month } }),
};
