import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { Company } from "../../core/company";
import { CompanyEntity } from "../../core/company/company.entity";

/**
 * A company of its own for a benchmark: no quiet hours and no rate limit (the run is timed whatever the
 * hour), its first agency, and an Admin actor to call verbs as.
 */
export async function benchCompany(input: { prefix: string; name: string; smsReplyNumber?: string }) {
  const companyId = await Company.create({ code: `${input.prefix}${ulid().slice(-10)}`, name: input.name });
  await CompanyEntity.patch({ companyId })
    .set({
      quietStart: "00:00",
      quietEnd: "00:00",
      quietSundays: false,
      quietHolidays: false,
      smsPerSecond: 0,
      ...(input.smsReplyNumber ? { smsReplyNumber: input.smsReplyNumber } : {}),
    })
    .go();
  const agency = await withActor({ type: "system", companyId, reason: "bench" }, () =>
    Agency.createFirst("Agence Bench"),
  );
  const actor = {
    type: "user" as const,
    companyId,
    userId: "bench",
    role: "admin" as const,
    agencyIds: [agency.agencyId],
    name: "Bench",
  };
  return { companyId, actor };
}
