import { createRoute, z } from "@hono/zod-openapi";
import { useRole } from "../../core/actor";
import { Company } from "../../core/company";
import { router } from "./app";
import { body, errors, json } from "./schemas";
import { authenticated } from "./session";

const CompanyInfo = Company.Info;
const tags = ["Company"];

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
export const company = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Company settings (Admin)",
      responses: { 200: json(CompanyInfo, "Settings"), ...errors },
    }),
    async (c) => {
      useRole("admin");
      return c.json(await Company.current(), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/",
      tags,
      summary: "Change name, code, time zone, language or logo (Admin)",
      request: body(
        z.strictObject({
          name: z.string().max(120).optional(),
          code: z.string().max(40).optional(),
          timezone: z.string().max(64).optional(),
          language: z.enum(["fr", "en"]).optional(),
          logoKey: z.string().max(200).optional(),
          smsUnitPriceMillicents: z.number().int().optional(),
        }),
      ),
      responses: { 200: json(CompanyInfo, "Updated"), ...errors },
    }),
    async (c) => c.json(await Company.update(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/logo",
      tags,
      summary: "Presigned upload for a new logo (PNG, JPEG or WebP, 1 MB)",
      request: body(
        z.strictObject({
          contentType: z.enum(["image/png", "image/jpeg", "image/webp"]),
          size: z.number().int(),
        }),
      ),
      responses: {
        200: json(
          z.object({ url: z.string(), fields: z.record(z.string(), z.string()), key: z.string() }),
          "Upload",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Company.logoUpload(c.req.valid("json")), 200),
  );
