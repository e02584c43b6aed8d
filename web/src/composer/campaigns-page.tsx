import "./composer.css";
import { useMemo, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { Notice } from "../components/notice";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { CampaignStatusBadge } from "./campaign-status";
import { type Campaign, campaigns } from "./client";
import { formatEuros } from "./money";

/** « Envois »: the campaigns of my agencies, newest first, with status and counts. */
export function CampaignsPage() {
  usePageTitle("campaigns.title");
  const { t, number, dateTime, locale } = useI18n();
  const first = useResource(() => campaigns.list());
  const [more, setMore] = useState<{ items: Campaign[]; cursor?: string; loading: boolean; error?: unknown }>(
    {
      items: [],
      loading: false,
    },
  );
  const agencyList = useResource(() => agenciesApi.list(true));
  const agencyNames = useMemo(
    () => new Map((agencyList.data?.items ?? []).map((agency) => [agency.agencyId, agency.name])),
    [agencyList.data],
  );
  const items = [...(first.data?.items ?? []), ...more.items];
  const cursor = more.items.length > 0 ? more.cursor : first.data?.cursor;

  const loadMore = async () => {
    if (!cursor) return;
    setMore((current) => ({ ...current, loading: true }));
    try {
      const page = await campaigns.list(cursor);
      setMore((current) => ({
        items: [...current.items, ...page.items],
        cursor: page.cursor,
        loading: false,
      }));
    } catch (error) {
      setMore((current) => ({ ...current, loading: false, error }));
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("campaigns.title")}</h1>
          <p className="page-subtitle">{t("campaigns.subtitle")}</p>
        </div>
        <div className="page-actions">
          <Link href="/compose/info" className="button">
            <Icon name="announce" />
            {t("nav.newInfo")}
          </Link>
          <Link href="/compose/yesno" className="button button-primary">
            <Icon name="yesNo" />
            {t("nav.newYesNo")}
          </Link>
        </div>
      </header>
      {(first.error !== undefined || more.error !== undefined) && (
        <Notice tone="error">
          <p>{errorText(t, first.error ?? more.error)}</p>
        </Notice>
      )}
      <div className="card table-card">
        <table className="table campaigns-table" data-testid="campaigns-table" aria-busy={first.loading}>
          <caption className="visually-hidden">{t("campaigns.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("campaigns.col.title")}</th>
              <th scope="col">{t("campaigns.col.status")}</th>
              <th scope="col">{t("campaigns.col.sendAt")}</th>
              <th scope="col" className="num">
                {t("composer.totals.recipients")}
              </th>
              <th scope="col" className="num">
                {t("composer.totals.sms")}
              </th>
              <th scope="col" className="num">
                {t("composer.totals.email")}
              </th>
              <th scope="col" className="num">
                {t("composer.totals.units")}
              </th>
              <th scope="col" className="num">
                {t("composer.totals.cost")}
              </th>
            </tr>
          </thead>
          <tbody>
            {!first.data && first.loading && (
              <tr>
                <td colSpan={8} className="empty-cell">
                  {t("app.loading")}
                </td>
              </tr>
            )}
            {first.data && items.length === 0 && (
              <tr>
                <td colSpan={8} className="empty-cell">
                  {t("campaigns.empty")}
                </td>
              </tr>
            )}
            {items.map((campaign) => (
              <tr key={campaign.campaignId} data-testid="campaign-row" data-title={campaign.title}>
                <th scope="row">
                  <Link
                    href={`/campaigns/${encodeURIComponent(campaign.campaignId)}`}
                    className="campaign-link"
                  >
                    <Icon name={campaign.kind === "yesno" ? "yesNo" : "announce"} size={14} />
                    {campaign.title}
                  </Link>
                  <span className="person-detail">
                    {[agencyNames.get(campaign.agencyId), campaign.reference, campaign.createdBy.name]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                </th>
                <td>
                  <CampaignStatusBadge status={campaign.status} />
                </td>
                <td className="nowrap">{dateTime(campaign.sendAt)}</td>
                <td className="num tabular">{number(campaign.counts.recipients)}</td>
                <td className="num tabular">{number(campaign.counts.sms)}</td>
                <td className="num tabular">{number(campaign.counts.email)}</td>
                <td className="num tabular">{number(campaign.counts.smsUnits)}</td>
                <td className="num tabular nowrap">{formatEuros(campaign.counts.costMillicents, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {cursor && (
          <div className="table-foot">
            <button type="button" className="button" onClick={loadMore} disabled={more.loading}>
              {more.loading && <span className="spinner spinner-dark" aria-hidden="true" />}
              {t("campaigns.more")}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
