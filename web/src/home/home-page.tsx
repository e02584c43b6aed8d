import "../composer/composer.css";
import "./home.css";
import { errorText } from "../accounts/errors";
import { ErrorNotice } from "../components/notice";
import { useResource } from "../components/use-resource";
import { CampaignStatusBadge } from "../composer/campaign-status";
import type { Campaign } from "../composer/client";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { useMe } from "../session/session-store";
import { type HomeReply, home } from "./client";

const campaignHref = (campaignId: string) => `/campaigns/${encodeURIComponent(campaignId)}`;

/** « Accueil »: where every signed-in role lands — latest campaigns, latest replies, what is scheduled. */
export function HomePage() {
  usePageTitle("home.title");
  const { t } = useI18n();
  const me = useMe();
  const overview = useResource(() => home.get());
  const data = overview.data;
  const brandNew = data && data.recent.length === 0 && data.scheduled.length === 0;

  return (
    <div className="page page-wide home-page" data-testid="home-page">
      <header className="page-header">
        <div>
          <h1>{t("home.title")}</h1>
          <p className="page-subtitle">
            {me ? `${t("home.hello", { name: me.firstName })} · ` : ""}
            {t("home.subtitle")}
          </p>
        </div>
        <div className="page-actions">
          <Link href="/contacts/import" className="button" data-testid="home-import">
            <Icon name="upload" />
            {t("home.importContacts")}
          </Link>
          <Link href="/compose/info" className="button" data-testid="home-new-info">
            <Icon name="announce" />
            {t("nav.newInfo")}
          </Link>
          <Link href="/compose/yesno" className="button button-primary" data-testid="home-new-yesno">
            <Icon name="yesNo" />
            {t("nav.newYesNo")}
          </Link>
        </div>
      </header>
      {overview.error !== undefined && <ErrorNotice text={errorText(t, overview.error)} />}
      {!data && overview.loading && (
        <p className="text-muted" role="status">
          {t("app.loading")}
        </p>
      )}
      {brandNew && <FirstSteps />}
      {data && !brandNew && (
        <div className="home-grid">
          <RecentCampaigns items={data.recent} />
          <div className="home-side">
            <LatestReplies items={data.replies} />
            <Scheduled items={data.scheduled} />
          </div>
        </div>
      )}
    </div>
  );
}

function FirstSteps() {
  const { t } = useI18n();
  return (
    <section className="card empty-state home-first" data-testid="home-first">
      <span className="empty-icon">
        <Icon name="yesNo" size={22} />
      </span>
      <h2>{t("home.first.title")}</h2>
      <p className="text-muted">{t("home.first.text")}</p>
      <div className="page-actions">
        <Link href="/contacts/import" className="button">
          <Icon name="upload" />
          {t("home.importContacts")}
        </Link>
        <Link href="/compose/yesno" className="button button-primary">
          <Icon name="yesNo" />
          {t("nav.newYesNo")}
        </Link>
      </div>
    </section>
  );
}

function RecentCampaigns({ items }: { items: Campaign[] }) {
  const { t, number, dateTime } = useI18n();
  return (
    <section className="card home-card" data-testid="home-recent" aria-labelledby="home-recent-title">
      <div className="section-head">
        <h2 className="home-card-title" id="home-recent-title">
          {t("home.recent.title")}
        </h2>
        <Link href="/campaigns" className="text-link">
          {t("home.recent.all")}
        </Link>
      </div>
      {items.length === 0 ? (
        <p className="text-muted">{t("home.recent.empty")}</p>
      ) : (
        <ul className="home-list">
          {items.map((campaign) => (
            <li key={campaign.campaignId} data-testid="home-campaign" data-title={campaign.title}>
              <div className="home-line">
                <Link href={campaignHref(campaign.campaignId)} className="campaign-link">
                  <Icon name={campaign.kind === "yesno" ? "yesNo" : "announce"} size={14} />
                  {campaign.title}
                </Link>
                <CampaignStatusBadge status={campaign.status} />
              </div>
              <div className="home-line text-subtle">
                <span>
                  {campaign.outcomes.sent > 0
                    ? t(
                        campaign.outcomes.delivered <= 1
                          ? "home.recent.deliveredOne"
                          : "home.recent.delivered",
                        {
                          delivered: number(campaign.outcomes.delivered),
                          total: number(campaign.outcomes.total),
                        },
                      )
                    : t("home.recent.pending")}
                  {campaign.kind === "yesno" &&
                    ` · ${t(
                      campaign.outcomes.replied === 1 ? "home.recent.answeredOne" : "home.recent.answered",
                      {
                        count: number(campaign.outcomes.replied),
                      },
                    )}`}
                </span>
                {campaign.kind === "yesno" && campaign.outcomes.replied > 0 && (
                  <span className="answer-tags">
                    <span className="answer-tag answer-yes">{number(campaign.outcomes.yes)}</span>
                    <span className="answer-tag answer-no">{number(campaign.outcomes.no)}</span>
                    <span className="answer-tag answer-other">{number(campaign.outcomes.other)}</span>
                  </span>
                )}
                <span className="nowrap">
                  {campaign.outcomes.departure ? dateTime(campaign.outcomes.departure) : "—"}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LatestReplies({ items }: { items: HomeReply[] }) {
  const { t, dateTime } = useI18n();
  return (
    <section className="card home-card" data-testid="home-replies" aria-labelledby="home-replies-title">
      <h2 className="home-card-title" id="home-replies-title">
        {t("home.replies.title")}
      </h2>
      {items.length === 0 ? (
        <p className="text-muted">{t("home.replies.empty")}</p>
      ) : (
        <ul className="home-list">
          {items.map((reply) => (
            <li key={`${reply.campaignId}-${reply.replyId}`} data-testid="home-reply">
              <div className="home-line">
                <Link
                  href={
                    reply.contactId
                      ? `/contacts/${encodeURIComponent(reply.contactId)}/conversation`
                      : campaignHref(reply.campaignId)
                  }
                  className="campaign-link"
                >
                  {/^\+\d+$/.test(reply.who) ? formatPhone(reply.who) : reply.who}
                </Link>
                <span className={`answer-tag answer-${reply.classification}`}>
                  {t(`home.answer.${reply.classification}`)}
                </span>
              </div>
              <span className="reply-text">« {reply.excerpt} »</span>
              <div className="home-line text-subtle">
                <Link href={campaignHref(reply.campaignId)} className="text-link">
                  {t("home.replies.in", { title: reply.campaignTitle })}
                </Link>
                <span className="nowrap">{dateTime(reply.receivedAt)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Scheduled({ items }: { items: Campaign[] }) {
  const { t, dateTime } = useI18n();
  return (
    <section className="card home-card" data-testid="home-scheduled" aria-labelledby="home-scheduled-title">
      <h2 className="home-card-title" id="home-scheduled-title">
        {t("home.scheduled.title")}
      </h2>
      {items.length === 0 ? (
        <p className="text-muted">{t("home.scheduled.empty")}</p>
      ) : (
        <ul className="home-list">
          {items.map((campaign) => (
            <li key={campaign.campaignId} data-testid="home-scheduled-item">
              <Link href={campaignHref(campaign.campaignId)} className="campaign-link">
                <Icon name="clock" size={14} />
                {campaign.title}
              </Link>
              <span className="text-subtle">
                {t("home.scheduled.leaves", { at: dateTime(campaign.sendAt) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
