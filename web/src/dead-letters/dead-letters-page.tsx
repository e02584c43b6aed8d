import { useState } from "react";
import { errorText } from "../accounts/errors";
import { api, unwrap } from "../api";
import { DataTable } from "../components/data-table";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";

const load = () => unwrap(api.api["dead-letters"].$get({ query: {} }, { init: { cache: "no-store" } }));
const act = (deadLetterId: string, action: "retry" | "dismiss") =>
  unwrap(api.api["dead-letters"][":deadLetterId"][action].$post({ param: { deadLetterId } }));

/**
 * « Échecs techniques » (Admin): jobs that failed every attempt and reached a dead-letter queue —
 * a send batch, a campaign launch, an import — with « Relancer » (back on its queue) and « Ignorer ».
 */
export function DeadLettersPage() {
  usePageTitle("deadLetters.title");
  const { t, dateTime, number } = useI18n();
  const resource = useResource(load);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (deadLetterId: string, action: "retry" | "dismiss") => {
    setBusy(deadLetterId);
    try {
      await act(deadLetterId, action);
      toast(t(action === "retry" ? "deadLetters.retried" : "deadLetters.dismissed"));
      void resource.reload();
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(null);
    }
  };
  const items = resource.data?.items ?? [];
  const subject = (item: (typeof items)[number]) => {
    if (!item.subjectId) return "—";
    if (item.source === "dispatch" || item.source === "event")
      return (
        <Link href={`/campaigns/${encodeURIComponent(item.subjectId)}`}>{t("deadLetters.campaign")}</Link>
      );
    return <Link href="/contacts/import">{t("deadLetters.import")}</Link>;
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("deadLetters.title")}</h1>
          <p className="page-subtitle">{t("deadLetters.subtitle")}</p>
        </div>
      </header>
      <DataTable
        testId="dead-letters"
        error={resource.error === undefined ? null : errorText(t, resource.error)}
        columns={6}
        actionsColumn
        head={
          <>
            <th scope="col">{t("deadLetters.col.arrived")}</th>
            <th scope="col">{t("deadLetters.col.kind")}</th>
            <th scope="col">{t("deadLetters.col.subject")}</th>
            <th scope="col" className="num">
              {t("deadLetters.col.attempts")}
            </th>
            <th scope="col">{t("deadLetters.col.status")}</th>
          </>
        }
        empty={
          resource.data &&
          items.length === 0 && (
            <>
              <Icon name="check" size={14} /> {t("deadLetters.empty")}
            </>
          )
        }
      >
        {items.map((item) => (
          <tr
            key={item.deadLetterId}
            data-testid="dead-letter-row"
            data-status={item.status}
            data-subject={item.subjectId}
          >
            <td className="nowrap">{dateTime(item.arrivedAt)}</td>
            <td>
              {t(`deadLetters.kind.${item.source}`)} <span className="person-detail">{item.kind}</span>
            </td>
            <td>{subject(item)}</td>
            <td className="num tabular">{number(item.attempts)}</td>
            <td>{t(`deadLetters.status.${item.status}`)}</td>
            <td className="actions-cell">
              {item.status === "open" && (
                <div className="row-actions">
                  {item.retryable && (
                    <button
                      type="button"
                      className="button button-small button-primary"
                      disabled={busy === item.deadLetterId}
                      onClick={() => void run(item.deadLetterId, "retry")}
                      data-testid="dead-letter-retry"
                    >
                      {t("deadLetters.retry")}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy === item.deadLetterId}
                    onClick={() => void run(item.deadLetterId, "dismiss")}
                  >
                    {t("deadLetters.dismiss")}
                  </button>
                </div>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
