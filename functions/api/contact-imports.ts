import { createRoute, z } from "@hono/zod-openapi";
import { ContactImport } from "../../core/contact-import";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Contact imports"];
const Path = IdParam("importId");
const one = json(z.object({ import: ContactImport.Info }), "The import");
const refused = {
  413: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), "File too large"),
  422: json(
    z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
    "The file cannot be imported (format, rows, columns), or the dry run found errors",
  ),
};

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const contactImports = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/template",
      tags,
      summary: "The .xlsx template of a contact import: every known column and two example lines",
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) =>
      c.body(new Uint8Array(await ContactImport.template()), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="modele-import-contacts.xlsx"',
      }),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Recent imports of the company that the user may see, newest first",
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional() }) },
      responses: { 200: json(z.object({ items: z.array(ContactImport.Info) }), "Imports"), ...errors },
    }),
    async (c) => c.json({ items: await ContactImport.list(c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Start an import: returns a presigned POST to upload the .xlsx or CSV straight to S3",
      description:
        `Limits: ${ContactImport.limits.maxBytes / 1024 / 1024} MB uploaded (enforced by S3), ` +
        `${ContactImport.limits.maxRows.toLocaleString("en")} data rows, ` +
        `${ContactImport.limits.maxUncompressedBytes / 1024 / 1024} MB uncompressed for an .xlsx.`,
      request: body(z.strictObject({ fileName: z.string().min(1).max(200), size: z.number().int().min(1) })),
      responses: {
        201: json(
          z.object({
            import: ContactImport.Info,
            upload: z.object({
              url: z.string(),
              fields: z.record(z.string(), z.string()),
              maxBytes: z.number().int(),
              expiresAt: z.string(),
            }),
          }),
          "Created; POST the file to `upload.url` with `upload.fields` then the file",
        ),
        ...errors,
        ...refused,
      },
    }),
    async (c) => c.json(await ContactImport.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{importId}",
      tags,
      summary: "Status and progress (rows done / total, created, updated, unchanged, skipped, errors)",
      request: { params: Path },
      responses: { 200: one, ...errors },
    }),
    async (c) => c.json({ import: await ContactImport.fromId(c.req.valid("param").importId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{importId}/check",
      tags,
      summary: "Dry run: validate every row, list each error with its line and column; writes nothing",
      request: {
        params: Path,
        ...body(z.strictObject({ mapping: ContactImport.Mapping.optional() })),
      },
      responses: {
        200: json(
          z.object({
            import: ContactImport.Info,
            total: z.number().int(),
            valid: z.number().int(),
            errorCount: z.number().int(),
            /** Lines in error: a line with two errors counts once here, twice in errorCount. */
            errorLines: z.number().int(),
            errors: z.array(ContactImport.LineErrorInfo),
            truncated: z.boolean(),
            /** Lines imported all the same but worth a look (no last name), with their line numbers. */
            warningCount: z.number().int(),
            warnings: z.array(ContactImport.LineErrorInfo),
            headers: ContactImport.Headers,
            preview: z.array(ContactImport.Preview),
          }),
          `The dry run: the first ${ContactImport.maxListedErrors} errors and ${ContactImport.previewSize} rows as they will be imported`,
        ),
        ...errors,
        ...refused,
      },
    }),
    async (c) => c.json(await ContactImport.check({ ...c.req.valid("json"), ...c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{importId}/start",
      tags,
      summary: "Run the import in the background, into these agencies (and fill a list)",
      request: {
        params: Path,
        ...body(
          z.strictObject({
            agencyIds: z.array(z.string().max(64)).min(1).max(50),
            listId: z.string().max(64).optional(),
            onlyValid: z.boolean().optional(),
          }),
        ),
      },
      responses: { 202: json(z.object({ import: ContactImport.Info }), "Queued"), ...errors, ...refused },
    }),
    async (c) =>
      c.json({ import: await ContactImport.start({ ...c.req.valid("json"), ...c.req.valid("param") }) }, 202),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{importId}/report",
      tags,
      summary: "A short-lived link to the error report (.xlsx); `?redirect=true` answers 302 to it",
      request: { params: Path, query: z.object({ redirect: z.enum(["true", "false"]).optional() }) },
      responses: {
        200: json(
          z.object({ url: z.string(), fileName: z.string(), expiresAt: z.string() }),
          "Presigned download link",
        ),
        302: { description: "Redirect to the presigned download link" },
        ...errors,
      },
    }),
    async (c) => {
      const link = await ContactImport.reportLink(c.req.valid("param").importId);
      if (c.req.valid("query").redirect === "true") return c.redirect(link.url, 302);
      return c.json(link, 200);
    },
  );
