import { createRoute, z } from "@hono/zod-openapi";
import { Partner } from "../../core/partner";
import * as PartnerImport from "../../core/partner/import";
import { Vault } from "../../core/vault";
import { router } from "./app";
import { body, errors, IdParam, ImportLineError, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const tags = ["Partners"];
const secured = router();
secured.use("*", authenticated());

const Document = Vault.DocumentInfo;
const LinkInfo = z.object({
  linkId: z.string(),
  documentIds: z.array(z.string()),
  createdAt: z.string(),
  validUntil: z.string(),
  maxUses: z.number().optional(),
  uses: z.number(),
  lastUsedAt: z.string().optional(),
  status: z.enum(["active", "expired", "revoked", "used_up"]),
});

const ImportProgress = z.object({
  importId: z.string(),
  status: z.enum(["uploaded", "running", "done"]),
  total: z.number(),
  created: z.number(),
  skipped: z.number(),
  finishedAt: z.string().optional(),
});

/** Partners of the vault (Admins and Managers): people and organisations documents are handed to. */
export const partners = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/categories",
      tags,
      summary:
        "Partner categories (seeded: Intérimaire, Salarié structure, Client, Sous-traitant, Déjà en relation)",
      responses: { 200: json(z.object({ items: z.array(Partner.Category) }), "Categories"), ...errors },
    }),
    async (c) => {
      Partner.useManager();
      return c.json({ items: await Partner.categories() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/categories",
      tags,
      summary: "Add a partner category (Admin)",
      request: body(Partner.NewCategory),
      responses: { 201: json(z.object({ category: Partner.Category }), "Created"), ...errors },
    }),
    async (c) => c.json({ category: await Partner.createCategory(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Partners, newest first; search by name, matricule, mobile or email",
      request: { query: Partner.Filters },
      responses: {
        200: json(z.object({ items: z.array(Partner.Info), cursor: z.string().optional() }), "Partners"),
        ...errors,
      },
    }),
    async (c) => c.json(await Partner.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Create a partner",
      request: body(Partner.Input),
      responses: { 201: json(z.object({ partner: Partner.Info }), "Created"), ...errors },
    }),
    async (c) => c.json({ partner: await Partner.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/from-contact",
      tags,
      summary: "Create a partner from a contact I can see",
      request: body(Partner.fromContact.schema),
      responses: { 201: json(z.object({ partner: Partner.Info }), "Created"), ...errors },
    }),
    async (c) => c.json({ partner: await Partner.fromContact(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/imports/template",
      tags,
      summary: "The .xlsx template of a partner import",
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) => {
      Partner.useManager();
      return c.body(new Uint8Array(await PartnerImport.template()), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="modele-import-partenaires.xlsx"',
      });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/imports",
      tags,
      summary: "Presigned upload for a partner import (.xlsx or .csv, 10 MB)",
      request: body(PartnerImport.upload.schema),
      responses: {
        201: json(PresignedPost.extend({ importId: z.string() }), "Upload target"),
        ...errors,
      },
    }),
    async (c) => c.json(await PartnerImport.upload(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/imports/{importId}/check",
      tags,
      summary: "Dry run: every error by line and column; writes nothing",
      request: { params: IdParam("importId") },
      responses: {
        200: json(
          z.object({
            total: z.number(),
            valid: z.number(),
            errors: z.array(ImportLineError),
            preview: z.array(
              z.object({
                line: z.number(),
                name: z.string(),
                matricule: z.string().optional(),
                mobile: z.string().optional(),
                email: z.string().optional(),
              }),
            ),
          }),
          "Dry run",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await PartnerImport.dryRun(c.req.valid("param").importId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/imports/{importId}/start",
      tags,
      summary: "Create the valid lines in the background",
      request: { params: IdParam("importId"), ...body(z.strictObject({ onlyValid: z.boolean() })) },
      responses: { 202: json(ImportProgress, "Started"), ...errors },
    }),
    async (c) =>
      c.json(
        await PartnerImport.start({
          importId: c.req.valid("param").importId,
          onlyValid: c.req.valid("json").onlyValid,
        }),
        202,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/imports/{importId}",
      tags,
      summary: "An import's progress",
      request: { params: IdParam("importId") },
      responses: { 200: json(ImportProgress, "Progress"), ...errors },
    }),
    async (c) => c.json(await PartnerImport.progress(c.req.valid("param").importId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{partnerId}",
      tags,
      summary: "A partner, its documents and its signed links",
      request: { params: IdParam("partnerId") },
      responses: {
        200: json(
          z.object({ partner: Partner.Info, documents: z.array(Document), links: z.array(LinkInfo) }),
          "Partner",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { partnerId } = c.req.valid("param");
      const partner = await Partner.fromId(partnerId);
      const [documents, links] = await Promise.all([
        Vault.documentsOfPartner(partnerId),
        Vault.links(partnerId),
      ]);
      return c.json({ partner, documents, links }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/{partnerId}",
      tags,
      summary: "Change a partner",
      request: { params: IdParam("partnerId"), ...body(Partner.Input) },
      responses: { 200: json(z.object({ partner: Partner.Info }), "Updated"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          partner: await Partner.update({
            ...c.req.valid("json"),
            partnerId: c.req.valid("param").partnerId,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{partnerId}/history",
      tags,
      summary: "Every sign-in, link opened, document opened and downloaded, newest first",
      request: { params: IdParam("partnerId") },
      responses: { 200: json(z.object({ items: z.array(Vault.Access) }), "History"), ...errors },
    }),
    async (c) => c.json({ items: await Vault.history(c.req.valid("param").partnerId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{partnerId}/history.xlsx",
      tags,
      summary: "The access history as an Excel file",
      request: { params: IdParam("partnerId") },
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) => {
      const file = await Vault.exportHistory(c.req.valid("param").partnerId);
      return c.body(new Uint8Array(file.bytes), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      });
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{partnerId}/links",
      tags,
      summary: "A signed link to the partner's space or to some of its documents (the URL is shown once)",
      request: { params: IdParam("partnerId"), ...body(Vault.NewLink.omit({ partnerId: true })) },
      responses: {
        201: json(z.object({ linkId: z.string(), url: z.string(), validUntil: z.string() }), "Created"),
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        await Vault.createLink({ ...c.req.valid("json"), partnerId: c.req.valid("param").partnerId }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{partnerId}/links/{linkId}",
      tags,
      summary: "Revoke a signed link: it stops working at once",
      request: { params: IdParam("partnerId").merge(IdParam("linkId")) },
      responses: {
        200: json(z.object({ linkId: z.string(), status: z.literal("revoked") }), "Revoked"),
        ...errors,
      },
    }),
    async (c) => c.json(await Vault.revokeLink(c.req.valid("param")), 200),
  );
