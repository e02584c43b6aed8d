import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { Audit } from "../audit";
import { isConditionalFailure, transact } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Storage from "../platform/storage";
import { CompanyCodeEntity, CompanyEntity, CompanyService } from "./company.entity";

/** Company codes are typed at login: short, upper-case, no ambiguity. */
export const Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{3,20}$/, "3 to 20 letters, digits or dashes");

const Timezone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("fr-FR", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "Unknown time zone");

export const Info = z.object({
  companyId: z.string(),
  code: Code,
  name: z.string().trim().min(1).max(120),
  timezone: z.string(),
  language: z.enum(["fr", "en"]),
  logoUrl: z.string().optional(),
  smsUnitPriceMillicents: z.number().int(),
});
export type Info = z.infer<typeof Info>;

const taken = (code: string) =>
  new VisibleError("company.code_taken", `Company code ${code} is already taken`, 409, {
    fields: [{ path: "code", message: "Already taken" }],
  });

/**
 * Creates a company and claims its code in one transaction. Only the platform (seeds, sign-up) calls
 * this; there is no actor yet.
 */
export const create = fn(Info.pick({ code: true, name: true }), async (input) => {
  const companyId = ulid();
  try {
    await transact(
      CompanyService.transaction
        .write(({ company, companyCode }) => [
          companyCode.create({ code: input.code, companyId }).commit(),
          company.create({ companyId, code: input.code, name: input.name }).commit(),
        ])
        .go(),
    );
  } catch (error) {
    if (isConditionalFailure(error)) {
      throw taken(input.code);
    }
    throw error;
  }
  return companyId;
});

/** Login looks a company up by the code typed; a malformed code is simply unknown. */
export async function fromCode(code: string) {
  const parsed = Code.safeParse(code);
  if (!parsed.success) return undefined;
  const claimed = await CompanyCodeEntity.get({ code: parsed.data }).go();
  if (!claimed.data) return undefined;
  const company = await CompanyEntity.get({ companyId: claimed.data.companyId }).go();
  return company.data ?? undefined;
}

/** The acting user's company. */
export async function current(): Promise<Info> {
  const found = await CompanyEntity.get({ companyId: useCompanyId() }).go();
  if (!found.data) throw new VisibleError("company.not_found", "Company not found", 404);
  const { logoKey, ...company } = found.data;
  return {
    companyId: company.companyId,
    code: company.code,
    name: company.name,
    timezone: company.timezone,
    language: company.language,
    smsUnitPriceMillicents: company.smsUnitPriceMillicents ?? 4500,
    logoUrl: logoKey ? await Storage.presignDownload("attachments", logoKey, { expiresIn: 3600 }) : undefined,
  };
}

const logoPrefix = (companyId: string) => `companies/${companyId}/logo/`;

export const update = fn(
  z
    .object({
      name: z.string().trim().min(1).max(120).optional(),
      code: Code.optional(),
      timezone: Timezone.optional(),
      language: z.enum(["fr", "en"]).optional(),
      logoKey: z.string().optional(),
      /** The operator's (the cap and the bill read it): named so that sending it gets a clear 403. */
      smsUnitPriceMillicents: z.unknown().optional(),
    })
    .strict(),
  async (patch) => {
    useRole("admin");
    const companyId = useCompanyId();
    if (patch.smsUnitPriceMillicents !== undefined)
      throw new VisibleError(
        "company.price_by_operator",
        "The SMS price is set by your Relais operator: ask them to change it",
        403,
      );
    const before = await current();
    if (patch.logoKey && !patch.logoKey.startsWith(logoPrefix(companyId))) {
      throw new VisibleError("company.logo_invalid", "Upload the logo through /api/company/logo first", 403);
    }
    const set = {
      name: patch.name,
      timezone: patch.timezone,
      language: patch.language,
      logoKey: patch.logoKey,
    };
    const changes = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
    if (patch.code && patch.code !== before.code) {
      const code = patch.code;
      // Claim the new code, release the old one and rename in one transaction.
      try {
        await transact(
          CompanyService.transaction
            .write(({ company, companyCode }) => [
              companyCode.create({ code, companyId }).commit(),
              companyCode.delete({ code: before.code }).commit(),
              company
                .patch({ companyId })
                .set({ ...changes, code })
                .commit(),
            ])
            .go(),
        );
      } catch (error) {
        if (isConditionalFailure(error)) throw taken(code);
        throw error;
      }
    } else if (Object.keys(changes).length > 0) {
      await CompanyEntity.patch({ companyId }).set(changes).go();
    }
    await Audit.record("company.updated", {
      target: { type: "company", id: companyId, label: patch.name ?? before.name },
      details: { changes: { ...changes, code: patch.code } },
    });
    return current();
  },
);

/** A presigned POST for the logo: images only, 1 MB at most, under the company's own prefix. */
export const logoUpload = fn(
  z.object({
    contentType: z.enum(["image/png", "image/jpeg", "image/webp"]),
    size: z.number().int().positive(),
  }),
  async (input) => {
    useRole("admin");
    if (input.size > 1024 * 1024)
      throw new VisibleError("company.logo_too_large", "The logo must be under 1 MB", 413);
    const key = `${logoPrefix(useCompanyId())}${ulid()}`;
    const upload = await Storage.presignUpload("attachments", key, {
      maxBytes: 1024 * 1024,
      contentType: input.contentType,
    });
    return { url: upload.url, fields: upload.fields, key };
  },
);
