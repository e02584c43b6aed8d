import * as z from "zod";
import { useCompanyId } from "../actor";
import { Campaign } from "../campaign";
import { MessageEntity } from "../campaign/campaign.entity";
import { ReplyEntity } from "../delivery/delivery.entity";
import { fn } from "../fn";

/**
 * « Accueil »: what a recruiter needs on arrival, over the campaigns they see in Envois (same rows, same
 * agency visibility): the latest campaigns, the latest replies and what is scheduled.
 */
export const Reply = z.object({
  replyId: z.string(),
  campaignId: z.string(),
  campaignTitle: z.string(),
  contactId: z.string().optional(),
  /** The recipient's name, else the number or address the reply came from. */
  who: z.string(),
  excerpt: z.string(),
  classification: z.enum(["yes", "no", "other"]),
  receivedAt: z.string(),
});
export type Reply = z.infer<typeof Reply>;

export const Info = z.object({
  recent: z.array(Campaign.Info),
  replies: z.array(Reply),
  scheduled: z.array(Campaign.Info),
});
export type Info = z.infer<typeof Info>;

const limits = { recent: 6, replies: 8, scheduled: 6 };
/** Replies are read campaign by campaign: the newest campaigns that have some, within these bounds. */
const replyWindow = { days: 60, campaigns: 5, scanned: 300, perCampaign: 100 };
/** A campaign scheduled further ahead than this after its creation is not shown (a bounded read). */
const scheduledWindowDays = 366;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
};

export const overview = fn(z.object({}).default({}), async (): Promise<Info> => {
  const [recent, scheduled, replies] = await Promise.all([
    Campaign.list({ limit: limits.recent }).then((page) => page.items),
    upcoming(),
    latestReplies(),
  ]);
  return { recent, scheduled, replies };
});

async function upcoming() {
  const now = Date.now();
  const found: Campaign.Info[] = [];
  for await (const row of Campaign.visibleRows({ status: "scheduled", from: daysAgo(scheduledWindowDays) })) {
    if (new Date(row.sendAt).getTime() > now) found.push(Campaign.toInfo(row));
    if (found.length >= 100) break;
  }
  return found.sort((a, b) => a.sendAt.localeCompare(b.sendAt)).slice(0, limits.scheduled);
}

async function latestReplies(): Promise<Reply[]> {
  const companyId = useCompanyId();
  const answered: { campaignId: string; title: string }[] = [];
  let scanned = 0;
  for await (const row of Campaign.visibleRows({ from: daysAgo(replyWindow.days) }, 50)) {
    if (row.replied > 0) answered.push({ campaignId: row.campaignId, title: row.title });
    if (answered.length >= replyWindow.campaigns || ++scanned >= replyWindow.scanned) break;
  }
  const read = await Promise.all(
    answered.map(async ({ campaignId, title }) => {
      const { data } = await ReplyEntity.query
        .byCampaign({ companyId, campaignId })
        .go({ count: replyWindow.perCampaign });
      return data.map((reply) => ({ ...reply, title }));
    }),
  );
  const latest = read
    .flat()
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .slice(0, limits.replies);
  if (latest.length === 0) return [];
  const { data: messages } = await MessageEntity.get(
    latest.map(({ campaignId, messageId }) => ({ companyId, campaignId, messageId })),
  ).go();
  const names = new Map(messages.map((message) => [message.messageId, message.name]));
  return latest.map((reply) => ({
    replyId: reply.replyId,
    campaignId: reply.campaignId,
    campaignTitle: reply.title,
    contactId: reply.contactId,
    who: names.get(reply.messageId) || reply.from,
    excerpt: excerpt(reply.body),
    classification: reply.classification,
    receivedAt: reply.receivedAt,
  }));
}
