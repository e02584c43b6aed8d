import { PassThrough, type Readable } from "node:stream";
import { formatInTimeZone } from "date-fns-tz";
import * as z from "zod";
import { Audit } from "../audit";
import { type Classification, ruleCodes } from "../delivery/classify";
import { reclassifyMessage } from "../delivery/replies";
import type { MessageRow } from "../delivery/status";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { Spreadsheet } from "../spreadsheet";
import { MessageEntity } from "./campaign.entity";
import { visible } from "./read";
import { Summary, summarize, summaryColumns } from "./summary";

/** What the campaign page reads: counts for the bubbles, recipients with their answers, a timeline, the report. */

/** The page's bubbles: the campaign's summary (the same numbers everywhere) and where it stands. */
export const Counts = Summary.extend({ status: z.string(), deferredTo: z.string().optional() });

export const counts = fn(z.string(), async (campaignId) => {
  const row = await visible(campaignId);
  return Counts.parse({ ...summarize(row), status: row.status, deferredTo: row.deferredTo });
});

export const Recipient = z.object({
  messageId: z.string(),
  contactId: z.string().optional(),
  name: z.string().optional(),
  channel: z.enum(["sms", "email"]),
  to: z.string(),
  status: z.string(),
  statusReason: z.string().optional(),
  classification: z.enum(["yes", "no", "other"]).optional(),
  /** Which rule read the reply ("manual" once reclassified by hand), to explain the classification. */
  rule: z.enum(ruleCodes).optional(),
  reply: z.string().optional(),
  sentAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  repliedAt: z.string().optional(),
});
export type Recipient = z.infer<typeof Recipient>;

/**
 * What a recipient sees: a message waiting in a campaign being sent is En cours (its send job holds it
 * or will shortly), one left waiting by a cancelled campaign is Annulé; the stored status stays
 * `scheduled` until the provider has it.
 */
const shownStatus = (row: MessageRow, campaignStatus?: string) => {
  const waiting = row.status === "scheduled" || row.status === "sending";
  if (waiting && campaignStatus === "cancelled") return "cancelled";
  return row.status === "scheduled" && campaignStatus === "sending" ? "sending" : row.status;
};

/** A delivery receipt can land before the record of the send, which is then refused: it left all the same. */
const sentAtOf = (row: MessageRow) =>
  row.sentAt ?? (row.deliveredAt ? (row.firstAttemptAt ?? row.deliveredAt) : undefined);

export const toRecipient = (row: MessageRow, campaignStatus?: string): Recipient => ({
  messageId: row.messageId,
  contactId: row.contactId,
  name: row.name,
  channel: row.channel,
  to: row.to,
  status: shownStatus(row, campaignStatus),
  statusReason: row.statusReason,
  classification: row.classification,
  rule: row.replyRule,
  reply: row.replyBody,
  sentAt: sentAtOf(row),
  deliveredAt: row.deliveredAt,
  repliedAt: row.repliedAt,
});

async function* allMessages(companyId: string, campaignId: string) {
  let cursor: string | null = null;
  do {
    const page: { data: MessageRow[]; cursor: string | null } = (await MessageEntity.query
      .byCampaign({ companyId, campaignId })
      .go({ cursor, limit: 1000 })) as { data: MessageRow[]; cursor: string | null };
    yield page.data;
    cursor = page.cursor;
  } while (cursor);
}

