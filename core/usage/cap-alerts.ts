import { useCompanyId, withActor } from "../actor";
import { Audit } from "../audit";
import { config } from "../config";
import { isConditionalFailure, write } from "../db";
import { commit, type Received } from "../event";
import { Notify } from "../notify";
import { UserEntity } from "../user/user.entity";
import { UsageEntity } from "./usage.entity";
import { CapThresholdReached } from "./usage.events";

type Spent = { millicents?: number; alerted80At?: string; alerted100At?: string };

/** The highest cap threshold `spent` has reached, if any. A cap of 0 is reached by any SMS. */
export function thresholdOf(spent: number, capMillicents: number): 80 | 100 | undefined {
  if (capMillicents <= 0 || spent >= capMillicents) return 100;
  if (spent * 100 >= capMillicents * 80) return 80;
  return undefined;
}

/**
 * After a month's spending moved (`item` as the ADD left it), marks the highest threshold it reached,
 * once: a conditional write of its « alerted » marker, in one transaction with the audit entry and the
 * event that emails the Admins. Concurrent send jobs crossing it together race on the condition; one
 * wins. Crossing 80 % and 100 % at once says 100 % only. Returns the threshold announced, if this call did.
 */
export async function afterSpend(companyId: string, month: string, item: Spent, capMillicents: number) {
  const spent = item.millicents ?? 0;
  const threshold = thresholdOf(spent, capMillicents);
  if (!threshold) return undefined;
  if (threshold === 100 ? item.alerted100At : item.alerted80At) return undefined;
  const at = new Date().toISOString();
  // Upsert: a cap of 0 is reached before anything was spent, with no item yet.
  const update = UsageEntity.upsert({ companyId, month })
    .set(threshold === 100 ? { alerted100At: at, alerted80At: item.alerted80At ?? at } : { alerted80At: at })
    .where((attr, { notExists }) => notExists(threshold === 100 ? attr.alerted100At : attr.alerted80At));
  try {
    await withActor({ type: "system", companyId, reason: "spending cap" }, () =>
      commit(
        [
          write.update(update.params()),
          Audit.entry("usage.cap_alert", {
            target: { type: "company", id: companyId, label: month },
            details: { month, threshold, spentMillicents: spent, capMillicents },
            actorName: "Plafond / Cap",
          }),
        ],
        [CapThresholdReached.create({ month, threshold, spentMillicents: spent, capMillicents })],
      ),
    );
    return threshold;
  } catch (error) {
    if (isConditionalFailure(error)) return undefined;
    throw error;
  }
}

const euros = (millicents: number) =>
  (millicents / 100_000).toLocaleString("fr-FR", { style: "currency", currency: "EUR" });

/** Every active Admin of the company gets one email (subscriber `cap-alert`, core/subscribers.ts). */
export async function alertAdmins(event: Received<typeof CapThresholdReached>) {
  const companyId = useCompanyId();
  const { threshold, spentMillicents, capMillicents, month } = event.payload;
  const admins = await UserEntity.query
    .byCompany({ companyId })
    .where((attr, { eq }) => `${eq(attr.role, "admin")} AND ${eq(attr.status, "active")}`)
    .go({ pages: "all" });
  const spent = euros(spentMillicents);
  const cap = euros(capMillicents);
  const reached = threshold === 100;
  for (const admin of admins.data)
    await Notify.email(admin.email, {
      subject: reached
        ? `Plafond mensuel SMS atteint (${cap}) / Monthly SMS cap reached`
        : `80 % du plafond mensuel SMS consommé / 80 % of the monthly SMS cap used`,
      paragraphs: [
        reached
          ? `Le plafond mensuel de dépenses SMS (${cap}) est atteint pour ${month} : ${spent} engagés. Les SMS ne partent plus jusqu'au mois prochain, sauf si le plafond est relevé.`
          : `${spent} de SMS ont été engagés en ${month}, soit 80 % du plafond mensuel de ${cap}. Au-delà du plafond, les SMS ne partiront plus.`,
        reached
          ? `The monthly SMS spending cap (${cap}) is reached for ${month}: ${spent} committed. No SMS will leave before next month unless the cap is raised.`
          : `${spent} of SMS were committed in ${month}, 80 % of the ${cap} monthly cap. Beyond the cap, SMS will not leave.`,
      ],
      link: { label: "Voir la consommation", url: `${config("PUBLIC_URL")}/usage` },
    });
}
