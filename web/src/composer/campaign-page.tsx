import "./composer.css";
import { useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { Notice } from "../components/notice";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, usePathname } from "../router";
import {
  AnswerBubbles,
  CampaignActions,
  isLive,
  RecipientsTable,
  StatusCounts,
  TimelineChart,
  usePoll,
} from "./campaign-live";
import { CampaignStatusBadge } from "./campaign-status";
import { type AnswerFilter, type CampaignDetails, type CampaignStatus, campaigns } from "./client";
import { formatEuros } from "./money";
import { browserZone, differsFromParis, formatInZone } from "./schedule";

/** One campaign: status, send time, answer bubbles, status counts, chart and recipients, live while sending. */
export function CampaignPage() {
  usePageTitle("campaigns.one");
  const { t, number, dateTime, locale } = useI18n();
  const campaignId = matchPath("/campaigns/:campaignId", usePathname())?.campaignId ?? "";
  const resource = useResource(() => campaigns.get(campaignId), campaignId);
  const agencyList = useResource(() => agenciesApi.list(true));
  const counts = useResource(() => campaigns.counts(campaignId), campaignId);
  const timeline = useResource(() => campaigns.timeline(campaignId), campaignId);
  const [filter, setFilter] = useState<AnswerFilter>();
  const [refreshKey, setRefreshKey] = useState(0);
  const campaign = resource.data?.campaign;
  const zone = browserZone();
  const agency = agencyList.data?.items.find((item) => item.agencyId === campaign?.agencyId);
  const status = (counts.data?.counts.status ?? campaign?.status) as CampaignStatus | undefined;

  const refresh = () => {
    void counts.reload();
    void timeline.reload();
    setRefreshKey((key) => key + 1);
  };
  const refreshAll = () => {
    void resource.reload();
    refresh();
  };
  usePoll(isLive(status, campaign?.kind, campaign?.sendAt), () => {
    if (status !== campaign?.status) void resource.reload();
    refresh();
  });

  return (
    <div className="page page-wide" data-testid="campaign-page">
      <header className="page-header">
        <div>
          <Link href="/campaigns" className="back-link">
            <Icon name="chevronLeft" size={14} />
            {t("campaigns.title")}
          </Link>
          <h1 data-testid="campaign-title">{campaign?.title ?? t("campaigns.one")}</h1>
          {campaign && (
            <p className="page-subtitle">
              {t(campaign.kind === "yesno" ? "nav.newYesNo" : "nav.newInfo")}
              {agency ? ` · ${agency.name}` : ""}
              {campaign.reference ? ` · ${t("composer.field.reference")} ${campaign.reference}` : ""}
              {` · ${t("campaigns.createdBy", { name: campaign.createdBy.name, date: dateTime(campaign.createdAt) })}`}
            </p>
          )}
          {campaign && campaign.attachments.length > 0 && (
            <p className="page-subtitle" data-testid="campaign-attachments">
              <Icon name="file" size={14} />{" "}
              {t("campaign.attachments", {
                files: campaign.attachments.map((file) => file.fileName).join(", "),
              })}
            </p>
          )}
        </div>
        {campaign && status && (
          <div className="campaign-head-side">
            <CampaignStatusBadge status={status} />
            <CampaignActions
              campaignId={campaignId}
              status={status}
              sendAt={campaign.sendAt}
              onChanged={refreshAll}
              followUp={{
                noAnswer: campaign.kind === "yesno" ? campaign.outcomes.unanswered : undefined,
                notDelivered: campaign.outcomes.undeliverable + campaign.outcomes.failed,
              }}
            />
          </div>
        )}
      </header>
      {resource.error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, resource.error)}</p>
        </Notice>
      )}
      {!campaign && resource.loading && <p className="text-subtle">{t("app.loading")}</p>}
      {campaign && (
        <>
          <section className="card card-padded campaign-summary">
            {/* a campaign cancelled before it left has no departure */}
            {campaign.outcomes.departure && (
              <div className="campaign-when">
                <Icon name={campaign.status === "scheduled" ? "clock" : "send"} size={18} />
                <div>
                  <p className="field-label">
                    {t(campaign.status === "scheduled" ? "campaigns.scheduledFor" : "campaigns.sentAt")}
                  </p>
                  <p className="campaign-when-value" data-testid="campaign-send-at">
                    {dateTime(campaign.outcomes.departure)}{" "}
                    <span className="text-subtle">{t("composer.schedule.paris")}</span>
                  </p>
                  {differsFromParis(zone, new Date(campaign.outcomes.departure)) && (
                    <p className="text-subtle">
                      {t("composer.schedule.local", {
                        when: formatInZone(campaign.outcomes.departure, zone),
                        zone: zone.replaceAll("_", " "),
                      })}
                    </p>
                  )}
                </div>
              </div>
            )}
            <dl className="totals totals-wide" data-testid="campaign-counts">
              <div className="total">
                <dt>{t("composer.totals.recipients")}</dt>
                <dd data-testid="count-recipients">{number(campaign.counts.recipients)}</dd>
              </div>
              <div className="total">
                <dt>{t("composer.totals.sms")}</dt>
                <dd data-testid="count-sms">{number(campaign.counts.sms)}</dd>
              </div>
              <div className="total">
                <dt>{t("composer.totals.email")}</dt>
                <dd data-testid="count-email">{number(campaign.counts.email)}</dd>
              </div>
              <div className={campaign.counts.excluded > 0 ? "total total-bad" : "total"}>
                <dt>{t("composer.totals.excluded")}</dt>
                <dd data-testid="count-excluded">{number(campaign.counts.excluded)}</dd>
              </div>
              <div className="total">
                <dt>{t("composer.totals.units")}</dt>
                <dd data-testid="count-units">{number(campaign.counts.smsUnits)}</dd>
              </div>
              <div className="total">
                <dt>{t("composer.totals.cost")}</dt>
                <dd data-testid="count-cost">≈ {formatEuros(campaign.counts.costMillicents, locale)}</dd>
              </div>
            </dl>
          </section>

          {counts.data && (
            <section className="card card-padded campaign-live" data-testid="campaign-live">
              {campaign.kind === "yesno" && (
                <AnswerBubbles counts={counts.data.counts} onPick={(answer) => setFilter(answer)} />
              )}
              <StatusCounts counts={counts.data.counts} />
            </section>
          )}

          {resource.data && <CampaignContent details={resource.data} />}

          <section className="card card-padded stack">
            <h2>{t("campaign.chart.title")}</h2>
            <TimelineChart timeline={timeline.data} />
          </section>

          <RecipientsTable
            campaignId={campaignId}
            filter={filter}
            onFilter={setFilter}
            refreshKey={refreshKey}
            onChanged={refresh}
            question={campaign.kind === "yesno"}
          />
        </>
      )}
    </div>
  );
}

