import "./reports.css";
import { formatInTimeZone } from "date-fns-tz";
import { useState } from "react";
import { errorText } from "../accounts/errors";
import { DataTable } from "../components/data-table";
import { Filter, FilterBar } from "../components/filter-bar";
import { Stats } from "../components/stats";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { type Period, type Report, reports, type Totals } from "./client";
import { RateChart, SentChart } from "./report-charts";

/** The last `count` months up to this one (Europe/Paris), as YYYY-MM. */
function lastMonths(count: number): Period {
  const now = new Date();
  const to = formatInTimeZone(now, "Europe/Paris", "yyyy-MM");
  const [year, month] = to.split("-").map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - count, 1));
  return { from: start.toISOString().slice(0, 7), to };
}

/** « Rapports »: sends, delivery and answers per month, agency and user; the same numbers as each campaign. */
export function ReportsPage() {
  usePageTitle("reports.title");
  const { t, number } = useI18n();
  const [period, setPeriod] = useState<Period>(() => lastMonths(6));
  const report = useResource(() => reports.get(period), JSON.stringify(period));
  const data = report.data;
  const percent = (value: number | null) =>
    value === null ? "—" : number(value, { style: "percent", maximumFractionDigits: 1 });

  const totalsCells = (row: Totals) => (
    <>
      <td className="num tabular">{number(row.campaigns)}</td>
      <td className="num tabular">{number(row.sent)}</td>
      <td className="num tabular">{number(row.delivered)}</td>
      <td className="num tabular">{number(row.answered)}</td>
      <td className="num tabular">{number(row.optedOut)}</td>
      <td className="num tabular">{percent(row.deliveryRate)}</td>
      <td className="num tabular">{percent(row.answerRate)}</td>
    </>
  );
  const totalsHead = (
    <>
      {(
        ["campaigns", "sent", "delivered", "answered", "optedOut", "deliveryRate", "answerRate"] as const
      ).map((key) => (
        <th scope="col" className="num" key={key}>
          {t(`reports.${key}`)}
        </th>
      ))}
    </>
  );
  const table = <R extends Totals>(
    title: string,
    testId: string,
    firstHead: string,
    rows: R[],
    keyOf: (row: R) => string,
    labelOf: (row: R) => string,
  ) => (
    <section className="reports-section">
      <h2 className="reports-heading">{title}</h2>
      <DataTable
        caption={title}
        testId={testId}
        columns={8}
        scroll
        busy={report.loading}
        empty={data && rows.length === 0 ? t("reports.empty") : undefined}
        head={
          <>
            <th scope="col">{firstHead}</th>
            {totalsHead}
          </>
        }
      >
        {rows.map((row) => (
          <tr key={keyOf(row)} data-testid={`${testId}-row`} data-key={keyOf(row)}>
            <th scope="row">{labelOf(row)}</th>
            {totalsCells(row)}
          </tr>
        ))}
      </DataTable>
    </section>
  );

  return (
    <div className="page page-wide" data-testid="reports-page">
      <header className="page-header">
        <div>
          <h1>{t("reports.title")}</h1>
          <p className="page-subtitle">{t("reports.subtitle")}</p>
        </div>
        <div className="page-actions">
          <a className="button" href={reports.exportPath(period)} download data-testid="reports-export">
            <Icon name="download" />
            {t("reports.export")}
          </a>
        </div>
      </header>
      <FilterBar testId="reports-filters">
        <Filter label={t("reports.from")}>
          <input
            type="month"
            value={period.from}
            onChange={(event) => event.target.value && setPeriod((p) => ({ ...p, from: event.target.value }))}
            data-testid="reports-from"
          />
        </Filter>
        <Filter label={t("reports.to")}>
          <input
            type="month"
            value={period.to}
            onChange={(event) => event.target.value && setPeriod((p) => ({ ...p, to: event.target.value }))}
            data-testid="reports-to"
          />
        </Filter>
      </FilterBar>
      {report.error !== undefined && (
        <p className="notice notice-error" role="alert" data-testid="reports-error">
          {errorText(t, report.error)}
        </p>
      )}
      {data && <Overview report={data} percent={percent} />}
      {data &&
        table(
          t("reports.byMonth"),
          "reports-months",
          t("reports.month"),
          data.months,
          (row) => row.month,
          (row) => `${row.month.slice(5, 7)}/${row.month.slice(0, 4)}`,
        )}
      {data &&
        table(
          t("reports.byAgency"),
          "reports-agencies",
          t("reports.agency"),
          data.agencies,
          (row) => row.agencyId,
          (row) => row.name,
        )}
      {data &&
        table(
          t("reports.byUser"),
          "reports-users",
          t("reports.user"),
          data.users,
          (row) => row.userId,
          (row) => row.name,
        )}
    </div>
  );
}

function Overview({ report, percent }: { report: Report; percent: (value: number | null) => string }) {
  const { t } = useI18n();
  const { total } = report;
  return (
    <>
      <Stats
        testId="reports-totals"
        items={[
          { label: t("reports.campaigns"), value: total.campaigns, testId: "reports-total-campaigns" },
          { label: t("reports.sent"), value: total.sent, testId: "reports-total-sent" },
          { label: t("reports.delivered"), value: total.delivered },
          { label: t("reports.answered"), value: total.answered },
          { label: t("reports.optedOut"), value: total.optedOut },
        ]}
      />
      <p className="text-subtle reports-rates">
        {t("reports.deliveryRate")} : <strong>{percent(total.deliveryRate)}</strong> ·{" "}
        {t("reports.answerRate")} : <strong>{percent(total.answerRate)}</strong> — {t("reports.rateHint")}
      </p>
      <div className="reports-charts">
        <SentChart months={report.months} />
        <RateChart months={report.months} />
      </div>
    </>
  );
}
