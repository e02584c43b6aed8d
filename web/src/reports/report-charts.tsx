import { useI18n } from "../i18n/i18n";
import type { Report } from "./client";

type Month = Report["months"][number];

/** Shared with the usage charts (web/src/usage/usage-charts.tsx), so every chart of the console looks alike. */
export const size = { width: 560, height: 200, left: 44, bottom: 26, top: 12, right: 8 };
export const plot = {
  width: size.width - size.left - size.right,
  height: size.height - size.top - size.bottom,
};

/** "2026-03" → "03/26": short enough for 24 months under the bars. */
export const monthLabel = (month: string) => `${month.slice(5, 7)}/${month.slice(2, 4)}`;

/** A round maximum for a count axis (2, 4, 10 × 10ⁿ), so its middle gridline is a whole number too. */
export function niceMax(value: number) {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, value)));
  return ([2, 4, 10].find((step) => step * power >= value) ?? 10) * power;
}

export function Axis({ max, format }: { max: number; format: (value: number) => string }) {
  return (
    <g className="chart-axis">
      {[0, 0.5, 1].map((share) => {
        const y = size.top + plot.height * (1 - share);
        return (
          <g key={share}>
            <line x1={size.left} x2={size.width - size.right} y1={y} y2={y} />
            <text x={size.left - 6} y={y + 4} textAnchor="end">
              {format(max * share)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export function MonthLabels({ months }: { months: Array<{ month: string }> }) {
  const slot = plot.width / Math.max(1, months.length);
  const every = months.length > 12 ? 2 : 1;
  return (
    <g className="chart-labels">
      {months.map((row, index) =>
        index % every === 0 ? (
          <text key={row.month} x={size.left + slot * (index + 0.5)} y={size.height - 8} textAnchor="middle">
            {monthLabel(row.month)}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** Messages sent per month, as bars (simple inline SVG: no chart library). */
export function SentChart({ months }: { months: Month[] }) {
  const { t, number } = useI18n();
  const max = niceMax(Math.max(0, ...months.map((row) => row.sent)));
  const slot = plot.width / Math.max(1, months.length);
  const bar = Math.min(28, slot * 0.6);
  return (
    <figure className="card chart-card" data-testid="reports-chart-sent">
      <figcaption>{t("reports.chart.sent")}</figcaption>
      <svg viewBox={`0 0 ${size.width} ${size.height}`} role="img" aria-label={t("reports.chart.sent")}>
        <Axis max={max} format={(value) => number(Math.round(value))} />
        {months.map((row, index) => {
          const height = (row.sent / max) * plot.height;
          return (
            <rect
              key={row.month}
              className="chart-bar-sent"
              data-month={row.month}
              data-value={row.sent}
              x={size.left + slot * index + (slot - bar) / 2}
              y={size.top + plot.height - height}
              width={bar}
              height={height}
            >
              <title>{`${monthLabel(row.month)} : ${number(row.sent)}`}</title>
            </rect>
          );
        })}
        <MonthLabels months={months} />
      </svg>
    </figure>
  );
}

/** Delivery and answer rates per month, two bars a month on a 0–100 % axis. */
export function RateChart({ months }: { months: Month[] }) {
  const { t, number } = useI18n();
  const slot = plot.width / Math.max(1, months.length);
  const bar = Math.min(14, slot * 0.3);
  const percent = (value: number) => number(value, { style: "percent", maximumFractionDigits: 0 });
  const series = [
    { key: "deliveryRate", className: "chart-bar-delivery", label: t("reports.deliveryRate") },
    { key: "answerRate", className: "chart-bar-answer", label: t("reports.answerRate") },
  ] as const;
  return (
    <figure className="card chart-card" data-testid="reports-chart-rates">
      <figcaption>
        {t("reports.chart.rates")}
        <span className="chart-legend">
          {series.map((item) => (
            <span key={item.key}>
              <span className={`chart-swatch ${item.className}`} aria-hidden="true" />
              {item.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${size.width} ${size.height}`} role="img" aria-label={t("reports.chart.rates")}>
        <Axis max={1} format={percent} />
        {months.map((row, index) =>
          series.map((item, offset) => {
            const value = row[item.key];
            if (value === null) return null;
            const height = value * plot.height;
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
                <title>{`${monthLabel(row.month)} · ${item.label} : ${percent(value)}`}</title>
              </rect>
            );
          }),
        )}
        <MonthLabels months={months} />
      </svg>
    </figure>
  );
}
