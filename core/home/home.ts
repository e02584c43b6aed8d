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
/**
 * One read of my newest campaigns feeds every block, so the page stays cheap in a busy company: the
 * scheduled ones and those with replies are looked for among these (a campaign scheduled months ahead,
 * behind hundreds of newer ones, is left to Envois).
 */
const scan = { campaigns: 300, days: 366 };
/** Replies are read campaign by campaign: the newest campaigns of the last 60 days that have some. */
const replyWindow = { days: 60, campaigns: 5, perCampaign: 100 };

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
};

export const overview = fn(z.object({}).default({}), async (): Promise<Info> => {
  const now = new Date().toISOString();
  const repliesSince = daysAgo(replyWindow.days);
  const recent: Campaign.Info[] = [];
  const scheduled: Campaign.Info[] = [];
  const answered: { campaignId: string; title: string }[] = [];
  let scanned = 0;
  for await (const row of Campaign.visibleRows({ from: daysAgo(scan.days).slice(0, 10) }, 100)) {
    if (recent.length < limits.recent) recent.push(Campaign.toInfo(row));
    if (row.status === "scheduled" && row.sendAt > now) scheduled.push(Campaign.toInfo(row));
    if (row.replied > 0 && row.createdAt >= repliesSince && answered.length < replyWindow.campaigns)
      answered.push({ campaignId: row.campaignId, title: row.title });
    if (++scanned >= scan.campaigns) break;
  }
  return {
    recent,
    scheduled: scheduled.sort((a, b) => a.sendAt.localeCompare(b.sendAt)).slice(0, limits.scheduled),
    replies: await latestReplies(answered),
  };
});

async function latestReplies(answered: { campaignId: string; title: string }[]): Promise<Reply[]> {
  const companyId = useCompanyId();
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
  // Two replies to one message (« Oui » then « merci ») name it twice: BatchGetItem refuses duplicate keys.
  const keys = new Map(
    latest.map(({ campaignId, messageId }) => [
      `${campaignId}#${messageId}`,
      { companyId, campaignId, messageId },
    ]),
  );
  const { data: messages } = await MessageEntity.get([...keys.values()]).go();
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
