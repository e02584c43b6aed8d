import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { VisibleError } from "../../core/error";
import { Usage, UsageExport } from "../../core/usage";
import { Month, monthOf } from "../../core/usage/month";
import { type Env, router } from "./app";
import { operatorAuthenticated } from "./operator-session";
import { errors, IdParam, json } from "./schemas";

const tags = ["Operator"];
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const secured = router();
// The operator cookie, never a company session (a company's cookie opens nothing here).
secured.use("*", operatorAuthenticated() as unknown as MiddlewareHandler<Env>);

const MonthQuery = z.object({
  month: z.string().regex(Month, "A month as YYYY-MM").optional().openapi({ example: "2026-12" }),
});
const monthIn = (query: { month?: string }) => query.month ?? monthOf(new Date());

/** Usage of every company, for operators (mounted under /api/operator/usage). */
export const operatorUsage = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary:
        "Every company's usage in a month (this month by default): SMS units and messages by status, emails, cost, imports, storage",
      request: { query: MonthQuery },
      responses: {
        200: json(z.object({ month: z.string(), items: z.array(Usage.CompanyMonth) }), "Usage"),
        ...errors,
      },
    }),
    async (c) => {
      const month = monthIn(c.req.valid("query"));
      return c.json({ month, items: await Usage.ofMonth(month) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/export",
      tags,
      summary: "The same month in Excel (.xlsx, no formulas), for invoicing",
      request: { query: MonthQuery },
      responses: {
        200: {
          description: "The workbook",
          content: { [xlsxType]: { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { fileName, stream } = await UsageExport.exportMonth(monthIn(c.req.valid("query")));
      return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
        "Content-Type": xlsxType,
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{companyId}",
      tags,
      summary: "One company's last 12 months and this month against its cap",
      request: { params: IdParam("companyId") },
      responses: {
        200: json(
          Usage.CompanyUsage.extend({ companyId: z.string(), code: z.string(), name: z.string() }),
          "Usage",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const found = await Usage.ofCompany(c.req.valid("param").companyId);
      if (!found) throw new VisibleError("company.not_found", "No such company", 404);
      return c.json(found, 200);
    },
  );
