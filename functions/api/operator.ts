import { createRoute, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { Operator, OperatorAudit, OperatorCompanies } from "../../core/operator";
import { router } from "./app";
import {
  clearOperatorCookies,
  OPERATOR_COOKIE,
  operatorAuthenticated,
  setOperatorCookies,
} from "./operator-session";
import { body, errors, IdParam, json } from "./schemas";

const tags = ["Operators"];
const signedIn = operatorAuthenticated();
const awaitingCode = operatorAuthenticated({ pending: true });
const OperatorInfo = z.object({ operator: Operator.Info, idleExpiresAt: z.string() });
const tooMany = json(errors[400].content["application/json"].schema, "Too many failed attempts");

/** Operators' sign-in: email and password, then the code of their authenticator app (TOTP). */
export const operatorAuth = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/login",
      tags,
      summary: "First step: email and password; sets a session that only opens the TOTP step",
      request: body(z.strictObject(Operator.Credentials.shape)),
      responses: {
        200: json(z.object({ totpRequired: z.literal(true) }), "Password right; type the code next"),
        400: errors[400],
        401: errors[401],
        429: tooMany,
      },
    }),
    async (c) => {
      setOperatorCookies(c, await Operator.login(c.req.valid("json")));
      return c.json({ totpRequired: true as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/totp",
      tags,
      summary: "Second step: the 6-digit code (±30 s, each code once); opens the operator session",
      middleware: [awaitingCode] as const,
      request: body(z.strictObject({ code: z.string().max(12) })),
      responses: {
        200: json(OperatorInfo, "Signed in"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        429: tooMany,
      },
    }),
    async (c) => {
      const opened = await Operator.verifyTotp(c.get("operatorSession").token, c.req.valid("json").code);
      setOperatorCookies(c, opened);
      return c.json({ operator: opened.operator, idleExpiresAt: opened.idleExpiresAt }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/session",
      tags,
      summary: "The operator signed in and the session's idle deadline (counts as activity)",
      middleware: [signedIn] as const,
      responses: { 200: json(OperatorInfo, "Current session"), 401: errors[401] },
    }),
    async (c) =>
      c.json({ operator: await Operator.me(), idleExpiresAt: c.get("operatorSession").idleExpiresAt }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/logout",
      tags,
      summary: "End the operator session",
      middleware: [signedIn] as const,
      responses: { 204: { description: "Signed out" }, 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      const token = getCookie(c, OPERATOR_COOKIE);
      if (token) await Operator.logout(token);
      clearOperatorCookies(c);
      return c.body(null, 204);
    },
  );

const CompanyId = IdParam("companyId");
const Reason = z.strictObject({ reason: z.string().max(500).optional() });
const DetailBody = z.object({ company: OperatorCompanies.Detail });

/** The operator console's companies and log; each route checks the operator session itself. */
export const operator = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/companies",
      tags,
      summary: "Every company: code, name, plan, state, creation",
      middleware: [signedIn] as const,
      responses: {
        200: json(z.object({ items: z.array(OperatorCompanies.Summary) }), "Companies"),
        ...errors,
      },
    }),
    async (c) => c.json({ items: await OperatorCompanies.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/companies",
      tags,
      summary: "Create a company with its first agency, and invite its first Admin by email",
      middleware: [signedIn] as const,
      request: body(OperatorCompanies.NewCompany),
      responses: {
        201: json(z.object({ companyId: z.string(), invitationId: z.string() }), "Created and invited"),
        ...errors,
      },
    }),
    async (c) => c.json(await OperatorCompanies.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}",
      tags,
      summary: "A company: state, terms, SMS identities with their End User Messaging status",
      middleware: [signedIn] as const,
      request: { params: CompanyId },
      responses: { 200: json(DetailBody, "The company"), ...errors },
    }),
    async (c) => c.json({ company: await OperatorCompanies.detail(c.req.valid("param").companyId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/companies/{companyId}/terms",
      tags,
      summary: "Set prices (millicents), the monthly cap, rate limits and SMS identities",
      middleware: [signedIn] as const,
      request: { params: CompanyId, ...body(OperatorCompanies.TermsUpdate) },
      responses: { 200: json(DetailBody, "Saved"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          company: await OperatorCompanies.setTerms({
            companyId: c.req.valid("param").companyId,
            terms: c.req.valid("json"),
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/suspend",
      tags,
      summary: "Suspend: sign-in refused, sends wait (nothing lost) until reactivation",
      middleware: [signedIn] as const,
      request: { params: CompanyId, ...body(Reason) },
      responses: { 200: json(DetailBody, "Suspended"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          company: await OperatorCompanies.suspend({
            companyId: c.req.valid("param").companyId,
            reason: c.req.valid("json").reason,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/reactivate",
      tags,
      summary: "Reactivate: sign-in allowed again, waiting sends go out",
      middleware: [signedIn] as const,
      request: { params: CompanyId },
      responses: { 200: json(DetailBody, "Reactivated"), ...errors },
    }),
    async (c) => c.json({ company: await OperatorCompanies.reactivate(c.req.valid("param").companyId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/close",
      tags,
      summary: "Close: sign-in refused for good, erasure date set after the grace period",
      middleware: [signedIn] as const,
      request: { params: CompanyId, ...body(Reason) },
      responses: { 200: json(DetailBody, "Closing"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          company: await OperatorCompanies.close({
            companyId: c.req.valid("param").companyId,
            reason: c.req.valid("json").reason,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/audit",
      tags,
      summary: "The operators' log, newest first",
      middleware: [signedIn] as const,
      responses: { 200: json(z.object({ items: z.array(OperatorAudit.Entry) }), "Entries"), ...errors },
    }),
    async (c) => c.json({ items: await OperatorAudit.list() }, 200),
  );
