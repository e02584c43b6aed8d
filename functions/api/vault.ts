import { createRoute, z } from "@hono/zod-openapi";
import { DocumentTypes, Signing, Vault } from "../../core/vault";
import { router } from "./app";
import { body, errors, IdParam, json } from "./schemas";
import { authenticated } from "./session";

const tags = ["Vault"];
const secured = router();
secured.use("*", authenticated());

const Batch = z.object({
  batchId: z.string(),
  typeId: z.string(),
  status: z.enum(["uploading", "publishing", "published"]),
  files: z.number(),
  published: z.number(),
  rejected: z.number(),
  campaignId: z.string().optional(),
  createdAt: z.string(),
  createdByName: z.string(),
  publishedAt: z.string().optional(),
});
const Planned = z.object({
  index: z.number(),
  fileName: z.string(),
  status: z.enum(["matched", "unmatched", "ambiguous", "invalid"]),
  reason: z.string().optional(),
  partner: z.object({ partnerId: z.string(), name: z.string(), matricule: z.string().optional() }).optional(),
  candidates: z
    .array(z.object({ partnerId: z.string(), name: z.string(), matricule: z.string().optional() }))
    .optional(),
});

/** The document vault, staff side: types, uploads matched to partners, publication, tracking. */
export const vault = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/types",
      tags,
      summary:
        "Document types (seeded: Bulletin de paie, Contrat de mission, Attestation, Fiche d'information)",
      responses: { 200: json(z.object({ items: z.array(DocumentTypes.DocumentType) }), "Types"), ...errors },
    }),
    async (c) => {
      Vault.useManager();
      return c.json({ items: await DocumentTypes.list() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/types",
      tags,
      summary: "Add a document type (Admin)",
      request: body(DocumentTypes.NewType),
      responses: { 201: json(z.object({ type: DocumentTypes.DocumentType }), "Created"), ...errors },
    }),
    async (c) => c.json({ type: await DocumentTypes.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/types/{typeId}",
      tags,
      summary:
        "Signature settings of a type (Admin): partner must sign, « signé par l'entreprise », days to sign",
      request: { params: IdParam("typeId"), ...body(DocumentTypes.TypeChanges) },
      responses: { 200: json(z.object({ type: DocumentTypes.DocumentType }), "Updated"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          type: await DocumentTypes.update({
            typeId: c.req.valid("param").typeId,
            changes: c.req.valid("json"),
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/plan",
      tags,
      summary:
        "Dry run: which partner each file goes to (by matricule or NOM_Prénom), before anything is stored",
      request: body(Vault.PlanInput),
      responses: {
        200: json(
          z.object({
            files: z.array(Planned),
            matched: z.number(),
            unmatched: z.number(),
            ambiguous: z.number(),
            invalid: z.number(),
          }),
          "Plan",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Vault.plan(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/batches",
      tags,
      summary: "Recent uploads",
      responses: { 200: json(z.object({ items: z.array(Batch) }), "Uploads"), ...errors },
    }),
    async (c) => c.json({ items: await Vault.batches() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/batches",
      tags,
      summary: "Register the matched files and get a presigned POST for each (unmatched files are skipped)",
      request: body(Vault.NewBatch),
      responses: {
        201: json(
          z.object({
            batchId: z.string(),
            uploads: z.array(
              z.object({
                documentId: z.string(),
                fileName: z.string(),
                url: z.string(),
                fields: z.record(z.string(), z.string()),
              }),
            ),
            skipped: z.array(Planned),
          }),
          "Created",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Vault.createBatch(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/batches/{batchId}",
      tags,
      summary: "An upload's progress and its documents",
      request: { params: IdParam("batchId") },
      responses: {
        200: json(z.object({ batch: Batch, documents: z.array(Vault.DocumentInfo) }), "Upload"),
        ...errors,
      },
    }),
    async (c) => {
      const { batchId } = c.req.valid("param");
      const batch = await Vault.batch(batchId);
      return c.json({ batch, documents: await Vault.documentsOfBatch(batchId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/batches/{batchId}/publish",
      tags,
      summary: "Publish an uploaded batch: files checked, filed, partners notified (in the background)",
      request: { params: IdParam("batchId") },
      responses: { 202: json(z.object({ batch: Batch }), "Publishing"), ...errors },
    }),
    async (c) => c.json({ batch: await Vault.publish(c.req.valid("param").batchId) }, 202),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/documents/{documentId}/signed",
      tags,
      summary: "Download a document signed by its partner: a redirect to the signed PDF, valid one minute",
      request: { params: IdParam("documentId") },
      responses: { 302: { description: "Redirect to the signed PDF" }, ...errors },
    }),
    async (c) => c.redirect(await Signing.signedFile(c.req.valid("param").documentId), 302),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/documents/{documentId}/evidence",
      tags,
      summary: "The evidence of a partner's signature, as a JSON file",
      request: { params: IdParam("documentId") },
      responses: { 200: json(Signing.Evidence, "Evidence"), ...errors },
    }),
    async (c) => {
      const evidence = await Signing.evidence(c.req.valid("param").documentId);
      c.header("Content-Disposition", `attachment; filename="preuve-${evidence.evidenceId}.json"`);
      return c.json(evidence, 200);
    },
  );
