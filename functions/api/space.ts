import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { withActor } from "../../core/actor";
import { Announcement, AnnouncementAttachment, AnnouncementImage } from "../../core/announcement";
import { config } from "../../core/config";
import { Employee, Push } from "../../core/employee";
import { VisibleError } from "../../core/error";
import { InfoCampaignReach } from "../../core/info-campaign";
import { Survey } from "../../core/survey";
import { Signing, Space } from "../../core/vault";
import { type Env, router } from "./app";
import { body, errors, IdParam, json } from "./schemas";

/** The partner space's own cookies: a staff session never opens it, and a partner's never opens the console. */
export const SPACE_COOKIE = "relais_espace";
export const SPACE_CSRF_COOKIE = "relais_espace_csrf";
const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const secure = () => config("PUBLIC_URL").startsWith("https://");

export function setSpaceCookies(c: Context, opened: { token: string; csrfToken: string }) {
  const maxAge = config("SESSION_MAX_SECONDS");
  setCookie(c, SPACE_COOKIE, opened.token, {
    httpOnly: true,
    secure: secure(),
    sameSite: "Lax",
    path: "/",
    maxAge,
  });
  setCookie(c, SPACE_CSRF_COOKIE, opened.csrfToken, { secure: secure(), sameSite: "Lax", path: "/", maxAge });
}

const partnerSession: MiddlewareHandler<Env> = async (c, next) => {
  const token = getCookie(c, SPACE_COOKIE);
  if (!token) throw new VisibleError("auth.required", "Please sign in", 401);
  const session = await Space.resume(token);
  if (mutating.has(c.req.method) && c.req.header("x-csrf-token") !== session.csrfToken)
    throw new VisibleError("auth.csrf", "Missing or wrong CSRF token (x-csrf-token header)", 403);
  return withActor({ type: "partner", companyId: session.companyId, partnerId: session.partnerId }, next);
};

const tags = ["Partner space"];
const Opened = z.object({ idleExpiresAt: z.string() });
/** The companies to choose from: names only, each with the index `/choose` takes. */
const Choice = z.object({
  choose: z.object({
    ticket: z.string(),
    companies: z.array(z.object({ choice: z.number().int(), name: z.string() })),
  }),
});
const Verified = z.union([Opened, Choice]);

/** Sign-in to the partner space: public, rate-limited, the same answer whoever types what. */
export const spaceAuth = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/code",
      tags,
      summary:
        "Send a 6-digit sign-in code to a partner's mobile or email (same answer for unknown addresses)",
      request: body(z.strictObject({ address: z.string().max(254) })),
      responses: {
        202: json(z.object({ sent: z.boolean(), channel: z.enum(["sms", "email"]) }), "Sent if known"),
        429: errors[409],
        ...errors,
      },
    }),
    async (c) => c.json(await Space.requestCode(c.req.valid("json")), 202),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/verify",
      tags,
      summary:
        "Check the code (5 tries, 10 minutes) and open a session, or, when several companies know the address, list them to choose from",
      request: body(z.strictObject({ address: z.string().max(254), code: z.string().max(12) })),
      responses: { 200: json(Verified, "Signed in, or a company to choose"), 429: errors[409], ...errors },
    }),
    async (c) => {
      const verified = await Space.verifyCode(c.req.valid("json"));
      if (verified.kind === "choose")
        return c.json({ choose: { ticket: verified.ticket, companies: verified.companies } }, 200);
      setSpaceCookies(c, verified);
      return c.json({ idleExpiresAt: verified.idleExpiresAt }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/choose",
      tags,
      summary: "Open the session of the company chosen after the code (the ticket works once, 5 minutes)",
      request: body(z.strictObject({ ticket: z.string().max(100), choice: z.number().int().min(0).max(19) })),
      responses: { 200: json(Opened, "Signed in"), ...errors },
    }),
    async (c) => {
      const opened = await Space.choose(c.req.valid("json"));
      setSpaceCookies(c, opened);
      return c.json({ idleExpiresAt: opened.idleExpiresAt }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/logout",
      tags,
      summary: "End the partner's session",
      responses: { 204: { description: "Signed out" }, ...errors },
    }),
    async (c) => {
      const token = getCookie(c, SPACE_COOKIE);
      if (token) await Space.close(token);
      deleteCookie(c, SPACE_COOKIE, { path: "/", secure: secure() });
      deleteCookie(c, SPACE_CSRF_COOKIE, { path: "/", secure: secure() });
      return c.body(null, 204);
    },
  );

