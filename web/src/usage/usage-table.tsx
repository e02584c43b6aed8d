import { DataTable } from "../components/data-table";
import { formatEuros } from "../composer/money";
import { useI18n } from "../i18n/i18n";
import type { MonthUsage } from "./client";

/** A company's months, newest first: « Consommation » and the operator console's company page. */
export function UsageTable({ months, busy = false }: { months: MonthUsage[]; busy?: boolean }) {
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
