import type { ReactNode } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { ErrorNotice } from "./notice";

/**
 * A table in its card: the load error above it, a caption for screen readers, the header row, and one
 * full-width row saying why there is nothing to show (loading, no match…).
 */
export function DataTable({
  caption,
  head,
  columns,
  empty,
  error,
  actionsColumn = false,
  busy,
  className,
  testId,
  scroll = false,
  foot,
  children,
}: {
  caption?: string;
  /** The header cells; the header row is drawn around them. */
  head: ReactNode;
  /** How many columns the empty row spans. */
  columns: number;
  /** Shown in place of the rows when given. */
  empty?: ReactNode;
  error?: string | null;
  /** A last, unlabelled column for the row buttons. */
  actionsColumn?: boolean;
  busy?: boolean;
  className?: string;
  testId?: string;
  /** Scrolls sideways on a narrow screen instead of squeezing the columns. */
  scroll?: boolean;
  /** Inside the card, under the table (« Voir plus »…). */
  foot?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <ErrorNotice text={error} />
      <div className={scroll ? "card table-card table-scroll" : "card table-card"}>
        <table className={className ? `table ${className}` : "table"} data-testid={testId} aria-busy={busy}>
          {caption && <caption className="visually-hidden">{caption}</caption>}
          <thead>
            <tr>
              {head}
              {actionsColumn && (
                <th scope="col" className="actions-col">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {empty && (
              <tr>
                <td colSpan={columns} className="empty-cell">
                  {empty}
                </td>
              </tr>
            )}
            {children}
          </tbody>
        </table>
        {foot}
      </div>
    </>
  );
}

/** « Voir plus » under a table read page by page. */
export function LoadMore({
  label,
  loading,
  onMore,
  testId,
}: {
  label: string;
  loading: boolean;
  onMore: () => void;
  testId?: string;
}) {
  return (
    <div className="load-more">
      <button type="button" className="button" disabled={loading} onClick={onMore} data-testid={testId}>
        {loading ? <span className="spinner spinner-dark" aria-hidden="true" /> : <Icon name="chevronDown" />}
        {label}
      </button>
    </div>
  );
}