const signedIn = router();
signedIn.use("*", partnerSession);

const SpaceDocument = Space.SpaceDocument;

/** The signed-in partner's own documents; ids of anyone else's are « not found ». */
export const space = signedIn
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Who I am and my documents, newest first",
      responses: {
        200: json(
          z.object({
            partner: z.object({ name: z.string(), language: z.enum(["fr", "en"]) }),
            company: z.object({ name: z.string() }),
            campaigns: z.array(InfoCampaignReach.SpaceCampaign),
            documents: z.array(SpaceDocument),
            employee: z.boolean(),
          }),
          "Dashboard",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Space.dashboard(), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/documents/{documentId}/open",
      tags,
      summary: "Mark one of my documents as read",
      request: { params: IdParam("documentId") },
      responses: { 200: json(z.object({ documentId: z.string(), read: z.boolean() }), "Read"), ...errors },
    }),
    async (c) => c.json(await Space.openDocument(c.req.valid("param").documentId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/documents/{documentId}/file",
      tags,
      summary: "Download one of my documents: a redirect to a link valid one minute",
      request: { params: IdParam("documentId") },
      responses: { 302: { description: "Redirect to the file" }, ...errors },
    }),
    async (c) => c.redirect(await Space.download(c.req.valid("param").documentId), 302),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/campaigns/{campaignId}/logo",
      tags,
      summary: "The logo of an information campaign that reached me",
      request: { params: IdParam("campaignId") },
      responses: { 200: { description: "A PNG or JPEG image" }, ...errors },
    }),
    async (c) => {
      const logo = await InfoCampaignReach.partnerLogo(c.req.valid("param").campaignId);
      return c.body(new Uint8Array(logo.bytes), 200, {
        "Content-Type": logo.contentType,
        "Cache-Control": "private, max-age=300",
      });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/documents/{documentId}/sign/code",
      tags,
      summary: "Send the one-time code confirming my signature (by SMS or email, as I sign in; 10 minutes)",
      request: { params: IdParam("documentId") },
      responses: {
        202: json(z.object({ channel: z.enum(["sms", "email"]), to: z.string() }), "Sent"),
        410: errors[409],
        429: errors[409],
        ...errors,
      },
    }),
    async (c) => c.json(await Signing.requestCode(c.req.valid("param").documentId), 202),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/documents/{documentId}/sign",
      tags,
      summary:
        "Sign one of my documents: the code (5 tries), the consent, my typed name or drawn signature (PNG, base64)",
      request: {
        params: IdParam("documentId"),
        ...body(Signing.SignInput.omit({ documentId: true }).strict()),
      },
      responses: {
        200: json(z.object({ state: z.literal("signed"), signedAt: z.string() }), "Signed"),
        410: errors[409],
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        await Signing.sign({ ...c.req.valid("json"), documentId: c.req.valid("param").documentId }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/contact",
      tags,
      summary: "Employees: the company's contact details (404 for partners who are not employees)",
      responses: {
        200: json(
          z.object({
            phone: z.string().optional(),
            email: z.string().optional(),
            hours: z.string().optional(),
          }),
          "Contact",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Employee.contact(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/announcements",
      tags,
      summary: "Employees: the announcements of the moment for my groups, newest first",
      responses: {
        200: json(z.object({ items: z.array(Announcement.SpaceAnnouncement) }), "Announcements"),
        ...errors,
      },
    }),
    async (c) => c.json({ items: await Announcement.mine() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements/{announcementId}/open",
      tags,
      summary: "Employees: open one announcement (404 outside my groups or its dates)",
      request: { params: IdParam("announcementId") },
      responses: {
        200: json(z.object({ announcement: Announcement.SpaceAnnouncement }), "Announcement"),
        ...errors,
      },
    }),
    async (c) => c.json({ announcement: await Announcement.open(c.req.valid("param").announcementId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/announcements/{announcementId}/image/{width}",
      tags,
      summary:
        "Employees: an announcement's illustration at one width (a redirect to a link valid one minute)",
      request: {
        params: z.object({
          announcementId: IdParam("announcementId").shape.announcementId,
          width: z.coerce
            .number()
            .int()
            .openapi({ param: { name: "width", in: "path" } }),
        }),
      },
      responses: { 302: { description: "Redirect to the image" }, ...errors },
    }),
    async (c) => {
      const { announcementId, width } = c.req.valid("param");
      const { row } = await Announcement.visible(announcementId);
      return c.redirect(await AnnouncementImage.link(row, width), 302);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/push/key",
      tags,
      summary: "The VAPID public key browsers subscribe with (null when push is not configured)",
      responses: { 200: json(z.object({ publicKey: z.string().nullable() }), "Key"), ...errors },
    }),
    async (c) => c.json(Push.publicKey(), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/push/subscription",
      tags,
      summary: "Employees: « Recevoir les notifications », this browser's push subscription",
      request: body(Push.Subscription),
      responses: { 200: json(z.object({ subscribed: z.boolean() }), "Subscribed"), ...errors },
    }),
    async (c) => c.json(await Push.subscribe(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/push/unsubscribe",
      tags,
      summary: "Employees: stop notifications on this browser",
      request: body(z.object({ endpoint: z.string().max(2000) })),
      responses: { 200: json(z.object({ subscribed: z.boolean() }), "Unsubscribed"), ...errors },
    }),
    async (c) => c.json(await Push.unsubscribe(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/announcements/{announcementId}/attachment",
      tags,
      summary: "Employees: an announcement's attachment (a redirect to a link valid one minute)",
      request: { params: IdParam("announcementId") },
      responses: { 302: { description: "Redirect to the file" }, ...errors },
    }),
    async (c) => {
      const { row } = await Announcement.visible(c.req.valid("param").announcementId);
      return c.redirect(await AnnouncementAttachment.link(row), 302);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys",
      tags,
      summary: "Employees: the open surveys of my groups, with my answer when not anonymous",
      responses: { 200: json(z.object({ items: z.array(Survey.SpaceSurvey) }), "Surveys"), ...errors },
    }),
    async (c) => c.json({ items: await Survey.mine() }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys/{surveyId}",
      tags,
      summary: "Employees: one open survey (404 outside my groups or its dates)",
      request: { params: IdParam("surveyId") },
      responses: { 200: json(z.object({ survey: Survey.SpaceSurvey }), "Survey"), ...errors },
    }),
    async (c) => c.json({ survey: await Survey.one(c.req.valid("param").surveyId) }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/surveys/{surveyId}/answer",
      tags,
      summary:
        "Employees: answer (or change my answer until the end; an anonymous answer is final). 409 once closed",
      request: { params: IdParam("surveyId"), ...body(Survey.Answer) },
      responses: { 200: json(z.object({ survey: Survey.SpaceSurvey }), "Answered"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          survey: await Survey.answer({
            surveyId: c.req.valid("param").surveyId,
            answer: c.req.valid("json"),
          }),
        },
        200,
      ),
  );

