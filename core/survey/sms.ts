import * as z from "zod";
import { useCompanyId } from "../actor";
import { Agency } from "../agency";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import { assignJobs } from "../campaign/jobs";
import { launchWritten } from "../campaign/unattended";
import { CompanyEntity } from "../company/company.entity";
import { eachLimited } from "../concurrency";
import { isConditionalFailure } from "../db";
import type { ReplyReceived } from "../delivery/reply.events";
import type { Received } from "../event";
import * as Job from "../job";
import { count as smsCount } from "../message/sms-segments";
import { Partner } from "../partner";
import { PartnerEntity } from "../partner/partner.entity";
import { StaffGroup } from "../staff-group";
import { campaignIdOf, surveyOfCampaign } from "./sms-campaign";
import { SurveyAnswerEntity, SurveyEntity } from "./survey.entity";

export { campaignIdOf };

/**
 * Oui/Non surveys asked by SMS too: when the survey opens, each targeted employee with a mobile gets a
 * Yes/No question through the delivery engine (quiet hours, opt-outs, caps, statuses as for any campaign),
 * and a reply sorted yes or no by the existing reply handling becomes their answer. Named surveys only:
 * an SMS reply is stored with its number in the campaign's replies, so it could not stay anonymous.
 */

/** Fixed by the survey and the person: a rewrite is the same message, and a reply leads back to them. */
const messageIdOf = (surveyId: string, partnerId: string) => `${surveyId}-${partnerId}`;
const partnerOf = (surveyId: string, messageId: string) =>
  messageId.startsWith(`${surveyId}-`) ? messageId.slice(surveyId.length + 1) : undefined;

export function question(language: "fr" | "en", company: string, text: string) {
  return language === "en"
    ? `${company} survey: ${text} Reply YES or NO.`
    : `${company}, sondage : ${text} Répondez OUI ou NON.`;
}

export const AskJob = z.object({
  kind: z.literal("survey.ask"),
  companyId: z.string(),
  surveyId: z.string(),
});
export type AskJob = z.infer<typeof AskJob>;

export const Ask = Job.define({
  kind: "survey.ask",
  queue: "dispatch",
  schema: AskJob,
  run: async (job) => ask(job.surveyId),
});

/**
 * Writes one question per targeted employee with a mobile (each once) and launches their campaign,
 * once. Once the campaign exists, a repeated job only makes sure its launch was handed over.
 */
export async function ask(surveyId: string, now = new Date()) {
  const companyId = useCompanyId();
  const { data: survey } = await SurveyEntity.get({ companyId, surveyId }).go();
  const iso = now.toISOString();
  if (!survey?.bySms || survey.type !== "yesno" || survey.anonymous) return { outcome: "skipped" as const };
  if (survey.status === "closed" || iso < survey.startsAt || iso >= survey.endsAt)
    return { outcome: "skipped" as const };
  const campaignId = campaignIdOf(surveyId);
  const { data: existing } = await CampaignEntity.get({ companyId, campaignId }).go();
  if (existing && existing.status !== "scheduled") return { outcome: "skipped" as const };
  let excluded = 0;
  if (!existing) {
    const [{ data: company }, targets] = await Promise.all([
      CompanyEntity.get({ companyId }).go(),
      StaffGroup.employeesOf(survey.groupIds),
    ]);
    const messages = targets
      .filter((partner) => partner.mobile)
      .map((partner) => {
        const body = question(partner.language, company?.name ?? "", survey.question);
        return {
          companyId,
          campaignId,
          messageId: messageIdOf(surveyId, partner.partnerId),
          contactId: partner.contactId,
          name: Partner.nameOf(partner),
          channel: "sms" as const,
          to: partner.mobile!,
          body,
          units: smsCount(body).segments,
          status: "scheduled" as const,
        };
      })
      .sort((a, b) => a.messageId.localeCompare(b.messageId));
    // Conditional creates: a job run twice at once (a visibility timeout passed) cannot put a message
    // already sent by the other back to « scheduled ».
    const withJobs = assignJobs(messages);
    await eachLimited(withJobs, 16, (message) =>
      MessageEntity.create(message)
        .go({ response: "none" })
        .then(
          () => undefined,
          (error: unknown) => {
            if (!isConditionalFailure(error)) throw error;
          },
        ),
    );
    excluded = targets.length - messages.length;
  }
  const agencyId = existing?.agencyId ?? (await Agency.all())[0]?.agencyId;
  if (!agencyId) return { outcome: "skipped" as const };
  const launched = await launchWritten({
    companyId,
    campaignId,
    kind: "yesno",
    title: `Sondage : ${survey.question}`,
    agencyId,
    createdBy: survey.createdBy,
    createdByName: survey.createdByName,
    excluded,
  });
  if (launched > 0)
    await SurveyEntity.patch({ companyId, surveyId }).set({ smsAsked: launched }).go({ response: "none" });
  return { outcome: launched > 0 ? ("asked" as const) : ("skipped" as const), asked: launched };
}

/**
 * A reply to a survey's question, sorted yes or no: the employee's answer, as if given in the space.
 * Replies after the end, « other » replies and commands (STOP…) are not answers. A redelivered or late
 * event never overwrites a newer answer: the write holds only over an older one.
 */
export async function onReply(event: Received<typeof ReplyReceived>) {
  const { campaignId, messageId, classification, command } = event.payload;
  const surveyId = surveyOfCampaign(campaignId);
  if (!surveyId || command || classification === "other") return;
  const companyId = useCompanyId();
  const { data: survey } = await SurveyEntity.get({ companyId, surveyId }).go();
  if (!survey?.bySms || survey.type !== "yesno" || survey.anonymous) return;
  const at = event.occurredAt;
  if (at < survey.startsAt || at >= survey.endsAt) return;
  const partnerId = partnerOf(surveyId, messageId);
  if (!partnerId) return;
  const { data: partner } = await PartnerEntity.get({ companyId, partnerId }).go();
  if (!partner || partner.erasedAt) return;
  try {
    await SurveyAnswerEntity.put({
      companyId,
      surveyId,
      answerKey: partnerId,
      partnerId,
      name: Partner.nameOf(partner),
      yes: classification === "yes",
      answeredAt: at,
      via: "sms",
    })
      .where(({ answeredAt }, { notExists, lt }) => `${notExists(answeredAt)} OR ${lt(answeredAt, at)}`)
      .go({ response: "none" });
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
}
