import * as z from "zod";
import { event } from "../event";

/** Ids and statuses only: webhooks (another subscriber) forward these payloads as they are. */
export const DossierSubmitted = event(
  "dossier.submitted",
  z.object({ dossierId: z.string(), campaignId: z.string(), status: z.string() }),
);

export const DossierStatusChanged = event(
  "dossier.status_changed",
  z.object({
    dossierId: z.string(),
    campaignId: z.string(),
    status: z.string(),
    previousStatus: z.string().optional(),
    /** The staff user who moved it. */
    changedBy: z.string().optional(),
  }),
);
