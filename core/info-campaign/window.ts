import * as z from "zod";
import { useCompanyId } from "../actor";
import { isConditionalFailure } from "../db";
import * as Job from "../job";
import * as Scheduler from "../platform/scheduler";
import { scheduleName } from "./info-campaign";
import { activeTriggerOf, InfoCampaignEntity } from "./info-campaign.entity";

/**
 * A campaign's window: programmée → active at its start, active → terminée at its end, each moved by a
 * Scheduler schedule's job (or at once when the date is past). Both moves are conditional, so a repeated
 * or late job changes nothing.
 */
const WindowJob = <K extends string>(kind: K) =>
  z.object({ kind: z.literal(kind), companyId: z.string(), campaignId: z.string() });

export const ActivateCampaign = Job.define({
  kind: "info-campaign.activate",
  queue: "import",
  schema: WindowJob("info-campaign.activate"),
  run: async (job) => activate(job.campaignId),
});

export const CloseCampaign = Job.define({
  kind: "info-campaign.close",
  queue: "import",
  schema: WindowJob("info-campaign.close"),
  run: async (job) => close(job.campaignId),
});

export async function activate(campaignId: string, now = new Date()) {
  const companyId = useCompanyId();
  const { data } = await InfoCampaignEntity.get({ companyId, campaignId }).go();
  if (data?.status !== "scheduled") return { outcome: "skipped" as const };
  // Past its end already (a start delayed past it): terminée, never active.
  if (data.endAt && data.endAt <= now.toISOString()) return close(campaignId, now);
  const activeTrigger = activeTriggerOf(
    companyId,
    data.trigger === "document_type" ? { typeId: data.triggerTypeId ?? "" } : "recipients",
  );
  try {
    await InfoCampaignEntity.patch({ companyId, campaignId })
      .set({
        status: "active",
        activeTrigger,
        activeSince: `${now.toISOString()}#${campaignId}`,
        activatedAt: now.toISOString(),
      })
      .where(({ status }, { eq }) => eq(status, "scheduled"))
      .go();
  } catch (error) {
    if (isConditionalFailure(error)) return { outcome: "skipped" as const };
    throw error;
  }
  return { outcome: "activated" as const };
}

export async function close(campaignId: string, now = new Date()) {
  const companyId = useCompanyId();
  try {
    await InfoCampaignEntity.patch({ companyId, campaignId })
      .set({ status: "closed", closedAt: now.toISOString() })
      .remove(["activeTrigger", "activeSince"])
      .where(({ status }, { eq }) => `${eq(status, "scheduled")} OR ${eq(status, "active")}`)
      .go();
  } catch (error) {
    if (isConditionalFailure(error)) return { outcome: "skipped" as const };
    throw error;
  }
  // Closed early: what has not fired yet never will.
  await Scheduler.cancel(scheduleName(companyId, campaignId, "start"));
  await Scheduler.cancel(scheduleName(companyId, campaignId, "end"));
  return { outcome: "closed" as const };
}
