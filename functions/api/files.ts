import { createRoute, z } from "@hono/zod-openapi";
import { Attachments } from "../../core/campaign";
import { router } from "./app";
import { errors, json } from "./schemas";

const tags = ["Files"];

/** The page an SMS's attachment link opens: public, the code in the link is the credential. */
export const publicFiles = router().openapi(
  createRoute({
    method: "get",
    path: "/{code}",
    tags,
    summary: "The files of a campaign's attachment link, with download links valid 15 minutes",
    request: { params: z.object({ code: z.string().max(40) }) },
    responses: {
      200: json(
        z.object({
          companyName: z.string(),
          expiresAt: z.string(),
          files: z.array(
            z.object({ fileName: z.string(), contentType: z.string(), size: z.number(), url: z.string() }),
          ),
        }),
        "Files",
      ),
      404: errors[404],
    },
  }),
  async (c) => c.json(await Attachments.openLink(c.req.valid("param").code), 200),
);
