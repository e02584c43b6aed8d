import "./usage.css";
import { errorText } from "../accounts/errors";
import { useResource } from "../components/use-resource";
import { formatEuros } from "../composer/money";
import { useI18n } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { type CompanyUsage, usage } from "./client";
import { UsageCharts } from "./usage-charts";
import { UsageTable } from "./usage-table";

/** Past this share of the cap the bar turns red, as the Admins' first alert does. */
const alertShare = 0.8;

/** « Consommation » (Admins): this month against the SMS cap, and the last 12 months. */
export function UsagePage() {
  usePageTitle("usage.title");
  const { t } = useI18n();
  const resource = useResource(() => usage.get(), "usage");
  const data = resource.data;
  return (
    <div className="page page-wide" data-testid="usage-page">
      <header className="page-header">
        <div>
          <h1>{t("usage.title")}</h1>
          <p className="page-subtitle">{t("usage.subtitle")}</p>
        </div>
      </header>
      {resource.error !== undefined && (
        <p className="notice notice-error" role="alert" data-testid="usage-error">
          {errorText(t, resource.error)}
        </p>
      )}
      {data && <CapCard data={data} />}
      {data && <UsageCharts months={data.months} />}
      {data && <UsageTable months={data.months} busy={resource.loading} />}
    </div>
  );
}

function CapCard({ data }: { data: CompanyUsage }) {
  const { t, number, locale } = useI18n();
  const share = data.share;
  const level = share === null || share >= alertShare ? "high" : "normal";
  const width = share === null ? 100 : Math.min(100, share * 100);
  const percent = share === null ? "—" : number(share, { style: "percent", maximumFractionDigits: 0 });
  return (
    <section className="card usage-cap" data-testid="usage-cap" data-level={level}>
      <div className="usage-cap-figures">
        <span>
          {t("usage.thisMonth", { month: `${data.month.slice(5, 7)}/${data.month.slice(0, 4)}` })}{" "}
          <strong data-testid="usage-spent">{formatEuros(data.spentMillicents, locale)}</strong>{" "}
          {t("usage.ofCap", { cap: formatEuros(data.capMillicents, locale) })}
        </span>
        <strong data-testid="usage-share">{percent}</strong>
      </div>
      <div
        className="usage-bar"
        data-level={level}
        role="progressbar"
        aria-label={t("usage.capBar")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(width)}
      >
        <div className="usage-bar-fill" style={{ width: `${width}%` }} />
      </div>
      <p className="text-subtle usage-cap-note">
        {share !== null && share >= 1 ? t("usage.capReached") : t("usage.capHint")}
      </p>
    </section>
  );
}
