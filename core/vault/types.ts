import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { fold } from "../text";
import { DocumentTypeEntity, typologies } from "./vault.entity";

export const DocumentType = z.object({
  typeId: z.string(),
  name: z.string(),
  typology: z.enum(typologies),
  mustSign: z.boolean(),
  companySeal: z.boolean(),
  signDays: z.number(),
  retentionMonths: z.number(),
});
export type DocumentType = z.infer<typeof DocumentType>;

export const defaultSignDays = 14;

/** Seeded for every company on first read (stable ids: seeding twice changes nothing). */
export const defaultTypes: DocumentType[] = [
  {
    typeId: "bulletin-de-paie",
    name: "Bulletin de paie",
    typology: "paie",
    mustSign: false,
    companySeal: false,
    signDays: defaultSignDays,
    retentionMonths: 60,
  },
  {
    typeId: "contrat-de-mission",
    name: "Contrat de mission",
    typology: "contrats",
    mustSign: true,
    companySeal: false,
    signDays: defaultSignDays,
    retentionMonths: 60,
  },
  {
    typeId: "attestation",
    name: "Attestation",
    typology: "attestations",
    mustSign: false,
    companySeal: false,
    signDays: defaultSignDays,
    retentionMonths: 60,
  },
  {
    typeId: "fiche-information",
    name: "Fiche d'information",
    typology: "informations",
    mustSign: false,
    companySeal: false,
    signDays: defaultSignDays,
    retentionMonths: 24,
  },
];

export async function list(): Promise<DocumentType[]> {
  const companyId = useCompanyId();
  const found = await DocumentTypeEntity.query.byCompany({ companyId }).go({ pages: "all" });
  // Seeded types first, in their order (Bulletin de paie is what most uploads are), then the company's own by name.
  const rank = (typeId: string) => {
    const index = defaultTypes.findIndex((type) => type.typeId === typeId);
    return index === -1 ? defaultTypes.length : index;
  };
  if (found.data.length > 0)
    return found.data
      .map(({ typeId, name, typology, mustSign, companySeal, signDays, retentionMonths }) => ({
        typeId,
        name,
        typology,
        mustSign,
        // Types written before the signature have neither.
        companySeal: companySeal ?? false,
        signDays: signDays ?? defaultSignDays,
        retentionMonths,
      }))
      .sort((a, b) => rank(a.typeId) - rank(b.typeId) || a.name.localeCompare(b.name, "fr"));
  await DocumentTypeEntity.put(defaultTypes.map((type) => ({ companyId, ...type }))).go();
  return defaultTypes;
}

export async function byId(typeId: string) {
  const type = (await list()).find((candidate) => candidate.typeId === typeId);
  if (!type)
    throw new VisibleError("vault.type_unknown", "Unknown document type", 400, {
      fields: [{ path: "typeId", message: "Unknown document type" }],
    });
  return type;
}

export const NewType = z.object({
  name: z.string().trim().min(1, "Name is required").max(60),
  typology: z.enum(typologies),
  mustSign: z.boolean().default(false),
  companySeal: z.boolean().default(false),
  signDays: z.number().int().min(1).max(90).default(defaultSignDays),
  /** Payslips are kept 5 years by the employer; 50 years is the longest anyone needs. */
  retentionMonths: z.number().int().min(1).max(600),
});

export const create = fn(NewType, async (input) => {
  useRole("admin");
  const companyId = useCompanyId();
  if (input.companySeal && !(await companyHasCertificate()))
    throw new VisibleError(
      "signature.no_certificate",
      "Upload the company's certificate first (Administration → Signature électronique)",
      409,
    );
  if ((await list()).some((type) => fold(type.name) === fold(input.name)))
    throw new VisibleError("vault.type_exists", `The type ${input.name} already exists`, 409);
  const typeId = ulid();
  await DocumentTypeEntity.create({ companyId, typeId, ...input }).go();
  return { typeId, ...input };
});

export const TypeChanges = z.object({
  mustSign: z.boolean().optional(),
  companySeal: z.boolean().optional(),
  signDays: z.number().int().min(1).max(90).optional(),
});

/** Signature settings of a type (Admin); documents already uploaded keep theirs. */
export const update = fn(z.object({ typeId: z.string().max(64), changes: TypeChanges }), async (input) => {
  useRole("admin");
  const companyId = useCompanyId();
  const type = await byId(input.typeId);
  if (input.changes.companySeal && !(await companyHasCertificate()))
    throw new VisibleError(
      "signature.no_certificate",
      "Upload the company's certificate first (Administration → Signature électronique)",
      409,
    );
  const next = { ...type, ...input.changes };
  await DocumentTypeEntity.patch({ companyId, typeId: type.typeId })
    .set({ mustSign: next.mustSign, companySeal: next.companySeal, signDays: next.signDays })
    .go();
  return next;
});

/** Loaded on demand: node-forge stays out of the bundles that never seal. */
async function companyHasCertificate() {
  const { hasCertificate } = await import("../signature/certificate");
  return hasCertificate();
}
