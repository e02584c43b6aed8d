import { createRoute, z } from "@hono/zod-openapi";
import { roles, useRole } from "../../core/actor";
import { Company } from "../../core/company";
import * as DeliverySettings from "../../core/delivery/settings";
import { router } from "./app";
import { body, errors, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const CompanyInfo = Company.Info;
const tags = ["Company"];

const secured = router();
secured.use("*", authenticated());

/** Exported as the chain so the routes' types reach the console's typed client. */
const QuietHours = z.object({
  timezone: z.string(),
  start: z.string(),
  end: z.string(),
  sundays: z.boolean(),
  holidays: z.boolean(),
});
const Rates = z.object({ sms: z.number(), email: z.number() });
const DeliveryInfo = z.object({
  quietHours: QuietHours,
  perSecond: Rates,
  /** The operator's ceilings on `perSecond` (0: none). */
  perSecondMax: Rates,
  senderId: z.string().optional(),
  replyNumber: z.string().optional(),
  /** Countries SMS may go to (region codes), among those priced. */
  smsCountries: z.array(z.string()),
  pricedCountries: z.array(z.string()),
  /** The month's SMS spending cap and what was reserved against it so far, in euros. */
  monthlyCapEuros: z.number(),
  spentThisMonthEuros: z.number(),
  /** Roles that may send « Urgent ». */
  urgentRoles: z.array(z.enum(roles)),
  defaults: z.object({
    quietHours: QuietHours,
    perSecond: Rates,
    smsCountries: z.array(z.string()),
    monthlyCapEuros: z.number(),
    urgentRoles: z.array(z.enum(roles)),
  }),
  /** When a campaign sent now would actually leave (now, or the end of quiet hours). */
  nextSendAt: z.string(),
});

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
          // Set by operators only: sending it answers 403 company.price_by_operator.
          smsUnitPriceMillicents: z.number().int().optional(),
        }),
      ),
      responses: { 200: json(CompanyInfo, "Updated"), ...errors },
    }),
    async (c) => c.json(await Company.update(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/delivery",
      tags,
      summary: "Quiet hours, rate limits and SMS identities (Admin)",
      responses: { 200: json(DeliveryInfo, "Delivery settings"), ...errors },
    }),
    async (c) => {
      useRole("admin");
      return c.json(await DeliverySettings.describe(), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/delivery",
      tags,
      summary:
        "Change quiet hours, messages per second, the SMS sender ID (info), the number that takes replies (Yes/No), SMS countries or the monthly SMS cap (Admin)",
      request: body(
        z.strictObject({
          quietHours: z
            .strictObject({
              start: z.string().max(5).optional(),
              end: z.string().max(5).optional(),
              sundays: z.boolean().optional(),
              holidays: z.boolean().optional(),
            })
            .optional(),
          perSecond: z
            .strictObject({ sms: z.number().int().optional(), email: z.number().int().optional() })
            .optional(),
          senderId: z.string().max(20).nullable().optional(),
          replyNumber: z.string().max(20).nullable().optional(),
          smsCountries: z.array(z.string().max(2)).max(50).optional(),
          urgentRoles: z.array(z.enum(roles)).max(3).optional(),
        }),
      ),
      responses: { 200: json(DeliveryInfo, "Updated"), ...errors },
    }),
    async (c) => c.json(await DeliverySettings.update(c.req.valid("json")), 200),
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
        200: json(PresignedPost.extend({ key: z.string() }), "Upload"),
        ...errors,
      },
    }),
    async (c) => c.json(await Company.logoUpload(c.req.valid("json")), 200),
  );
