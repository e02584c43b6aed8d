import "./usage.css";
import { errorText } from "../accounts/errors";
import { DataTable } from "../components/data-table";
import { useResource } from "../components/use-resource";
import { formatEuros } from "../composer/money";
import { useI18n } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { type CompanyUsage, usage } from "./client";
import { UsageCharts } from "./usage-charts";

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

function UsageTable({ months, busy }: { months: CompanyUsage["months"]; busy: boolean }) {
  const { t, number, locale } = useI18n();
  const megabytes = (bytes: number) => number(bytes / 1_000_000, { maximumFractionDigits: 1 });
  const columns = [
    "smsUnits",
    "smsSent",
    "smsDelivered",
    "smsFailed",
    "emailsSent",
    "emailsDelivered",
    "emailsFailed",
    "smsCost",
    "emailCost",
    "imports",
    "storage",
  ] as const;
  return (
    <section className="reports-section">
      <h2 className="reports-heading">{t("usage.byMonth")}</h2>
      <DataTable
        caption={t("usage.byMonth")}
        testId="usage-months"
        columns={columns.length + 1}
        scroll
        busy={busy}
        head={
          <>
            <th scope="col">{t("usage.month")}</th>
            {columns.map((key) => (
              <th scope="col" className="num" key={key}>
                {t(`usage.${key}`)}
              </th>
            ))}
          </>
        }
      >
        {[...months].reverse().map((row) => (
          <tr key={row.month} data-testid="usage-months-row" data-key={row.month}>
            <th scope="row">{`${row.month.slice(5, 7)}/${row.month.slice(0, 4)}`}</th>
            <td className="num tabular">{number(row.smsUnits)}</td>
            <td className="num tabular">{number(row.smsSent)}</td>
            <td className="num tabular">{number(row.smsDelivered)}</td>
            <td className="num tabular">{number(row.smsFailed)}</td>
            <td className="num tabular">{number(row.emailsSent)}</td>
            <td className="num tabular">{number(row.emailsDelivered)}</td>
            <td className="num tabular">{number(row.emailsFailed)}</td>
            <td className="num tabular">{formatEuros(row.smsCostMillicents, locale)}</td>
            <td className="num tabular">{formatEuros(row.emailCostMillicents, locale)}</td>
            <td className="num tabular">{number(row.imports)}</td>
            <td className="num tabular">{megabytes(row.storageBytes)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
