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
import { CampaignStatusBadge, MessageStatusBadge } from "./campaign-status";
import { type CampaignMessage, campaigns } from "./client";
import { formatEuros } from "./money";
import { displayValue } from "./recipients-field";
import { browserZone, differsFromParis, formatInZone } from "./schedule";

/** One campaign: title, status, counts, send time and its messages (statuses come with the delivery engine). */
export function CampaignPage() {
  usePageTitle("campaigns.one");
  const { t, number, dateTime, locale } = useI18n();
  const campaignId = matchPath("/campaigns/:campaignId", usePathname())?.campaignId ?? "";
  const resource = useResource(() => campaigns.get(campaignId), campaignId);
  const first = useResource(() => campaigns.messages(campaignId), campaignId);
  const agencyList = useResource(() => agenciesApi.list(true));
  const [extra, setExtra] = useState<{ items: CampaignMessage[]; cursor?: string; loading: boolean }>({
    items: [],
    loading: false,
  });
  const campaign = resource.data?.campaign;
  const messages = [...(first.data?.items ?? []), ...extra.items];
  const cursor = extra.items.length > 0 ? extra.cursor : first.data?.cursor;
  const zone = browserZone();
  const agency = agencyList.data?.items.find((item) => item.agencyId === campaign?.agencyId);

  const loadMore = async () => {
    if (!cursor) return;
    setExtra((current) => ({ ...current, loading: true }));
    const page = await campaigns.messages(campaignId, cursor).catch(() => null);
    setExtra((current) =>
      page
        ? { items: [...current.items, ...page.items], cursor: page.cursor, loading: false }
        : { ...current, loading: false },
    );
  };

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
        </div>
        {campaign && <CampaignStatusBadge status={campaign.status} />}
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
            <div className="campaign-when">
              <Icon name={campaign.status === "scheduled" ? "clock" : "send"} size={18} />
              <div>
                <p className="field-label">
                  {t(campaign.status === "scheduled" ? "campaigns.scheduledFor" : "campaigns.sentAt")}
                </p>
                <p className="campaign-when-value" data-testid="campaign-send-at">
                  {dateTime(campaign.sendAt)}{" "}
                  <span className="text-subtle">{t("composer.schedule.paris")}</span>
                </p>
                {differsFromParis(zone, new Date(campaign.sendAt)) && (
                  <p className="text-subtle">
                    {t("composer.schedule.local", {
                      when: formatInZone(campaign.sendAt, zone),
                      zone: zone.replaceAll("_", " "),
                    })}
                  </p>
                )}
              </div>
            </div>
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

          <section className="stack">
            <h2>{t("campaigns.messages")}</h2>
            <div className="card table-card">
              <table className="table" data-testid="messages-table" aria-busy={first.loading}>
                <caption className="visually-hidden">{t("campaigns.messages")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("campaigns.col.recipient")}</th>
                    <th scope="col">{t("campaigns.col.channel")}</th>
                    <th scope="col">{t("campaigns.col.status")}</th>
                    <th scope="col" className="num">
                      {t("composer.totals.units")}
                    </th>
                    <th scope="col">{t("campaigns.col.updated")}</th>
                  </tr>
                </thead>
                <tbody>
                  {first.data && messages.length === 0 && (
                    <tr>
                      <td colSpan={5} className="empty-cell">
                        {t("campaigns.noMessages")}
                      </td>
                    </tr>
                  )}
                  {messages.map((message) => (
                    <tr key={message.messageId} data-testid="message-row" data-status={message.status}>
                      <th scope="row">
                        <span className="person-text">
                          <span className="person-name">{message.name || displayValue(message.to)}</span>
                          {message.name && <span className="person-detail">{displayValue(message.to)}</span>}
                        </span>
                      </th>
                      <td>
                        <span className="channel">
                          <Icon name={message.channel === "sms" ? "sms" : "email"} size={14} />
                          {t(`composer.channel.${message.channel}`)}
                        </span>
                      </td>
                      <td>
                        <MessageStatusBadge status={message.status} />
                        {message.statusReason && (
                          <span className="person-detail">{message.statusReason}</span>
                        )}
                      </td>
                      <td className="num tabular">
                        {message.channel === "sms" ? number(message.units) : "—"}
                      </td>
                      <td className="nowrap text-muted">{dateTime(message.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {cursor && (
                <div className="table-foot">
                  <button type="button" className="button" onClick={loadMore} disabled={extra.loading}>
                    {t("campaigns.more")}
                  </button>
                </div>
              )}
            </div>
          </section>
        </>
      )}
    </div>
  );
}
