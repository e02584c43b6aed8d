import { randomBytes } from "node:crypto";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { AgencyEntity } from "../../core/agency/agency.entity";
import { Company } from "../../core/company";
import { CompanyEntity } from "../../core/company/company.entity";
import { Operator, Totp } from "../../core/operator";
import { Apply, Campaigns, Rules } from "../../core/recruitment";
import { RecruitmentCampaignEntity } from "../../core/recruitment/recruitment.entity";
import { withRequest } from "../../core/request";
import { Certificate } from "../../core/signature";
import { selfSignedP12 } from "../../core/signature/self-signed";
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

/** The local operator's login (the operator console, /operateur), overridable like the demo login. */
export function operatorLogin(env: NodeJS.ProcessEnv = process.env) {
  return {
    email: (env.SEED_OPERATOR_EMAIL ?? "operateur@relais.local").toLowerCase(),
    password: env.SEED_OPERATOR_PASSWORD ?? "Relais-operateur-2026",
  };
}

/**
 * Creates the local operator once, with a TOTP secret; later starts keep it. Returns the secret and its
 * otpauth URI, for an authenticator app or `npm run operator:code`.
 */
export async function seedOperator(login: ReturnType<typeof operatorLogin>) {
  const secret =
    (await Operator.secretOf(login.email)) ??
    (await Operator.create({ email: login.email, name: "Opérateur local", password: login.password }))
      .totpSecret;
  return { ...login, secret, uri: Totp.uriOf(secret, login.email) };
}

/** Creates the demo company, its agency and its admin once; later starts find them and change nothing. */
export async function seed(login: Login) {
  const existing = await Company.fromCode(login.companyCode);
  // Written again with every key: a demo company from before the operators' list (its index) shows in it.
  if (existing) await CompanyEntity.put(existing).go();
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
  const applyUrl = await seedRecruitment(companyId, login.email);
  await seedCertificate(companyId);
  return { companyId, applyUrl };
}

/**
 * A self-signed certificate for the demo company, once, so « signé par l'entreprise » and partners'
 * signatures work out of the box (a PDF reader shows the seal valid, its signer unknown).
 */
async function seedCertificate(companyId: string) {
  await withActor({ type: "system", companyId, reason: "seed" }, async () => {
    if (await Certificate.hasCertificate()) return;
    const password = randomBytes(12).toString("base64url");
    const p12 = selfSignedP12({ commonName: "Intérim Démo", password });
    await Certificate.store({ p12, password }, "Démo (certificat auto-signé)");
  });
}

/**
 * One open recruitment campaign (« Caristes H/F ») with a few submitted dossiers, made once: later starts
 * find it and print its public form's address.
 */
async function seedRecruitment(companyId: string, adminEmail: string) {
  const { data: existing } = await RecruitmentCampaignEntity.query.byCompany({ companyId }).go({ count: 1 });
  if (existing[0]) return Campaigns.publicUrlOf(existing[0].slug);
  const admin = await withActor({ type: "system", companyId, reason: "seed" }, async () => {
    const found = await User.credentials(adminEmail);
    return found ? await User.byId(found.userId) : undefined;
  });
  const agencies = await withActor({ type: "system", companyId, reason: "seed" }, () => Agency.all());
  if (!admin || !agencies[0]) return "";
  const day = 86_400_000;
  const asAdmin = {
    type: "user" as const,
    companyId,
    userId: admin.userId,
    role: "admin" as const,
    agencyIds: [agencies[0].agencyId],
    name: `${admin.firstName} ${admin.lastName}`,
  };
  const campaign = await withActor(asAdmin, () =>
    Campaigns.create({
      title: "Caristes H/F Vénissieux",
      agencyId: agencies[0]!.agencyId,
      opensAt: new Date(Date.now() - day).toISOString(),
      closesAt: new Date(Date.now() + 90 * day).toISOString(),
      description: {
        fr: "Missions de cariste (CACES 1, 3 et 5) sur plateforme logistique, horaires en 2×8. Postulez en 3 minutes.",
        en: "Forklift driver assignments (CACES 1, 3 and 5) at a logistics hub, two shifts. Apply in 3 minutes.",
      },
      fields: [
        {
          fieldId: "caces",
          kind: "choice",
          label: { fr: "CACES", en: "CACES" },
          required: true,
          options: [
            { value: "1", label: { fr: "CACES 1" } },
            { value: "3", label: { fr: "CACES 3" } },
            { value: "5", label: { fr: "CACES 5" } },
          ],
        },
        {
          fieldId: "disponible",
          kind: "date",
          label: { fr: "Disponible à partir du", en: "Available from" },
          required: false,
        },
        {
          fieldId: "experience",
          kind: "longText",
          label: { fr: "Votre expérience", en: "Your experience" },
          required: false,
        },
        { fieldId: "cv", kind: "file", label: { fr: "CV", en: "Resume" }, required: false },
      ],
    }),
  );
  // Beside the default acknowledgment: moving a dossier to « Retenu » tells the candidate.
  await withActor(asAdmin, () =>
    Rules.create(campaign.campaignId, {
      section: "manager",
      name: "Candidature retenue",
      statusId: "retenu",
      recipients: { candidate: true, evaluators: false, addresses: [] },
    }),
  );
  const candidates = [
    ["Léa", "Bernard", "lea.bernard@example.com", "+33600000101"],
    ["Karim", "Haddad", "karim.haddad@example.com", "+33600000102"],
    ["Sophie", "Lefèvre", "sophie.lefevre@example.com", "+33600000103"],
  ] as const;
  for (const [firstName, lastName, email, mobile] of candidates)
    await withRequest({ ip: "seed" }, () =>
      Apply.submit(
        campaign.slug,
        {
          candidate: { firstName, lastName, email, mobile },
          answers: { caces: "3", experience: "Deux ans en entrepôt." },
        },
        `seed-${email}`,
      ),
    );
  return campaign.publicUrl;
}
