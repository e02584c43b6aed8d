import type { EntityItem } from "electrodb";
import * as z from "zod";
import type { CampaignEntity } from "./campaign.entity";

type Row = EntityItem<typeof CampaignEntity>;

/**
 * The numbers shown for a campaign, the same on its page, in Envois, in its report and in the Envois
 * export: every one of them reads them here. Delivered, answered and opted out are facts that accumulate
 * (a message delivered then answered then opted out counts in all three); `sent + undeliverable + failed`
 * plus the opted out before sending, plus `waiting` or `cancelled`, make `total`.
 */
export const Summary = z.object({
  /** Messages (SMS and emails). */
  total: z.number(),
  /** Not sent yet; 0 once cancelled, when they are `cancelled` instead. */
  waiting: z.number(),
  cancelled: z.number(),
  sent: z.number(),
  delivered: z.number(),
  undeliverable: z.number(),
  failed: z.number(),
  /** Answered, and by answer. */
  replied: z.number(),
  yes: z.number(),
  no: z.number(),
  other: z.number(),
  unsubscribed: z.number(),
  /** Sent or delivered, not answered: whom « Relancer » reaches. */
  unanswered: z.number(),
  /** When it leaves or left; none for a campaign cancelled before it left. */
  departure: z.string().optional(),
});
export type Summary = z.infer<typeof Summary>;

type Counted = Pick<
  Row,
  | "status"
  | "sendAt"
  | "launchedAt"
  | "smsCount"
  | "emailCount"
  | "sent"
  | "delivered"
  | "undeliverable"
  | "failed"
  | "replied"
  | "unsubscribed"
  | "repliedYes"
  | "repliedNo"
  | "repliedOther"
  | "unanswered"
  | "done"
  | "countsVersion"
>;

export function summarize(row: Counted): Summary {
  const n = (value: number | undefined) => value ?? 0;
  const total = n(row.smsCount) + n(row.emailCount);
  // Counted before facts accumulated: a histogram of statuses, read as well as it can be.
  const facts =
    row.countsVersion === 2
      ? {
          sent: n(row.sent),
          delivered: n(row.delivered),
          unanswered: n(row.unanswered),
          done: n(row.done),
        }
      : {
          sent: n(row.sent) + n(row.delivered) + n(row.replied),
          delivered: n(row.delivered) + n(row.replied),
          unanswered: n(row.sent) + n(row.delivered),
          done:
            n(row.sent) +
            n(row.delivered) +
            n(row.undeliverable) +
            n(row.failed) +
            n(row.replied) +
            n(row.unsubscribed),
        };
  const left = Math.max(0, total - facts.done);
  const cancelled = row.status === "cancelled";
  return {
    total,
    waiting: cancelled ? 0 : left,
    cancelled: cancelled ? left : 0,
    sent: facts.sent,
    delivered: facts.delivered,
    undeliverable: n(row.undeliverable),
    failed: n(row.failed),
    replied: n(row.replied),
    yes: n(row.repliedYes),
    no: n(row.repliedNo),
    other: n(row.repliedOther),
    unsubscribed: n(row.unsubscribed),
    unanswered: facts.unanswered,
    departure: cancelled && !row.launchedAt ? undefined : row.sendAt,
  };
}

/** The summary's numbers as the spreadsheets title them (the report's Synthèse, the Envois export). */
export const summaryColumns = [
  { key: "total", header: "Messages" },
  { key: "waiting", header: "En attente" },
  { key: "cancelled", header: "Annulés" },
  { key: "sent", header: "Envoyés" },
  { key: "delivered", header: "Délivrés" },
  { key: "replied", header: "Réponses" },
  { key: "yes", header: "Oui" },
  { key: "no", header: "Non" },
  { key: "other", header: "Autre" },
  { key: "undeliverable", header: "Non délivrés" },
  { key: "failed", header: "Échecs" },
  { key: "unsubscribed", header: "Désabonnés" },
] as const satisfies ReadonlyArray<{ key: keyof Summary; header: string }>;
