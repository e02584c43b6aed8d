import "./recruitment.css";
import { agencies } from "../accounts/client";
import { can } from "../accounts/permissions";
import { DataTable } from "../components/data-table";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { useMe } from "../session/session-store";
import { campaigns } from "./client";
import { CampaignStateBadge, CopyLink, campaignHref, recruitmentErrorText } from "./recruitment-parts";

/** « Campagnes d'appel »: the campaigns I manage or evaluate, newest first, each with its public link. */
export function RecruitmentCampaignsPage() {
  usePageTitle("recruitment.campaigns.title");
  const { t, dateTime } = useI18n();
  const me = useMe();
  const mayCreate = me ? can.manageRecruitment(me.role) : false;
  const list = useResource(() => campaigns.list());
  const agencyList = useResource(() => agencies.list(true));
  const agencyNames = new Map((agencyList.data?.items ?? []).map((agency) => [agency.agencyId, agency.name]));
  const items = list.data?.items ?? [];

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("recruitment.campaigns.title")}</h1>
          <p className="page-subtitle">{t("recruitment.campaigns.subtitle")}</p>
        </div>
        {mayCreate && (
          <div className="page-actions">
            <Link href="/recruitment/new" className="button button-primary" data-testid="recruitment-new">
              <Icon name="plus" />
              {t("recruitment.campaigns.new")}
            </Link>
          </div>
        )}
      </header>
      <DataTable
        caption={t("recruitment.campaigns.title")}
        testId="recruitment-campaigns"
        scroll
        busy={list.loading}
        error={list.error === undefined ? null : recruitmentErrorText(t, list.error)}
        columns={6}
        head={
          <>
            <th scope="col">{t("recruitment.campaign.title")}</th>
            <th scope="col">{t("recruitment.campaign.agency")}</th>
            <th scope="col">{t("recruitment.campaign.opensAt")}</th>
            <th scope="col">{t("recruitment.campaign.closesAt")}</th>
            <th scope="col">{t("recruitment.campaign.state")}</th>
            <th scope="col">{t("recruitment.campaign.publicLink")}</th>
          </>
        }
        empty={items.length === 0 && (list.loading ? t("app.loading") : t("recruitment.campaigns.empty"))}
      >
        {items.map((campaign) => (
          <tr key={campaign.campaignId} data-testid="recruitment-campaign-row" data-id={campaign.campaignId}>
            <th scope="row" data-label={t("recruitment.campaign.title")}>
              <Link href={campaignHref(campaign.campaignId)} data-testid="recruitment-campaign-open">
                {campaign.title}
              </Link>
            </th>
            <td data-label={t("recruitment.campaign.agency")}>
              {agencyNames.get(campaign.agencyId) ?? <span className="text-subtle">—</span>}
            </td>
            <td data-label={t("recruitment.campaign.opensAt")} className="nowrap tabular">
              {dateTime(campaign.opensAt)}
            </td>
            <td data-label={t("recruitment.campaign.closesAt")} className="nowrap tabular">
              {dateTime(campaign.closesAt)}
            </td>
            <td data-label={t("recruitment.campaign.state")}>
              <CampaignStateBadge state={campaign.state} />
            </td>
            <td data-label={t("recruitment.campaign.publicLink")}>
              <CopyLink url={campaign.publicUrl} compact />
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