type Details = Pick<CampaignDetails, "message" | "excluded">;

/** The text as written (variables unfilled) and who the campaign left out, and why. */
function CampaignContent({ details }: { details: Details }) {
  const { t, number } = useI18n();
  const { message, excluded } = details;
  return (
    <section className="card card-padded stack campaign-content" data-testid="campaign-content">
      <h2>{t("campaign.content.title")}</h2>
      {message.smsBody && (
        <div>
          <h3 className="field-label">{t("campaign.content.sms")}</h3>
          <p className="campaign-text" data-testid="campaign-sms-body">
            {message.smsBody}
          </p>
        </div>
      )}
      {message.emailSubject && (
        <div>
          <h3 className="field-label">{t("campaign.content.emailSubject")}</h3>
          <p data-testid="campaign-email-subject">{message.emailSubject}</p>
        </div>
      )}
      {excluded.total > 0 && (
        <div data-testid="campaign-excluded">
          <h3 className="field-label">{t("campaign.content.excluded", { count: number(excluded.total) })}</h3>
          <ul className="campaign-excluded">
            {excluded.items.map((item, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: masked addresses may repeat; the order is fixed
              <li key={index} data-testid="excluded-row" data-reason={item.reason}>
                <span>{item.name ?? item.address}</span>
                {item.name && <span className="text-subtle"> · {item.address}</span>}
                <span className="text-subtle"> — {t(`campaign.excluded.${item.reason}`)}</span>
              </li>
            ))}
          </ul>
          {excluded.total > excluded.items.length && (
            <p className="text-subtle">
              {t("campaign.content.excludedMore", { count: number(excluded.total - excluded.items.length) })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
