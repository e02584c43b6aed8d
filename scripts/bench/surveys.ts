import { DescribePhoneNumbersCommand } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import { withActor } from "../../core/actor";
import { CampaignEntity, MessageEntity } from "../../core/campaign/campaign.entity";
import { PartnerEntity } from "../../core/partner/partner.entity";
import { dynamo, smsVoice, sqs } from "../../core/platform/clients";
import { StaffGroup } from "../../core/staff-group";
import { Survey } from "../../core/survey";
import { SurveyAnswerEntity } from "../../core/survey/survey.entity";
import { freePort } from "../local/ports";
import { REGION } from "../local/resources";
import { startLocal } from "../local/runtime";
import { benchCompany } from "./bench-company";
import { countCalls, measure, pool, report } from "./harness";

/**
 * A Oui/Non survey asked by SMS to BENCH_EMPLOYEES (2,000) employees: created now for « Tous les salariés »,
 * the ask job writes one question each and launches their campaign, the SMS go out; then every employee
 * replies OUI or NON on the phone simulator (two-way SMS → SNS → the inbound queue → the reply handling →
 * `reply.received` → the survey-replies subscriber), until each answer is in the report.
 */
async function setUp(count: number) {
  // Questions leave from the two-way number replies come back to, as an operator sets it up.
  const numbers = await smsVoice().send(new DescribePhoneNumbersCommand({}));
  const replyNumber = numbers.PhoneNumbers?.[0]?.PhoneNumber;
  const { companyId, actor } = await benchCompany({
    prefix: "S",
    name: "Bench Sondages",
    smsReplyNumber: replyNumber,
  });
  const base = 100_000 + Math.floor(Math.random() * 800_000);
  const partners = Array.from({ length: count }, (_, index) => ({
    companyId,
    partnerId: ulid(),
    kind: "person" as const,
    lastName: `Salarié${index}`,
    categoryIds: ["salarie-structure"],
    mobile: `+3362${String(base + index).padStart(7, "0")}`,
    language: "fr" as const,
  }));
  for (let start = 0; start < partners.length; start += 25)
    await PartnerEntity.put(partners.slice(start, start + 25)).go();
  return { companyId, actor, replyNumber, mobiles: partners.map((partner) => partner.mobile) };
}

async function until(check: () => Promise<boolean>, every = 200) {
  let polls = 0;
  while (!(await check())) {
    polls++;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return polls + 1;
}

export async function surveysBench(count = Number(process.env.BENCH_EMPLOYEES ?? 2000)) {
  const local = await startLocal({
    port: await freePort(),
    serve: false,
    cloud: "process",
    pollers: { sqs: new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false }) },
  });
  try {
    const { companyId, actor, replyNumber, mobiles } = await setUp(count);
    const phone = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
    const calls = countCalls({ dynamodb: dynamo(), sqs: sqs(), sms: smsVoice() });
    let polls = 0;
    const run = await measure(async () => {
      const started = performance.now();
      const { surveyId } = await withActor(actor, () =>
        Survey.create({
          question: "Navette samedi ?",
          type: "yesno",
          bySms: true,
          groupIds: [StaffGroup.ALL],
          endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
      );
      const campaignId = `${surveyId}-sondage`;
      polls += await until(
        async () => ((await CampaignEntity.get({ companyId, campaignId }).go()).data?.sent ?? 0) >= count,
      );
      const asked = performance.now();
      const askCalls = new Map(calls);
      const askPolls = polls;
      await pool(mobiles, 16, async (from, index) => {
        const answer = await fetch(new URL("/_emulator/reply", phone), {
          method: "POST",
          headers: { "content-type": "application/json" },
          // To the number, as a handset answers (the simulator keeps only the last 2,000 messages to infer it).
          body: JSON.stringify({ from, to: replyNumber, body: index % 2 === 0 ? "Oui" : "non merci" }),
        });
        if (!answer.ok) throw new Error(`reply ${answer.status}: ${await answer.text()}`);
      });
      const replied = performance.now();
      // Until every answer is in, or none came for 30 s (then the bench says how many are missing).
      let last = 0;
      let lastChange = performance.now();
      let answered = 0;
      polls += await until(async () => {
        const answers = await SurveyAnswerEntity.query
          .bySurvey({ companyId, surveyId })
          .go({ pages: "all", attributes: ["answerKey"] });
        answered = answers.data.length;
        if (answered !== last) [last, lastChange] = [answered, performance.now()];
        return answered >= count || performance.now() - lastChange > 30_000;
      }, 500);
      if (answered < count && process.env.BENCH_DEBUG) {
        const answers = await SurveyAnswerEntity.query.bySurvey({ companyId, surveyId }).go({ pages: "all" });
        const have = new Set(answers.data.map((answer) => answer.answerKey));
        const messages = await MessageEntity.query.byCampaign({ companyId, campaignId }).go({ pages: "all" });
        for (const message of messages.data.filter((m) => !have.has(m.messageId.split("-")[1]!)))
          console.log("missing", JSON.stringify({ ...message, body: undefined }));
      }
      return { started, asked, replied, answered: performance.now(), askCalls, askPolls, surveyId };
    });
    const t = run.result;
    const final = await withActor(actor, () => Survey.report(t.surveyId));
    const sum = (map: Map<string, number>, prefix: string) =>
      [...map].filter(([key]) => key.startsWith(prefix)).reduce((total, [, n]) => total + n, 0);
    const second = (from: number, to: number) => (to - from) / 1000;
    report(`surveys by SMS — ${count.toLocaleString("fr-FR")} employees asked, each replying OUI or NON`, [
      ["questions sent/s (create → every SMS sent)", count / second(t.started, t.asked)],
      ["answers recorded/s (first reply → every answer in the report)", count / second(t.asked, t.answered)],
      [
        "answers in the report (yes / no / by SMS)",
        `${final.counts[0]?.count} / ${final.counts[1]?.count} / ${final.bySms}; ${count}`,
      ],
      // The bench's own polls (a GetItem or a Query each) are left out.
      ["DynamoDB calls per employee asked", (sum(t.askCalls, "dynamodb.") - t.askPolls) / count],
      [
        "DynamoDB calls per answer",
        (sum(calls, "dynamodb.") - sum(t.askCalls, "dynamodb.") - (polls - t.askPolls)) / count,
      ],
      ["SQS calls per employee (ask and answer)", sum(calls, "sqs.") / count],
      ["provider calls per employee (SendTextMessage)", sum(calls, "sms.SendTextMessage") / count],
      ["peak RSS MiB (API verb + pollers + handlers)", run.peakMiB],
    ]);
    for (const [operation, n] of [...calls].sort()) console.log(`    ${operation}: ${n}`);
  } finally {
    await local.stop();
  }
}
