import "./audit.css";
import { useEffect, useState } from "react";
import { audit } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { type AuditEntry, type AuditType, auditTypes } from "../accounts/types";
import { DataTable, LoadMore } from "../components/data-table";
import { type Translate, useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { usePageTitle } from "../page-title";

export function auditTypeLabel(t: Translate, type: string): string {
  const key = `audit.type.${type}`;
  return isMessageKey(key) ? t(key) : type;
}

function targetLabel(t: Translate, target: NonNullable<AuditEntry["target"]>): string {
  const key = `audit.target.${target.type}`;
  return isMessageKey(key) ? `${t(key)} · ${target.label}` : target.label;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** `details` in one line: `{ changes: { role: "manager" } }` → `role → manager`; other keys as `key : value`. */
export function describeDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (key === "changes" && value && typeof value === "object" && !Array.isArray(value)) {
      for (const [field, next] of Object.entries(value)) parts.push(`${field} → ${show(next)}`);
    } else {
      parts.push(`${key} : ${show(value)}`);
    }
  }
  return parts.join(" · ");
}

/** Sign-ins and password events are done by the person they concern, who is then only the target. */
function actorName(entry: AuditEntry): string | undefined {
  if (entry.actor) return entry.actor.name;
  if (entry.type.startsWith("auth.") && entry.target?.type === "user") return entry.target.label;
  return undefined;
}

type State = {
  items: AuditEntry[];
  cursor?: string;
  loading: boolean;
  error?: unknown;
};

export function AuditPage() {
  usePageTitle("audit.title");
  const { t, dateTime } = useI18n();
  const [type, setType] = useState<AuditType | "">("");
  const [state, setState] = useState<State>({ items: [], loading: true });

  useEffect(() => {
    let live = true;
    setState({ items: [], loading: true });
    audit.list({ type: type || undefined }).then(
      (page) => live && setState({ items: page.items, cursor: page.cursor, loading: false }),
      (error: unknown) => live && setState({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [type]);

  const more = async () => {
    if (!state.cursor) return;
    setState((current) => ({ ...current, loading: true }));
    try {
      const page = await audit.list({ type: type || undefined, cursor: state.cursor });
      setState((current) => ({
        items: [...current.items, ...page.items],
        cursor: page.cursor,
        loading: false,
      }));
    } catch (error) {
      setState((current) => ({ ...current, loading: false, error }));
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("audit.title")}</h1>
          <p className="page-subtitle">{t("audit.subtitle")}</p>
        </div>
        <label className="select-filter">
          <span>{t("audit.filter")}</span>
          <select
            value={type}
            onChange={(event) => setType(event.target.value as AuditType | "")}
            data-testid="audit-type"
          >
            <option value="">{t("audit.allTypes")}</option>
            {auditTypes.map((option) => (
              <option key={option} value={option}>
                {auditTypeLabel(t, option)}
              </option>
            ))}
          </select>
        </label>
      </header>

      <DataTable
        caption={t("audit.title")}
        className="audit-table"
        testId="audit-table"
        busy={state.loading}
        error={state.error === undefined ? null : errorText(t, state.error)}
        columns={6}
        head={
          <>
            <th scope="col">{t("audit.at")}</th>
            <th scope="col">{t("audit.type")}</th>
            <th scope="col">{t("audit.actor")}</th>
            <th scope="col">{t("audit.target")}</th>
            <th scope="col">{t("audit.details")}</th>
            <th scope="col">{t("audit.ip")}</th>
          </>
        }
        empty={state.items.length === 0 && t(state.loading ? "app.loading" : "audit.empty")}
      >
        {state.items.map((entry) => (
          <tr key={entry.auditId} data-testid="audit-row" data-type={entry.type}>
            <td data-label={t("audit.at")} className="nowrap tabular">
              {dateTime(entry.at)}
            </td>
            <th scope="row" data-label={t("audit.type")}>
              <span className={`audit-type audit-type-${entry.type.split(".")[0]}`}>
                {auditTypeLabel(t, entry.type)}
              </span>
            </th>
            <td data-label={t("audit.actor")}>
              {actorName(entry) ?? <span className="text-subtle">—</span>}
            </td>
            <td data-label={t("audit.target")}>
              {entry.target ? targetLabel(t, entry.target) : <span className="text-subtle">—</span>}
            </td>
            <td data-label={t("audit.details")} className="audit-details">
              {describeDetails(entry.details) || <span className="text-subtle">—</span>}
            </td>
            <td data-label={t("audit.ip")} className="nowrap mono">
              {entry.ip ?? <span className="text-subtle">—</span>}
            </td>
          </tr>
        ))}
      </DataTable>
      {state.cursor && (
        <LoadMore
          label={t("audit.more")}
          loading={state.loading}
          onMore={() => void more()}
          testId="audit-more"
        />
      )}
    </div>
  );
}
