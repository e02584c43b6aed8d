import { isConditionalFailure } from "../db";
import { SpendEntity } from "./delivery.entity";
import { monthOf } from "./pricing";

/**
 * Reserves a send job's SMS cost against the company's monthly cap, before anything is sent: one
 * conditional ADD, refused once the month's total has reached the cap. The check is on the total before
 * the job, so concurrent campaigns overshoot by at most one job each. Cap 0 means no SMS at all.
 */
export async function reserve(
  companyId: string,
  millicents: number,
  capMillicents: number,
  now = new Date(),
) {
  if (millicents <= 0) return true;
  if (capMillicents <= 0) return false;
  try {
    await SpendEntity.update({ companyId, month: monthOf(now) })
      .add({ millicents })
      .where(
        ({ millicents: spent }, { notExists, lt }) => `${notExists(spent)} OR ${lt(spent, capMillicents)}`,
      )
      .go({ response: "none" });
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

export async function spentThisMonth(companyId: string, now = new Date()) {
  const { data } = await SpendEntity.get({ companyId, month: monthOf(now) }).go();
  return data?.millicents ?? 0;
}
