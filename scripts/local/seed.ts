import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { AgencyEntity } from "../../core/agency/agency.entity";
import { Company } from "../../core/company";
import { User } from "../../core/user";

export type Login = { companyCode: string; email: string; password: string };

/** The demo login, overridable so scripts and testers can log in without reading the output. */
export function demoLogin(env: NodeJS.ProcessEnv = process.env): Login {
  return {
    companyCode: (env.SEED_COMPANY_CODE ?? "DEMO").toUpperCase(),
    email: (env.SEED_ADMIN_EMAIL ?? "admin@demo.fr").toLowerCase(),
    password: env.SEED_ADMIN_PASSWORD ?? "Relais-demo-2026",
  };
}

/** Creates the demo company, its agency and its admin once; later starts find them and change nothing. */
export async function seed(login: Login) {
  const existing = await Company.fromCode(login.companyCode);
  const companyId =
    existing?.companyId ?? (await Company.create({ code: login.companyCode, name: "Intérim Démo" }));
  await withActor({ type: "system", companyId, reason: "seed" }, async () => {
    if (await User.credentials(login.email)) return;
    const agencies = await Agency.all();
    const agency = agencies[0] ?? (await Agency.createFirst("Agence Lyon Part-Dieu"));
    // The number customers are given in reminders ({telephone}).
    await AgencyEntity.patch({ companyId, agencyId: agency.agencyId }).set({ phone: "04 78 00 00 00" }).go();
    await User.insert({
      email: login.email,
      firstName: "Camille",
      lastName: "Martin",
      role: "admin",
      agencyIds: [agency.agencyId],
      password: login.password,
      mustChangePassword: false,
    });
  });
  return { companyId };
}
