import { ulid } from "ulid";
import { z } from "zod";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { CompanyCodeEntity, CompanyEntity } from "./company.entity";

/** Company codes are typed at login: short, upper-case, no ambiguity. */
export const Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{3,20}$/, "3 to 20 letters, digits or dashes");

export const Info = z.object({
  companyId: z.string(),
  code: Code,
  name: z.string().trim().min(1).max(120),
  timezone: z.string(),
  language: z.enum(["fr", "en"]),
});
export type Info = z.infer<typeof Info>;

/**
 * Creates a company and claims its code in one transaction. Only the platform (seeds, sign-up) calls
 * this; there is no actor yet.
 */
export const create = fn(Info.pick({ code: true, name: true }), async (input) => {
  const companyId = ulid();
  try {
    await CompanyCodeEntity.create({ code: input.code, companyId }).go();
  } catch (error) {
    if (isConditionalFailure(error)) {
      throw new VisibleError("company.code_taken", `Company code ${input.code} is already taken`, 409);
    }
    throw error;
  }
  await CompanyEntity.create({ companyId, code: input.code, name: input.name }).go();
  return companyId;
});

export const fromCode = fn(Code, async (code) => {
  const claimed = await CompanyCodeEntity.get({ code }).go();
  if (!claimed.data) return undefined;
  const company = await CompanyEntity.get({ companyId: claimed.data.companyId }).go();
  return company.data ?? undefined;
});
