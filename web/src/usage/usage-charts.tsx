import "../reports/reports.css";
import "./usage.css";
import { formatEuros } from "../composer/money";
import { useI18n } from "../i18n/i18n";
import { Axis, MonthLabels, monthLabel, niceMax, plot, size } from "../reports/report-charts";

/** What a chart needs of a month: the company side's and the operators' rows both have it. */
export type UsageMonth = { month: string; smsUnits: number; emailsSent: number; costMillicents: number };

/**
 * A company's usage over its months: SMS units and emails side by side, and the SMS cost. Used by
 * « Consommation » and by the operator console (one company's 12 months): `<UsageCharts months={…} />`.
 */
export function UsageCharts({ months }: { months: UsageMonth[] }) {
  return (
    <div className="reports-charts" data-testid="usage-charts">
      <VolumeChart months={months} />
      <CostChart months={months} />
    </div>
  );
}

function VolumeChart({ months }: { months: UsageMonth[] }) {
  const { t, number } = useI18n();
  const max = niceMax(Math.max(0, ...months.flatMap((row) => [row.smsUnits, row.emailsSent])));
  const slot = plot.width / Math.max(1, months.length);
  const bar = Math.min(14, slot * 0.3);
  const series = [
    { key: "smsUnits", className: "chart-bar-sent", label: t("usage.smsUnits") },
    { key: "emailsSent", className: "chart-bar-email", label: t("usage.emailsSent") },
  ] as const;
  return (
    <figure className="card chart-card" data-testid="usage-chart-volume">
      <figcaption>
        {t("usage.chart.volume")}
        <span className="chart-legend">
          {series.map((item) => (
            <span key={item.key}>
              <span className={`chart-swatch ${item.className}`} aria-hidden="true" />
              {item.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${size.width} ${size.height}`} role="img" aria-label={t("usage.chart.volume")}>
        <Axis max={max} format={(value) => number(Math.round(value))} />
        {months.map((row, index) =>
          series.map((item, offset) => {
            const value = row[item.key];
            const height = (value / max) * plot.height;
            return (
              <rect
                key={`${row.month}-${item.key}`}
                className={item.className}
                data-month={row.month}
                data-value={value}
                x={size.left + slot * index + slot / 2 - bar + offset * bar}
                y={size.top + plot.height - height}
                width={bar}
                height={height}
              >
                <title>{`${monthLabel(row.month)} · ${item.label} : ${number(value)}`}</title>
              </rect>
            );
          }),
        )}
        <MonthLabels months={months} />
      </svg>
    </figure>
  );
}

function CostChart({ months }: { months: UsageMonth[] }) {
  const { t, locale } = useI18n();
  const euros = (millicents: number) => formatEuros(millicents, locale);
  // Axis in whole euros: a round maximum of euros, back in millicents.
  const max = niceMax(Math.max(1, ...months.map((row) => row.costMillicents / 100_000))) * 100_000;
  const slot = plot.width / Math.max(1, months.length);
  const bar = Math.min(28, slot * 0.6);
  return (
    <figure className="card chart-card" data-testid="usage-chart-cost">
      <figcaption>{t("usage.chart.cost")}</figcaption>
      <svg viewBox={`0 0 ${size.width} ${size.height}`} role="img" aria-label={t("usage.chart.cost")}>
        <Axis
          max={max}
          format={(value) => euros(Math.round(value / 100_000) * 100_000).replace(/[,.]00/, "")}
        />
        {months.map((row, index) => {
          const height = (row.costMillicents / max) * plot.height;
          return (
            <rect
              key={row.month}
              className="chart-bar-cost"
              data-month={row.month}
              data-value={row.costMillicents}
              x={size.left + slot * index + (slot - bar) / 2}
              y={size.top + plot.height - height}
              width={bar}
              height={height}
            >
              <title>{`${monthLabel(row.month)} : ${euros(row.costMillicents)}`}</title>
            </rect>
          );
        })}
        <MonthLabels months={months} />
      </svg>
    </figure>
  );
}
