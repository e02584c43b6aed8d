import { createRoute, z } from "@hono/zod-openapi";
import { Apply } from "../../core/recruitment";
import * as T from "../../core/recruitment/types";
import { router } from "./app";
import { body, errors, json, PresignedPost } from "./schemas";

const tags = ["Public application form"];
const SlugParam = z.object({
  slug: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "slug", in: "path" } }),
});
const refusals = {
  ...errors,
  410: json(
    errors[409].content["application/json"].schema,
    "Campaign closed (code apply.closed) or not yet open (apply.not_open)",
  ),
  413: json(errors[409].content["application/json"].schema, "Body or file too large"),
  429: json(
    errors[409].content["application/json"].schema,
    "Too many attempts from this address or email (Retry-After)",
  ),
};

/**
 * `/candidater/{slug}`'s API: public, no login (the resume token is the draft's credential). Rate-limited
 * per IP and per email; a filled honeypot gets an ordinary-looking answer and nothing is stored.
 */
export const publicApply = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/{slug}",
      tags,
      summary: "An open campaign's form: title, description, fields (FR/EN)",
      request: { params: SlugParam },
      responses: { 200: json(z.object({ campaign: T.PublicCampaign }), "Form"), ...refusals },
    }),
    async (c) => c.json({ campaign: await Apply.campaign(c.req.valid("param").slug) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{slug}/draft",
      tags,
      summary:
        "Save a draft (first call: no resumeToken, one is returned); sendLink emails /candidater/{slug}?reprise=<token>",
      request: { params: SlugParam, ...body(T.DraftInput) },
      responses: { 200: json(T.DraftSaved, "Saved"), ...refusals },
    }),
    async (c) => c.json(await Apply.saveDraft(c.req.valid("param").slug, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{slug}/draft/load",
      tags,
      summary: "Load a draft from its resume token (the ?reprise= of the emailed link)",
      request: { params: SlugParam, ...body(z.strictObject({ resumeToken: z.string().max(100) })) },
      responses: { 200: json(z.object({ draft: T.Draft }), "Draft"), ...refusals },
    }),
    async (c) =>
      c.json(
        { draft: await Apply.loadDraft(c.req.valid("param").slug, c.req.valid("json").resumeToken) },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{slug}/uploads",
      tags,
      summary:
        "Presigned POST for a file field of a draft (PDF, JPEG, PNG, Word, OpenDocument; 10 MB); the type is checked by its bytes at submit",
      request: { params: SlugParam, ...body(T.UploadInput) },
      responses: { 201: json(PresignedPost.extend({ fileId: z.string() }), "Upload target"), ...refusals },
    }),
    async (c) => c.json(await Apply.upload(c.req.valid("param").slug, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{slug}/submit",
      tags,
      summary:
        "Submit: idempotent by the draft (resumeToken) or the Idempotency-Key header (one of them required); a retry gets the same dossier",
      request: {
        params: SlugParam,
        headers: z.object({ "idempotency-key": z.string().min(8).max(100).optional() }),
        ...body(T.SubmitInput),
      },
      responses: { 201: json(T.Submitted, "Submitted"), ...refusals },
    }),
    async (c) =>
      c.json(
        await Apply.submit(
          c.req.valid("param").slug,
          c.req.valid("json"),
          c.req.valid("header")["idempotency-key"],
        ),
        201,
      ),
  );
