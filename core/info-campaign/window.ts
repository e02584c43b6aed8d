import * as z from "zod";
import { useCompanyId } from "../actor";
import * as Job from "../job";
import * as ScheduleWindow from "../schedule-window";
import { windowOf } from "./info-campaign";
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
  return ScheduleWindow.move("activated", () =>
    InfoCampaignEntity.patch({ companyId, campaignId })
      .set({
        status: "active",
        activeTrigger,
        activeSince: `${now.toISOString()}#${campaignId}`,
        activatedAt: now.toISOString(),
      })
      .where(({ status }, { eq }) => eq(status, "scheduled"))
      .go(),
  );
}

export async function close(campaignId: string, now = new Date()) {
  const companyId = useCompanyId();
  const moved = await ScheduleWindow.move("closed", () =>
    InfoCampaignEntity.patch({ companyId, campaignId })
      .set({ status: "closed", closedAt: now.toISOString() })
      .remove(["activeTrigger", "activeSince"])
      .where(({ status }, { eq }) => `${eq(status, "scheduled")} OR ${eq(status, "active")}`)
      .go(),
  );
  // Closed early: what has not fired yet never will.
  if (moved.outcome === "closed") await windowOf(companyId, campaignId).cancel();
  return moved;
}
