import "./info-campaigns.css";
import { useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { type InfoCampaign, infoCampaigns } from "./client";
import { infoCampaignErrorText } from "./info-campaign-text";

/** « Campagnes d'information »: each campaign's state and counters, its export, closing and deletion. */
export function InfoCampaignsPage() {
  usePageTitle("infoCampaigns.title");
  const { t, number, dateTime } = useI18n();
  const list = useResource(() => infoCampaigns.list());
  const [removing, setRemoving] = useState<InfoCampaign | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const close = async (campaign: InfoCampaign) => {
    setFailure(null);
    try {
      await infoCampaigns.close(campaign.campaignId);
      toast(t("infoCampaigns.closed", { title: campaign.title }));
      await list.reload();
    } catch (error) {
      setFailure(infoCampaignErrorText(t, error));
    }
  };

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await infoCampaigns.remove(removing.campaignId);
      toast(t("infoCampaigns.deleted", { title: removing.title }));
      setRemoving(null);
      await list.reload();
    } catch (error) {
      setFailure(infoCampaignErrorText(t, error));
      setRemoving(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("infoCampaigns.title")}</h1>
          <p className="page-subtitle">{t("infoCampaigns.subtitle")}</p>
        </div>
        <Link
          href="/vault/info-campaigns/new"
          className="button button-primary"
          data-testid="info-campaign-new"
        >
          <Icon name="plus" />
          {t("infoCampaigns.new")}
        </Link>
      </header>
      <ErrorNotice text={failure} />
      <DataTable
        caption={t("infoCampaigns.title")}
        testId="info-campaigns-table"
        busy={list.loading}
        error={list.error ? infoCampaignErrorText(t, list.error) : null}
        columns={8}
        head={
          <>
            <th scope="col">{t("infoCampaigns.col.title")}</th>
            <th scope="col">{t("infoCampaigns.col.state")}</th>
            <th scope="col">{t("infoCampaigns.col.window")}</th>
            <th scope="col">{t("infoCampaigns.col.reached")}</th>
            <th scope="col">{t("infoCampaigns.col.opened")}</th>
            <th scope="col">{t("infoCampaigns.col.downloaded")}</th>
            <th scope="col">{t("infoCampaigns.col.signed")}</th>
            <th scope="col">{t("infoCampaigns.col.actions")}</th>
          </>
        }
        empty={list.data ? list.data.items.length === 0 && t("infoCampaigns.empty") : t("app.loading")}
      >
        {list.data?.items.map((campaign) => (
          <tr key={campaign.campaignId} data-testid="info-campaign-row" data-state={campaign.status}>
            <th scope="row">{campaign.title}</th>
            <td>
              <span className={`badge info-campaign-state-${campaign.status}`}>
                {t(`infoCampaigns.state.${campaign.status}`)}
              </span>
            </td>
            <td>
              {campaign.endAt
                ? t("infoCampaigns.fromTo", {
                    start: dateTime(campaign.startAt),
                    end: dateTime(campaign.endAt),
                  })
                : t("infoCampaigns.from", { start: dateTime(campaign.startAt) })}
            </td>
            <td className="tabular" data-testid="info-campaign-reached">
              {number(campaign.reached)}
            </td>
            <td className="tabular">{number(campaign.opened)}</td>
            <td className="tabular">{number(campaign.downloaded)}</td>
            <td className="tabular">{number(campaign.signed)}</td>
            <td className="info-campaign-actions">
              {campaign.status === "draft" ? (
                <Link href={`/vault/info-campaigns/${campaign.campaignId}`} className="button button-small">
                  {t("infoCampaigns.edit")}
                </Link>
              ) : (
                <a
                  className="button button-small"
                  href={infoCampaigns.exportPath(campaign.campaignId)}
                  download
                >
                  <Icon name="download" />
                  {t("infoCampaigns.export")}
                </a>
              )}
              {(campaign.status === "scheduled" || campaign.status === "active") && (
                <button type="button" className="button button-small" onClick={() => void close(campaign)}>
                  {t("infoCampaigns.close")}
                </button>
              )}
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => setRemoving(campaign)}
              >
                {t("infoCampaigns.delete")}
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      {removing && (
        <ConfirmDialog
          title={t("infoCampaigns.delete")}
          description={t("infoCampaigns.deleteConfirm", { title: removing.title })}
          onClose={() => setRemoving(null)}
          testId="info-campaign-remove-dialog"
          action={{
            label: t("infoCampaigns.delete"),
            testId: "info-campaign-remove",
            tone: "danger",
            busy,
            onClick: () => void remove(),
          }}
        />
      )}
    </div>
  );
}