const invalidPage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Lien non valide / Invalid link</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;color:#1f2937;line-height:1.5}a{color:#3b4fd8}</style></head><body>
<h1>Ce lien n'est plus valable</h1><p>Il a peut-être expiré, été révoqué ou déjà servi. Vos documents restent disponibles dans votre espace : connectez-vous avec votre numéro de mobile ou votre email.</p><p><a href="/espace">Ouvrir mon espace</a></p>
<hr><h2 lang="en">This link is no longer valid</h2><p lang="en">It may have expired, been revoked or already used. Your documents are still in your space: sign in with your mobile number or email.</p><p lang="en"><a href="/espace">Open my space</a></p></body></html>`;

/** `/l/{token}`: a signed link. Valid: a session in the partner space, then its document. Otherwise one page for every reason. */
export const signedLinks = router().openapi(
  createRoute({
    method: "get",
    path: "/{token}",
    tags,
    summary: "Open a signed link (public; the token is the credential)",
    request: { params: z.object({ token: z.string().max(100) }) },
    responses: {
      302: { description: "To the partner space, signed in" },
      404: { description: "Invalid, expired, revoked or used-up link (one page for all)" },
    },
  }),
  async (c) => {
    try {
      const opened = await Space.openLink(c.req.valid("param").token);
      setSpaceCookies(c, opened.session);
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer");
      const target = opened.documentId
        ? `/espace?document=${encodeURIComponent(opened.documentId)}`
        : "/espace";
      return c.redirect(target, 302);
    } catch (error) {
      if (!(error instanceof VisibleError) || error.code !== "link.invalid") throw error;
      c.header("Cache-Control", "no-store");
      return c.html(invalidPage, 404);
    }
  },
);
