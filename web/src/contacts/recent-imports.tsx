import { DataTable } from "../components/data-table";
import type { Resource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { Link } from "../router";
import { type ContactImport, contactImports, type ImportStatus } from "./client";
import { contactsErrorText } from "./contact-text";

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-import-${status}`} data-status={status}>
      {(status === "running" || status === "queued") && <span className="badge-dot" aria-hidden="true" />}
      {t(`contactImport.status.${status}`)}
    </span>
  );
}

/** The latest imports, with what each did and its error report; a running one can be followed again. */
export function RecentImports({
  resource,
  onFollow,
}: {
  resource: Resource<{ items: ContactImport[] }>;
  onFollow: (item: ContactImport) => void;
}) {
  const { t, number, dateTime } = useI18n();
  const items = resource.data?.items ?? [];
  return (
    <section className="stack" aria-labelledby="recent-imports">
      <h2 id="recent-imports" className="section-title">
        {t("contactImport.recent.title")}
      </h2>
      <DataTable
        caption={t("contactImport.recent.title")}
        testId="recent-imports"
        error={resource.error === undefined ? null : contactsErrorText(t, resource.error)}
        columns={8}
        actionsColumn
        head={
          <>
            <th scope="col">{t("contactImport.recent.file")}</th>
            <th scope="col">{t("contactImport.recent.date")}</th>
            <th scope="col">{t("contactImport.recent.status")}</th>
            <th scope="col" className="num">
              {t("contactImport.result.total")}
            </th>
            <th scope="col" className="num">
              {t("contactImport.result.created")}
            </th>
            <th scope="col" className="num">
              {t("contactImport.result.updated")}
            </th>
            <th scope="col" className="num">
              {t("contactImport.result.errors")}
            </th>
          </>
        }
        empty={items.length === 0 && t(resource.loading ? "app.loading" : "contactImport.recent.empty")}
      >
        {items.map((item) => (
          <tr
            key={item.importId}
            data-testid="recent-import"
            data-id={item.importId}
            data-status={item.status}
          >
            <th scope="row">
              <span className="person-text">
                <span className="person-name file-name" title={item.fileName}>
                  {item.fileName}
                </span>
                <span className="person-detail">{item.createdBy.name}</span>
              </span>
            </th>
            <td className="nowrap tabular text-muted">{dateTime(item.createdAt)}</td>
            <td>
              <ImportStatusBadge status={item.status} />
            </td>
            <td className="num tabular">{number(item.progress.total || item.check?.total || 0)}</td>
            <td className="num tabular">{number(item.progress.created)}</td>
            <td className="num tabular">{number(item.progress.updated)}</td>
            <td className={item.progress.errors > 0 ? "num tabular text-bad" : "num tabular"}>
              {number(item.progress.errors)}
            </td>
            <td className="actions-cell">
              <div className="row-actions">
                {(item.status === "running" || item.status === "queued") && (
                  <button type="button" className="button button-small" onClick={() => onFollow(item)}>
                    {t("contactImport.recent.follow")}
                  </button>
                )}
                {item.listId && item.status === "done" && (
                  <Link href={`/lists/${encodeURIComponent(item.listId)}`} className="button button-small">
                    {t("contactImport.recent.list")}
                  </Link>
                )}
                {item.hasReport && (
                  <a
                    className="button button-small"
                    href={contactImports.reportUrl(item.importId)}
                    data-testid="recent-report"
                  >
                    <Icon name="download" />
                    {t("contactImport.recent.report")}
                  </a>
                )}
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
