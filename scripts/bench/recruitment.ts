import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { Agency } from "../../core/agency";
import { MessageEntity } from "../../core/campaign/campaign.entity";
import { Company } from "../../core/company";
import { CompanyEntity } from "../../core/company/company.entity";
import { dynamo, ses } from "../../core/platform/clients";
import { Apply, Campaigns, Dossiers, Rules } from "../../core/recruitment";
import { DossierEmailEntity } from "../../core/recruitment/recruitment.entity";
import { withRequest } from "../../core/request";
import { User } from "../../core/user";
import { freePort } from "../local/ports";
import { startLocal } from "../local/runtime";
import { countCalls, measure, pool, report } from "./harness";

/**
 * Recruitment at volume: BENCH_DOSSIERS (500, the most one change takes) applications submitted through the
 * public form's verb, then one bulk change to « Retenu » with a rule emailing each candidate, timed until the
 * last email is sent through the whole pipeline (status write + event in one transaction → stream →
 * publisher → `recruitment-emails` subscriber → campaign launch → SES). AWS calls per dossier are counted in
 * this process (the API and the workers run here, as locally).
 */
const dossiers = Number(process.env.BENCH_DOSSIERS ?? 500);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function setUp() {
  const companyId = await Company.create({ code: `B${ulid().slice(-10)}`, name: "Bench Recrutement" });
  await CompanyEntity.patch({ companyId })
    .set({ quietStart: "00:00", quietEnd: "00:00", quietSundays: false, quietHolidays: false })
    .go();
  return withActor({ type: "system", companyId, reason: "bench" }, async () => {
    const agency = await Agency.createFirst("Agence Bench");
    const admin = await User.insert({
      email: `admin-${ulid().toLowerCase()}@example.fr`,
      firstName: "Alice",
      lastName: "Bench",
      role: "admin",
      agencyIds: [agency.agencyId],
      password: "Motdepasse-solide-42",
      mustChangePassword: false,
    });
    const actor = {
      type: "user" as const,
      companyId,
      userId: admin.userId,
      role: "admin" as const,
      agencyIds: [agency.agencyId],
      name: "Alice Bench",
    };
    const campaign = await withActor(actor, () =>
      Campaigns.create({
        title: "Caristes bench",
        agencyId: agency.agencyId,
        opensAt: new Date(Date.now() - 86_400_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        description: { fr: "Bench" },
        fields: [{ fieldId: "poste", kind: "text", label: { fr: "Poste" }, required: true }],
      }),
    );
    // Only the change's emails are counted: the acknowledgment is switched off.
    await withActor(actor, () =>
      Rules.update(campaign.campaignId, "accuse-de-reception", { enabled: false }),
    );
    await withActor(actor, () =>
      Rules.create(campaign.campaignId, {
        section: "manager",
        name: "Candidature retenue",
        statusId: "retenu",
        recipients: { candidate: true, evaluators: false, addresses: [] },
      }),
    );
    return { companyId, actor, campaign };
  });
}

async function sentCount(companyId: string, dossierIds: string[]) {
  let sent = 0;
  await pool(dossierIds, concurrency, async (dossierId) => {
    const { data } = await DossierEmailEntity.query.byDossier({ companyId, dossierId }).go();
    const rule = data.find((email) => email.ruleName === "Candidature retenue");
    if (!rule) return;
    const { data: message } = await MessageEntity.get({
      companyId,
      campaignId: rule.sendingId,
      messageId: rule.messageId,
    }).go();
    if (message && ["sent", "delivered"].includes(message.status)) sent++;
  });
  return sent;
}

export async function recruitmentBench() {
  const local = await startLocal({ port: await freePort(), serve: false });
  try {
    const { companyId, actor, campaign } = await setUp();
    const calls = countCalls({ dynamo: dynamo(), ses: ses() });
    const submitted = await measure(async () => {
      const ids: string[] = [];
      await pool(
        Array.from({ length: dossiers }, (_, index) => index),
        concurrency,
        async (index) => {
          // One address per candidate, as many would apply from their own phones.
          const answer = await withRequest({ ip: `198.51.100.${index % 250}-${index}` }, () =>
            Apply.submit(
              campaign.slug,
              {
                candidate: {
                  firstName: `Candidat${index}`,
                  lastName: "Bench",
                  email: `candidat-${index}-${ulid().toLowerCase()}@example.com`,
                },
                answers: { poste: "Cariste" },
              },
              `bench-${index}-${ulid()}`,
            ),
          );
          ids.push(answer.dossierId);
        },
      );
      return ids;
    });
    const ids = submitted.result;
    const submitCalls = new Map(calls);
    calls.clear();
    let changeCalls = new Map<string, number>();
    const moved = await measure(async () => {
      const started = performance.now();
      const changed = await withActor(actor, () =>
        Dossiers.changeStatus(campaign.campaignId, { dossierIds: ids, statusId: "retenu" }),
      );
      const changeSeconds = (performance.now() - started) / 1000;
      changeCalls = new Map(calls);
      for (;;) {
        const sent = await sentCount(companyId, ids);
        if (sent >= ids.length) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return { changed, changeSeconds };
    });
    const perItem = (counts: Map<string, number>) =>
      [...counts.values()].reduce((sum, value) => sum + value, 0) / dossiers;
    report(`recruitment — ${dossiers} applications, then one change of all to « Retenu » with a rule email`, [
      ["applications submitted / s", dossiers / submitted.seconds],
      ["AWS calls per application (this process)", perItem(submitCalls)],
      ["change + every rule email sent, seconds", moved.seconds],
      ["the change request alone, seconds", moved.result.changeSeconds],
      ["AWS calls per dossier in the change request", perItem(changeCalls)],
      ["dossiers moved and emailed / s", dossiers / moved.seconds],
      [
        "SES SendEmail calls per moved dossier (exactly once: 1)",
        (calls.get("ses.SendEmail") ?? 0) / dossiers,
      ],
      ["peak RSS MiB", Math.max(submitted.peakMiB, moved.peakMiB)],
    ]);
  } finally {
    await local.stop();
  }
}
