import * as z from "zod";
import { useCompanyId } from "../actor";
import { nextAllowed, quietReason } from "../delivery/quiet-hours";
import { settingsOf } from "../delivery/settings";
import { fn } from "../fn";

/**
 * When a campaign asked for `at` (now when absent) really leaves: quiet hours, Sundays and holidays move
 * it to the next allowed moment, and the composer says so before anyone confirms.
 */
export const departure = fn(z.object({ at: z.iso.datetime({ offset: true }).optional() }), async (input) => {
  const { quietHours } = await settingsOf(useCompanyId());
  const wanted = input.at ? new Date(input.at) : new Date();
  return {
    at: wanted.toISOString(),
    leavesAt: nextAllowed(wanted, quietHours).toISOString(),
    quiet: quietReason(wanted, quietHours) ?? null,
  };
});
