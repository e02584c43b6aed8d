import "./audit.css";
import { useEffect, useMemo, useState } from "react";
import { agencies, audit } from "../accounts/client";
import { errorText } from "../accounts/errors";
import type { AuditEntry, AuditType } from "../accounts/types";
import { DataTable, LoadMore } from "../components/data-table";
import { formatDateTimeMedium } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { actorName, auditTypeLabel, detailFields, groupedTypes, type Names, targetText } from "./audit-text";

type State = {
  items: AuditEntry[];
  cursor?: string;
  loading: boolean;
  error?: unknown;
};

export function AuditPage() {
  usePageTitle("audit.title");
  const { t, locale } = useI18n();
  const [type, setType] = useState<AuditType | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [state, setState] = useState<State>({ items: [], loading: true });
  const [names, setNames] = useState<Names>({ agencies: new Map() });
  const groups = useMemo(() => groupedTypes(locale), [locale]);
  const filters = { type: type || undefined, from: from || undefined, to: to || undefined };

  // Details name agencies by id: archived ones too, so that old entries still read as names.
  useEffect(() => {
    agencies.list(true).then(
      (page) => setNames({ agencies: new Map(page.items.map((agency) => [agency.agencyId, agency.name])) }),
      () => undefined,
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: filters is rebuilt from type, from and to
  useEffect(() => {
    let live = true;
    setState({ items: [], loading: true });
    audit.list(filters).then(
      (page) => live && setState({ items: page.items, cursor: page.cursor, loading: false }),
      (error: unknown) => live && setState({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [type, from, to]);

  const more = async () => {
    if (!state.cursor) return;
    setState((current) => ({ ...current, loading: true }));
    try {
      const page = await audit.list({ ...filters, cursor: state.cursor });
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
        <div className="audit-filters">
          <label className="select-filter">
            <span>{t("audit.filter")}</span>
            <select
              value={type}
              onChange={(event) => setType(event.target.value as AuditType | "")}
              data-testid="audit-type"
            >
              <option value="">{t("audit.allTypes")}</option>
              {groups.map((group) => (
                <optgroup key={group.group} label={group.label}>
                  {group.types.map((option) => (
                    <option key={option.type} value={option.type}>
                      {option.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label className="select-filter">
            <span>{t("audit.from")}</span>
            <input
              type="date"
              value={from}
              max={to || undefined}
              onChange={(event) => setFrom(event.target.value)}
              data-testid="audit-from"
            />
          </label>
          <label className="select-filter">
            <span>{t("audit.to")}</span>
            <input
              type="date"
              value={to}
              min={from || undefined}
              onChange={(event) => setTo(event.target.value)}
              data-testid="audit-to"
            />
          </label>
        </div>
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
          <AuditRow key={entry.auditId} entry={entry} names={names} />
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

function AuditRow({ entry, names }: { entry: AuditEntry; names: Names }) {
  const { t, locale } = useI18n();
  const fields = detailFields(entry.details, { locale, names });
  const actor = actorName(entry);
  return (
    <tr data-testid="audit-row" data-type={entry.type}>
      <td data-label={t("audit.at")} className="nowrap tabular" data-testid="audit-at">
        <time dateTime={entry.at}>{formatDateTimeMedium(entry.at, locale)}</time>
      </td>
      <th scope="row" data-label={t("audit.type")}>
        <span className={`audit-type audit-type-${entry.type.split(".")[0]}`}>
          {auditTypeLabel(locale, entry.type)}
        </span>
      </th>
      <td data-label={t("audit.actor")}>{actor ?? <span className="text-subtle">—</span>}</td>
      <td data-label={t("audit.target")} data-testid="audit-target">
        {entry.target ? targetText(locale, entry.target) : <span className="text-subtle">—</span>}
      </td>
      <td data-label={t("audit.details")} className="audit-details">
        {fields.length > 0 ? (
          <ul className="audit-fields">
            {fields.map((field) => (
              <li key={field.key} data-testid="audit-detail" data-key={field.key}>
                <span className="audit-field-label">{field.label} :</span> {field.value}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-subtle">—</span>
        )}
      </td>
      <td data-label={t("audit.ip")} className="nowrap mono">
        {entry.ip ?? <span className="text-subtle">—</span>}
      </td>
    </tr>
  );
}
