import "../contacts/contacts.css";
import { useEffect, useMemo, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import type { Agency } from "../accounts/types";
import { Notice } from "../components/notice";
import { useResource } from "../components/use-resource";
import { contactsErrorText } from "../contacts/contact-text";
import { useDebounced } from "../contacts/use-debounced";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, navigate } from "../router";
import { useMe } from "../session/session-store";
import { type DistributionList, lists as listsApi } from "./client";
import { HealthPills, useHealthOf } from "./health";
import { type ListDialog, ListDialogs, useListActions } from "./list-actions";
import { CreateListDialog } from "./list-dialogs";
import { RowMenu } from "./row-menu";

type Page = { items: DistributionList[]; cursor?: string; loading: boolean; error?: unknown };

/** « Listes de diffusion »: every list I may see with its health at a glance, and the glossary's actions. */
export function ListsPage() {
  usePageTitle("lists.title");
  const { t, number, dateTime } = useI18n();
  const me = useMe();
  const [search, setSearch] = useState("");
  const [agencyId, setAgencyId] = useState("");
  const [page, setPage] = useState<Page>({ items: [], loading: true });
  const [dialog, setDialog] = useState<ListDialog | null>(null);
  const [creating, setCreating] = useState(false);
  const [reloads, setReloads] = useState(0);
  const debounced = useDebounced(search.trim(), 250);
  const actions = useListActions(setDialog);

  const agencyList = useResource(() => agenciesApi.list(true));
  const agencies: Agency[] = agencyList.data?.items ?? [];
  const agencyNames = useMemo(
    () => new Map(agencies.map((agency) => [agency.agencyId, agency.name])),
    [agencies],
  );
  const usable = agencies.filter(
    (agency) => !agency.archived && (me?.role === "admin" || me?.agencyIds.includes(agency.agencyId)),
  );
  const filters = { query: debounced || undefined, agencyId: agencyId || undefined };
  const key = `${JSON.stringify(filters)}#${reloads}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filters
  useEffect(() => {
    let live = true;
    setPage((current) => ({ items: current.items, loading: true }));
    listsApi.list(filters).then(
      (answer) => live && setPage({ items: answer.items, cursor: answer.cursor, loading: false }),
      (error: unknown) => live && setPage({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const { health, forget } = useHealthOf(page.items.map((list) => list.listId));

  const more = async () => {
    if (!page.cursor) return;
    setPage((current) => ({ ...current, loading: true }));
    try {
      const answer = await listsApi.list({ ...filters, cursor: page.cursor });
      setPage((current) => ({
        items: [...current.items, ...answer.items],
        cursor: answer.cursor,
        loading: false,
      }));
    } catch (error) {
      setPage((current) => ({ ...current, loading: false, error }));
    }
  };

  const changed = (saved: DistributionList) => {
    forget(saved.listId);
    setPage((current) => ({
      ...current,
      items: current.items.map((list) => (list.listId === saved.listId ? saved : list)),
    }));
  };

  const filtered = Boolean(filters.query || filters.agencyId);
  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("lists.title")}</h1>
          <p className="page-subtitle">{t("lists.subtitle")}</p>
        </div>
        <div className="page-actions">
          <Link href="/contacts" className="button">
            <Icon name="contacts" />
            {t("lists.fromContacts")}
          </Link>
          <button
            type="button"
            className="button button-primary"
            onClick={() => setCreating(true)}
            disabled={!agencyList.data || usable.length === 0}
            data-testid="lists-new"
          >
            <Icon name="plus" />
            {t("lists.new")}
          </button>
        </div>
      </header>

      <div className="toolbar">
        <label className="search">
          <Icon name="search" />
          <span className="visually-hidden">{t("lists.search")}</span>
          <input
            type="search"
            placeholder={t("lists.searchPlaceholder")}
            value={search}
            data-testid="lists-search"
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <label className="select-filter">
          <span>{t("lists.field.agency")}</span>
          <select value={agencyId} onChange={(event) => setAgencyId(event.target.value)}>
            <option value="">{t("contacts.filter.allAgencies")}</option>
            {usable.map((agency) => (
              <option key={agency.agencyId} value={agency.agencyId}>
                {agency.name}
              </option>
            ))}
          </select>
        </label>
      </div>

      {page.error !== undefined && (
        <Notice tone="error">
          <p>{contactsErrorText(t, page.error)}</p>
        </Notice>
      )}

      <div className="card table-card">
        <table className="table lists-table" data-testid="lists-table" aria-busy={page.loading}>
          <caption className="visually-hidden">{t("lists.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("lists.field.name")}</th>
              <th scope="col">{t("lists.field.agency")}</th>
              <th scope="col" className="num">
                {t("lists.column.members")}
              </th>
              <th scope="col">{t("lists.column.health")}</th>
              <th scope="col">{t("lists.column.updated")}</th>
              <th scope="col" className="actions-col">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty-cell">
                  {page.loading ? t("app.loading") : t(filtered ? "lists.emptyFiltered" : "lists.empty")}
                </td>
              </tr>
            )}
            {page.items.map((list) => (
              <tr key={list.listId} data-testid="list-row" data-id={list.listId} data-name={list.name}>
                <th scope="row" data-label={t("lists.field.name")}>
                  <div className="list-name-cell">
                    <Link href={`/lists/${encodeURIComponent(list.listId)}`} className="list-link">
                      {list.name}
                    </Link>
                    {list.fields.length > 0 && (
                      <span
                        className="person-detail"
                        title={list.fields.map((field) => `%${field.name}%`).join(" ")}
                      >
                        {list.fields.map((field) => `%${field.name}%`).join(" ")}
                      </span>
                    )}
                  </div>
                </th>
                <td data-label={t("lists.field.agency")} className="agencies-cell">
                  {agencyNames.get(list.agencyId) ?? "—"}
                </td>
                <td data-label={t("lists.column.members")} className="num tabular">
                  {number(list.memberCount)}
                </td>
                <td data-label={t("lists.column.health")} className="health-cell">
                  <HealthPills health={health.get(list.listId)} />
                </td>
                <td data-label={t("lists.column.updated")} className="nowrap text-muted">
                  <span className="person-text">
                    <span className="tabular">{dateTime(list.updatedAt)}</span>
                    {list.createdBy?.name && <span className="person-detail">{list.createdBy.name}</span>}
                  </span>
                </td>
                <td className="actions-cell">
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => navigate(`/lists/${encodeURIComponent(list.listId)}`)}
                      data-testid="list-manage"
                    >
                      {t("lists.action.manage")}
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => setDialog({ kind: "write", list })}
                      data-testid="list-write"
                    >
                      {t("lists.action.write")}
                    </button>
                    <RowMenu
                      label={t("lists.moreActions", { name: list.name })}
                      actions={actions(list)}
                      testId="list-menu"
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.cursor && (
        <div className="load-more">
          <button type="button" className="button" disabled={page.loading} onClick={() => void more()}>
            {page.loading ? (
              <span className="spinner spinner-dark" aria-hidden="true" />
            ) : (
              <Icon name="chevronDown" />
            )}
            {t("contacts.more")}
          </button>
        </div>
      )}

      {creating && (
        <CreateListDialog
          agencies={usable}
          onClose={() => setCreating(false)}
          onCreated={(list) => {
            setCreating(false);
            navigate(`/lists/${encodeURIComponent(list.listId)}`);
          }}
        />
      )}
      <ListDialogs
        dialog={dialog}
        agencies={agencies}
        onClose={() => setDialog(null)}
        onChanged={changed}
        onDeleted={() => setReloads((value) => value + 1)}
      />
    </div>
  );
}
