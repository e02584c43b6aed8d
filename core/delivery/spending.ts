import { isConditionalFailure } from "../db";
import { afterSpend } from "../usage/cap-alerts";
import { monthOf } from "../usage/month";
import { UsageEntity } from "../usage/usage.entity";

export type Cost = { millicents: number; units: number };

/**
 * Reserves a send job's SMS cost and units against the company's monthly cap, before anything is sent:
 * one conditional ADD on the month's usage item (core/usage), refused once the month's total has reached
 * the cap. The check is on the total before the job, so concurrent campaigns overshoot by at most one
 * job each. Cap 0 means no SMS at all. What the job then does not send is given back (`release`), so
 * the item holds the cost of what left: the cap and the usage are one number. Crossing 80 % or 100 %
 * alerts the Admins once (core/usage/cap-alerts.ts).
 */
export async function reserve(companyId: string, cost: Cost, capMillicents: number, now = new Date()) {
  if (cost.millicents <= 0) return true;
  const month = monthOf(now);
  try {
    if (capMillicents <= 0) throw new CapSpent();
    const { data } = await UsageEntity.upsert({ companyId, month })
      .add({ millicents: cost.millicents, smsUnits: cost.units })
      .where(
        ({ millicents: spent }, { notExists, lt }) => `${notExists(spent)} OR ${lt(spent, capMillicents)}`,
      )
      .go({ response: "all_new" });
    await afterSpend(companyId, month, data, capMillicents);
    return true;
  } catch (error) {
    if (!(error instanceof CapSpent) && !isConditionalFailure(error)) throw error;
    // Refused: the cap is reached (or was lowered under what is spent); tell the Admins if nobody has.
    const { data } = await UsageEntity.get({ companyId, month }).go({ consistent: true });
    await afterSpend(companyId, month, { ...data, millicents: data?.millicents ?? 0 }, capMillicents);
    return false;
  }
}

class CapSpent extends Error {}

/**
 * Gives back the reserved cost of SMS the job did not send (refused, opted out, handed back to the
 * queue: a handed-back message reserves again when it comes back). Reserved in `now`'s month.
 */
export async function release(companyId: string, cost: Cost, now = new Date()) {
  if (cost.millicents <= 0 && cost.units <= 0) return;
  await UsageEntity.upsert({ companyId, month: monthOf(now) })
    .add({ millicents: -cost.millicents, smsUnits: -cost.units })
    .go({ response: "none" });
}

export async function spentThisMonth(companyId: string, now = new Date()) {
  const { data } = await UsageEntity.get({ companyId, month: monthOf(now) }).go();
  return Math.max(0, data?.millicents ?? 0);
}
