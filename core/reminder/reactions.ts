import type { Received } from "../event";
import type { SuppressionAdded } from "../suppression/suppression.events";

/** A customer's STOP cancels their pending reminders (the list shows « Annulée (STOP) »). */
export async function cancelOnStop(event: Received<typeof SuppressionAdded>) {
  if (event.payload.channel !== "sms") return;
  const { cancelForOptOut } = await import("./reminder");
  await cancelForOptOut(event.companyId, event.payload.address);
}