/** Recipients with status and answer; `answer` filters (no answer = "none"). */
export const recipients = fn(
  z.object({
    campaignId: z.string(),
    answer: z.enum(["yes", "no", "other", "none"]).optional(),
    cursor: z.string().max(2000).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  async (input) => {
    const row = await visible(input.campaignId);
    const query = MessageEntity.query.byCampaign({ companyId: row.companyId, campaignId: input.campaignId });
    const filtered = input.answer
      ? query.where((attr, { eq, notExists }) =>
          input.answer === "none" ? notExists(attr.classification) : eq(attr.classification, input.answer!),
        )
      : query;
    const page = await filtered.go({ cursor: input.cursor ?? null, limit: input.limit });
    return {
      items: (page.data as MessageRow[]).map((message) => toRecipient(message, row.status)),
      cursor: page.cursor ?? undefined,
    };
  },
);

/** A recruiter corrects how a reply was read. */
export const reclassify = fn(
  z.object({ campaignId: z.string(), messageId: z.string(), classification: z.enum(["yes", "no", "other"]) }),
  async (input) => {
    const row = await visible(input.campaignId);
    const key = { companyId: row.companyId, campaignId: input.campaignId, messageId: input.messageId };
    const changed = await reclassifyMessage(key, input.classification as Classification, {
      replyRule: "manual",
    });
    if (!changed) {
      // The refused condition covers both "no such message here" and "not replied": only the second is a 409.
      const { data } = await MessageEntity.get(key).go({ attributes: ["messageId"] });
      if (!data) throw new VisibleError("message.not_found", "No such message in this campaign", 404);
      throw new VisibleError("message.not_replied", "This message has no reply to classify", 409);
    }
    await Audit.record("reply.reclassified", {
      target: { type: "message", id: input.messageId, label: row.title },
      details: { classification: input.classification },
    });
    const { data } = await MessageEntity.get({
      companyId: row.companyId,
      campaignId: input.campaignId,
      messageId: input.messageId,
    }).go();
    return toRecipient(data as MessageRow);
  },
);

/** Deliveries and replies per minute (or hour), for the chart on the campaign page. */
export const timeline = fn(
  z.object({ campaignId: z.string(), bucket: z.enum(["minute", "hour"]).default("minute") }),
  async (input) => {
    const row = await visible(input.campaignId);
    const width = input.bucket === "hour" ? 13 : 16; // "yyyy-MM-ddTHH" or "yyyy-MM-ddTHH:mm"
    const points = new Map<string, { delivered: number; replied: number }>();
    const bump = (at: string | undefined, key: "delivered" | "replied") => {
      if (!at) return;
      const slot = at.slice(0, width);
      const point = points.get(slot) ?? { delivered: 0, replied: 0 };
      point[key]++;
      points.set(slot, point);
    };
    for await (const page of allMessages(row.companyId, input.campaignId))
      for (const message of page) {
        bump(message.deliveredAt, "delivered");
        bump(message.repliedAt, "replied");
      }
    const suffix = input.bucket === "hour" ? ":00:00.000Z" : ":00.000Z";
    return {
      bucket: input.bucket,
      points: [...points.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([slot, point]) => ({ at: `${slot}${suffix}`, ...point })),
    };
  },
);

const statusLabels: Record<string, string> = {
  scheduled: "Programmé",
  sending: "En cours",
  sent: "Envoyé",
  delivered: "Délivré",
  undeliverable: "Non délivré",
  replied: "Répondu",
  failed: "Échec",
  unsubscribed: "Désabonné",
  cancelled: "Annulé",
};
const answerLabels: Record<string, string> = { yes: "Oui", no: "Non", other: "Autre" };

/** The campaign's report as a streamed .xlsx; every value is written as text or number, never a formula. */
export const report = fn(z.string(), async (campaignId) => {
  const row = await visible(campaignId);
  const summary = summarize(row);
  const paris = (at?: string) =>
    at ? formatInTimeZone(new Date(at), "Europe/Paris", "dd/MM/yyyy HH:mm") : "";
  async function* rows() {
    for await (const page of allMessages(row.companyId, campaignId))
      for (const message of page)
        yield {
          name: message.name ?? "",
          to: message.to,
          channel: message.channel === "sms" ? "SMS" : "Email",
          status: statusLabels[shownStatus(message, row.status)] ?? message.status,
          reason: message.statusReason ?? "",
          answer: message.classification ? answerLabels[message.classification] : "",
          reply: message.replyBody ?? "",
          sentAt: paris(sentAtOf(message)),
          deliveredAt: paris(message.deliveredAt),
          repliedAt: paris(message.repliedAt),
        };
  }
  const output = new PassThrough();
  Spreadsheet.writeXlsx(output, [
    {
      name: "Destinataires",
      columns: [
        { header: "Nom", key: "name", width: 24 },
        { header: "Destinataire", key: "to", width: 24 },
        { header: "Canal", key: "channel", width: 8 },
        { header: "Statut", key: "status", width: 14 },
        { header: "Motif", key: "reason", width: 30 },
        { header: "Réponse", key: "answer", width: 10 },
        { header: "Message reçu", key: "reply", width: 40 },
        { header: "Envoyé le", key: "sentAt", width: 17 },
        { header: "Délivré le", key: "deliveredAt", width: 17 },
        { header: "Répondu le", key: "repliedAt", width: 17 },
      ],
      rows: rows(),
    },
    {
      name: "Synthèse",
      columns: [
        { header: "Indicateur", key: "label", width: 20 },
        { header: "Nombre", key: "value", width: 10 },
      ],
      rows: summaryColumns.map(({ header, key }) => ({ label: header, value: summary[key] })),
    },
  ]).catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return {
    fileName: `envoi-${campaignId}-${new Date().toISOString().slice(0, 10)}.xlsx`,
    stream: output as Readable,
  };
});
