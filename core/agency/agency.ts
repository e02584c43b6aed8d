import { ulid } from "ulid";
import * as z from "zod";
import { canSeeAgency } from "../access";
import { useCompanyId, useRole, useUser } from "../actor";
import { Audit } from "../audit";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { AgencyEntity } from "./agency.entity";

export const Info = z.object({
  agencyId: z.string(),
  name: z.string(),
  archived: z.boolean(),
  phone: z.string().optional(),
  createdAt: z.string(),
});
export type Info = z.infer<typeof Info>;

const Name = z.string().trim().min(1, "Name is required").max(120);

const toInfo = (row: Info): Info => ({
  agencyId: row.agencyId,
  name: row.name,
  archived: row.archived,
  phone: row.phone,
  createdAt: row.createdAt,
});

export const create = fn(z.object({ name: Name }), async (input) => {
  const companyId = useCompanyId();
  const actor = useRole("admin");
  const agencyId = ulid();
  const created = await AgencyEntity.create({ companyId, agencyId, name: input.name }).go();
  await Audit.record("agency.created", {
    target: { type: "agency", id: agencyId, label: input.name },
    actorName: actor.name,
  });
  return toInfo(created.data);
});

/** Seeds and sign-up create the first agency before anyone can act as an Admin. */
export async function createFirst(name: string) {
  const created = await AgencyEntity.create({ companyId: useCompanyId(), agencyId: ulid(), name }).go();
  return toInfo(created.data);
}

/** Everything in the company, whoever asks: for internal checks, never returned as is. */
export async function all() {
  const result = await AgencyEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  return result.data.map(toInfo);
}

/** The agencies the acting user may see: all for Admins, their own for others. */
export async function list(options: { includeArchived?: boolean } = {}) {
  const actor = useUser();
  return (await all()).filter(
    (agency) => canSeeAgency(actor, agency.agencyId) && (options.includeArchived || !agency.archived),
  );
}

export const fromId = fn(z.string(), async (agencyId) => {
  const actor = useUser();
  const result = await AgencyEntity.get({ companyId: useCompanyId(), agencyId }).go();
  if (!result.data || !canSeeAgency(actor, agencyId)) {
    throw new VisibleError("agency.not_found", "Agency not found", 404);
  }
  return toInfo(result.data);
});

export const update = fn(
  z.object({
    agencyId: z.string(),
    name: Name.optional(),
    archived: z.boolean().optional(),
    phone: z.string().trim().max(30).optional(),
  }),
  async (input) => {
    const actor = useRole("admin");
    const before = await fromId(input.agencyId);
    const updated = await AgencyEntity.patch({ companyId: useCompanyId(), agencyId: input.agencyId })
      .set({
        name: input.name ?? before.name,
        archived: input.archived ?? before.archived,
        ...(input.phone === undefined ? {} : { phone: input.phone }),
      })
      .go({ response: "all_new" });
    await Audit.record("agency.updated", {
      target: { type: "agency", id: input.agencyId, label: updated.data.name ?? before.name },
      details: {
        before: { name: before.name, archived: before.archived, phone: before.phone },
        after: input,
      },
      actorName: actor.name,
    });
    return toInfo({ ...before, ...updated.data } as Info);
  },
);

/** Every id must be a live agency of this company; names the first unknown one otherwise. */
export async function assertUsable(agencyIds: readonly string[]) {
  const known = new Map((await all()).map((agency) => [agency.agencyId, agency]));
  for (const agencyId of agencyIds) {
    const agency = known.get(agencyId);
    if (!agency || agency.archived) {
      throw new VisibleError("agency.not_found", `Unknown or archived agency ${agencyId}`, 404, {
        fields: [{ path: "agencyIds", message: `Unknown or archived agency ${agencyId}` }],
      });
    }
  }
}
