import { useCompanyId } from "../actor";
import { Audit } from "../audit";
import { CampaignEntity, MessageEntity } from "../campaign/campaign.entity";
import type { OptOutThresholdReached } from "../campaign/campaign.events";
import { config } from "../config";
import { isConditionalFailure } from "../db";
import type { Received } from "../event";
import { Notify } from "../notify";
import { surveyOfCampaign } from "../survey/sms-campaign";
import { UserEntity } from "../user/user.entity";
import type { Classification } from "./classify";
import { ReplyEntity } from "./delivery.entity";
import type { ReplyReceived } from "./reply.events";

/**
 * What replies set off, later and once (subscribers in core/subscribers.ts, run as the company). The
 * reply itself, the opt-out and the statuses are written synchronously by replies.ts; these are the
 * emails that follow. Each may repeat if its worker dies after sending and before its marker is written.
 */

const answerLabel: Record<Classification, string> = { yes: "OUI", no: "NON", other: "Autre" };

/** Each reply goes by email to the user who sent the campaign, unless they switched forwarding off. */
export async function forwardReply(event: Received<typeof ReplyReceived>) {
  const companyId = useCompanyId();
  const { campaignId, messageId, replyId, body, classification } = event.payload;
  // A survey's replies are answers, counted in its report: not one email each.
  if (surveyOfCampaign(campaignId)) return;
  const { data: campaign } = await CampaignEntity.get({ companyId, campaignId }).go();
  if (!campaign) return;
  const { data: user } = await UserEntity.get({ companyId, userId: campaign.createdBy }).go();
  if (user?.status !== "active" || user.forwardReplies === false) return;
  const { data: message } = await MessageEntity.get({ companyId, campaignId, messageId }).go();
  const who = message?.name ?? message?.to ?? "?";
  await Notify.email(user.email, {
    subject: `Réponse ${answerLabel[classification]} de ${who} — ${campaign.title}`,
    paragraphs: [
      `${who} a répondu à « ${campaign.title} » :`,
      body,
      `Classée : ${answerLabel[classification]}`,
    ],
    link: { label: "Voir l'envoi", url: `${config("PUBLIC_URL")}/campaigns/${campaignId}` },
  });
  await ReplyEntity.patch({ companyId, campaignId, replyId })
    .set({ forwardedAt: new Date().toISOString() })
    .go({ response: "none" })
    .catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
}

/**
 * Past the opt-out rate, the campaign, if still going, is paused (its remaining send jobs then send
 * nothing) and every active Admin is told. The pause is conditional, so a redelivery does not pause twice.
 */
export async function alertOptOuts(event: Received<typeof OptOutThresholdReached>) {
  const companyId = useCompanyId();
  const { campaignId, unsubscribed, total } = event.payload;
  const campaignKey = { companyId, campaignId };
  const { data: campaign } = await CampaignEntity.get(campaignKey).go();
  if (!campaign) return;
  const paused = await CampaignEntity.patch(campaignKey)
    .set({ status: "paused", pausedReason: "opt_out_rate" })
    .where((attr, { eq }) => `${eq(attr.status, "sending")} OR ${eq(attr.status, "scheduled")}`)
    .go({ response: "none" })
    .then(
      () => true,
      (error: unknown) => {
        if (isConditionalFailure(error)) return false;
        throw error;
      },
    );
  if (paused)
    await Audit.record("campaign.paused", {
      target: { type: "campaign", id: campaignId, label: campaign.title },
      details: { reason: "opt_out_rate", unsubscribed },
    });
  // "Paused" also when an earlier delivery of this event paused it.
  const isPaused = paused || (campaign.status === "paused" && campaign.pausedReason === "opt_out_rate");
  const admins = await UserEntity.query
    .byCompany({ companyId })
    .where((attr, { eq }) => `${eq(attr.role, "admin")} AND ${eq(attr.status, "active")}`)
    .go({ pages: "all" });
  const rate = ((unsubscribed / Math.max(1, total)) * 100).toFixed(1);
  for (const admin of admins.data)
    await Notify.email(admin.email, {
      subject: `Envoi « ${campaign.title} » : ${rate} % de désabonnements`,
      paragraphs: [
        `${unsubscribed} destinataire(s) de l'envoi « ${campaign.title} » ont répondu STOP (${rate} %, seuil 1 %).${isPaused ? " L'envoi a été mis en pause." : ""}`,
        `${rate} % of the recipients of "${campaign.title}" opted out (threshold 1 %).${isPaused ? " Sending was paused." : ""}`,
      ],
      link: { label: "Voir l'envoi", url: `${config("PUBLIC_URL")}/campaigns/${campaignId}` },
    });
}
