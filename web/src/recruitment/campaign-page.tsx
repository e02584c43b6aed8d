import "./recruitment.css";
import { ErrorNotice } from "../components/notice";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, navigate, usePathname, useSearchParam } from "../router";
import { campaigns } from "./client";
import { DossiersTab } from "./dossiers-tab";
import { EmailsTab } from "./emails-tab";
import { CampaignStateBadge, CopyLink, campaignHref, recruitmentErrorText } from "./recruitment-parts";
import { useUserNames } from "./user-names";

const tabs = ["dossiers", "emails"] as const;
type Tab = (typeof tabs)[number];

/** One recruitment campaign: its public link, then the « Dossiers » and « Emails » tabs. */
export function RecruitmentCampaignPage() {
  usePageTitle("recruitment.campaign.pageTitle");
  const { t, dateTime } = useI18n();
  const campaignId = matchPath("/recruitment/:campaignId", usePathname())?.campaignId ?? "";
  const wanted = useSearchParam("onglet");
  const tab: Tab = wanted === "emails" ? "emails" : "dossiers";
  const details = useResource(() => campaigns.get(campaignId), campaignId);
  const campaign = details.data?.campaign;
  const names = useUserNames(campaign?.people);

  return (
    <div className="page page-wide">
      <Link href="/recruitment" className="back-link">
        <Icon name="chevronLeft" />
        {t("recruitment.campaigns.title")}
      </Link>
      <ErrorNotice text={details.error ? recruitmentErrorText(t, details.error) : null} />
      {campaign && (
        <>
          <header className="page-header">
            <div>
              <h1 data-testid="recruitment-campaign-title">{campaign.title}</h1>
              <p className="page-subtitle">
                <CampaignStateBadge state={campaign.state} />{" "}
                {t("recruitment.campaign.dates", {
                  opens: dateTime(campaign.opensAt),
                  closes: dateTime(campaign.closesAt),
                })}
              </p>
            </div>
            {campaign.canManage && (
              <div className="page-actions">
                <Link
                  href={`${campaignHref(campaignId)}/edit`}
                  className="button"
                  data-testid="recruitment-campaign-edit"
                >
                  <Icon name="edit" />
                  {t("common.edit")}
                </Link>
              </div>
            )}
          </header>
          <section
            className="card card-padded recruitment-link"
            aria-label={t("recruitment.campaign.publicLink")}
          >
            <span className="text-muted">{t("recruitment.campaign.publicLink")}</span>
            <CopyLink url={campaign.publicUrl} />
          </section>
          <div className="tabs" role="tablist" aria-label={t("recruitment.campaign.tabs")}>
            {tabs.map((value) => (
              <button
                key={value}
                type="button"
                role="tab"
                aria-selected={tab === value}
                className="tab"
                data-testid={`recruitment-tab-${value}`}
                onClick={() =>
                  navigate(
                    value === "dossiers"
                      ? campaignHref(campaignId)
                      : `${campaignHref(campaignId)}?onglet=${value}`,
                    {
                      replace: true,
                    },
                  )
                }
              >
                {t(`recruitment.tab.${value}`)}
              </button>
            ))}
          </div>
          {tab === "dossiers" && <DossiersTab campaign={campaign} names={names} />}
          {tab === "emails" && <EmailsTab campaign={campaign} />}
        </>
      )}
    </div>
  );
}
