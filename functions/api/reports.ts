import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { Report } from "../../core/report";
import { router } from "./app";
import { errors, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Reports"];
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// Checked by the core (422 with a message) rather than here, so a bad month is told apart from a bad request.
const Query = z.object({ from: z.string().max(20), to: z.string().max(20) });
const invalid = { 422: errors[400] };

const secured = router();
secured.use("*", authenticated());

export const reports = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary:
        "Campaigns, messages sent, delivered, answered and opted out, with delivery and answer rates, per month, agency and user (YYYY-MM, 24 months at most)",
      request: { query: Query },
      responses: { 200: json(Report.Info, "Report"), ...invalid, ...errors },
    }),
    async (c) => c.json(await Report.build(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/export",
      tags,
      summary: "The same report in Excel (.xlsx, no formulas): a sheet per month, agency and user",
      request: { query: Query },
      responses: {
        200: {
          description: "The workbook",
          content: { [xlsxType]: { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...invalid,
        ...errors,
      },
    }),
    async (c) => {
      const { fileName, stream } = await Report.exportXlsx(c.req.valid("query"));
      return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
        "Content-Type": xlsxType,
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      });
    },
  );
