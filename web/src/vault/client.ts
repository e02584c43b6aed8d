import type { InferRequestType, InferResponseType } from "hono/client";
import { api, filled, unwrap } from "../api";

/** Partners and the document vault (functions/api/partners.ts, vault.ts), through the typed `hc` client. */

type Partners = typeof api.api.partners;
type OnePartner = Partners[":partnerId"];
type Vault = typeof api.api.vault;

export type Partner = InferResponseType<Partners["$post"], 201>["partner"];
export type PartnerInput = InferRequestType<Partners["$post"]>["json"];
export type Category = InferResponseType<Partners["categories"]["$get"], 200>["items"][number];
export type PartnerDetails = InferResponseType<OnePartner["$get"], 200>;
export type VaultDocument = PartnerDetails["documents"][number];
export type SignedLink = PartnerDetails["links"][number];
export type Access = InferResponseType<OnePartner["history"]["$get"], 200>["items"][number];
export type NewLink = InferRequestType<OnePartner["links"]["$post"]>["json"];
export type DocumentType = InferResponseType<Vault["types"]["$get"], 200>["items"][number];
export type Typology = DocumentType["typology"];
export type NewDocumentType = InferRequestType<Vault["types"]["$post"]>["json"];
export type PlanInput = InferRequestType<Vault["plan"]["$post"]>["json"];
export type Plan = InferResponseType<Vault["plan"]["$post"], 200>;
export type PlannedFile = Plan["files"][number];
export type NewBatch = InferRequestType<Vault["batches"]["$post"]>["json"];
export type CreatedBatch = InferResponseType<Vault["batches"]["$post"], 201>;
export type Batch = InferResponseType<Vault["batches"][":batchId"]["$get"], 200>["batch"];

type Imports = Partners["imports"];
export type PartnerImportCheck = InferResponseType<Imports[":importId"]["check"]["$post"], 200>;
export type PartnerImportProgress = InferResponseType<Imports[":importId"]["$get"], 200>;

export const typologies = [
  "paie",
  "contrats",
  "attestations",
  "informations",
  "autres",
] as const satisfies readonly Typology[];

const fresh = { init: { cache: "no-store" as const } };
const partnerParam = (partnerId: string) => ({ param: { partnerId } });

export const partners = {
  categories: () => unwrap(api.api.partners.categories.$get(undefined, fresh)),
  search: (filters: { q?: string; categoryId?: string; cursor?: string }) =>
    unwrap(api.api.partners.$get({ query: filled({ ...filters, limit: "50" }) }, fresh)),
  create: (json: PartnerInput) => unwrap(api.api.partners.$post({ json })),
  get: (partnerId: string) => unwrap(api.api.partners[":partnerId"].$get(partnerParam(partnerId), fresh)),
  update: (partnerId: string, json: PartnerInput) =>
    unwrap(api.api.partners[":partnerId"].$put({ ...partnerParam(partnerId), json })),
  history: (partnerId: string) =>
    unwrap(api.api.partners[":partnerId"].history.$get(partnerParam(partnerId), fresh)),
  /** Same origin and cookie: a plain link downloads the workbook. */
  historyExportPath: (partnerId: string) =>
    api.api.partners[":partnerId"]["history.xlsx"].$path(partnerParam(partnerId)),
  createLink: (partnerId: string, json: NewLink) =>
    unwrap(api.api.partners[":partnerId"].links.$post({ ...partnerParam(partnerId), json })),
  revokeLink: (partnerId: string, linkId: string) =>
    unwrap(api.api.partners[":partnerId"].links[":linkId"].$delete({ param: { partnerId, linkId } })),
};

const importParam = (importId: string) => ({ param: { importId } });

/** Partner imports (Excel/CSV): upload, dry run, background job. */
export const partnerImports = {
  templateUrl: api.api.partners.imports.template.$path(),
  upload: (json: { fileName: string; size: number }) => unwrap(api.api.partners.imports.$post({ json })),
  check: (importId: string) =>
    unwrap(api.api.partners.imports[":importId"].check.$post(importParam(importId))),
  start: (importId: string, onlyValid: boolean) =>
    unwrap(
      api.api.partners.imports[":importId"].start.$post({ ...importParam(importId), json: { onlyValid } }),
    ),
  progress: (importId: string) =>
    unwrap(api.api.partners.imports[":importId"].$get(importParam(importId), fresh)),
};

const batchParam = (batchId: string) => ({ param: { batchId } });

export const vault = {
  types: () => unwrap(api.api.vault.types.$get(undefined, fresh)),
  createType: (json: NewDocumentType) => unwrap(api.api.vault.types.$post({ json })),
  updateType: (typeId: string, json: { mustSign?: boolean; companySeal?: boolean; signDays?: number }) =>
    unwrap(api.api.vault.types[":typeId"].$patch({ param: { typeId }, json })),
  /** Same origin and cookie: plain links download the signed PDF and the evidence. */
  signedPath: (documentId: string) =>
    api.api.vault.documents[":documentId"].signed.$path({ param: { documentId } }),
  evidencePath: (documentId: string) =>
    api.api.vault.documents[":documentId"].evidence.$path({ param: { documentId } }),
  plan: (json: PlanInput) => unwrap(api.api.vault.plan.$post({ json })),
  createBatch: (json: NewBatch) => unwrap(api.api.vault.batches.$post({ json })),
  publish: (batchId: string) => unwrap(api.api.vault.batches[":batchId"].publish.$post(batchParam(batchId))),
  batch: (batchId: string) => unwrap(api.api.vault.batches[":batchId"].$get(batchParam(batchId), fresh)),
};
