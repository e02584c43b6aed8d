import { ulid } from "ulid";
import { z } from "zod";
import { useCompanyId } from "../actor";
import { fn } from "../fn";
import { AgencyEntity } from "./agency.entity";

export const create = fn(z.object({ name: z.string().trim().min(1).max(120) }), async (input) => {
  const agencyId = ulid();
  await AgencyEntity.create({ companyId: useCompanyId(), agencyId, name: input.name }).go();
  return agencyId;
});

export async function list() {
  const result = await AgencyEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  return result.data;
}
