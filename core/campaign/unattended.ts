import { CompanyEntity } from "../company/company.entity";
import { isConditionalFailure } from "../db";
import { originationFor, settingsOf } from "../delivery/settings";
import * as Job from "../job";
import { fold } from "../text";
import { CampaignEntity, MessageEntity } from "./campaign.entity";

/**
 * Unattended sends (vault announcements, after-sales reminders) write their messages first, each with
 * the change that causes it; this then opens the campaign around them, once (conditional create: a
 * resumed run finds it), and hands it to the delivery engine, which applies quiet hours, opt-outs, caps
 * and statuses as for any campaign. Returns the number of messages, 0 when there were none.
 */
export async function launchWritten(input: {
  companyId: string;
  campaignId: string;
  title: string;
  agencyId: string;
  createdBy: string;
  createdByName: string;
  /** A Yes/No question (its SMS leave from the two-way number, replies are sorted); else information. */
  kind?: "yesno" | "info";
  /** Emails answering what someone just did: quiet hours do not hold them (see the campaign's `transactional`). */
  transactional?: boolean;
  /** Recipients left out before any message was written (no number, opted out…). */
  excluded?: number;
  /** The Scheduler occurrence's time the run acted at: the launch judges quiet hours then. */
  at?: string;
}) {
  const { companyId, campaignId } = input;
  const messages = (
    await MessageEntity.query
      .byCampaign({ companyId, campaignId })
      .go({ pages: "all", attributes: ["channel", "units"] })
  ).data;
  if (messages.length === 0) return 0;
  const sms = messages.filter((message) => message.channel === "sms");
  const smsUnits = sms.reduce((sum, message) => sum + (message.units ?? 0), 0);
  const { data: company } = await CompanyEntity.get({ companyId }).go();
  const settings = await settingsOf(companyId);
  try {
    await CampaignEntity.create({
      companyId,
      campaignId,
      kind: input.kind ?? "info",
      title: input.title,
      agencyId: input.agencyId,
      createdBy: input.createdBy,
      createdByName: input.createdByName,
      status: "scheduled",
      // The occurrence's time, not the end of the run: a launch judging the campaign at `at` must not
      // read a later departure as « rescheduled, not yet » and leave written messages unsent.
      sendAt: input.at ?? new Date().toISOString(),
      urgent: false,
      ...(input.transactional ? { transactional: true } : {}),
      originationIdentity: originationFor(input.kind ?? "info", settings),
      recipients: messages.length,
      smsCount: sms.length,
      emailCount: messages.length - sms.length,
      excluded: input.excluded ?? 0,
      smsUnits,
      costMillicents: smsUnits * (company?.smsUnitPriceMillicents ?? 4500),
      searchText: fold(input.title),
    }).go();
  } catch (error) {
    if (!isConditionalFailure(error)) throw error;
  }
  await Job.enqueue({
    kind: "campaign.launch",
    companyId,
    campaignId,
    ...(input.at ? { at: input.at } : {}),
  });
  return messages.length;
}
