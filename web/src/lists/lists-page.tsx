import "../contacts/contacts.css";
import "./lists.css";
import { useMemo, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import type { Agency } from "../accounts/types";
import { DataTable, LoadMore } from "../components/data-table";
import { FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { useDebounced } from "../components/use-debounced";
import { usePages } from "../components/use-pages";
import { useResource } from "../components/use-resource";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, navigate } from "../router";
import { useMe } from "../session/session-store";
import { type DistributionList, lists as listsApi } from "./client";
import { CreateListDialog } from "./create-list-dialog";
import { HealthPills, useHealthOf } from "./health";
import { type ListDialog, ListDialogs, useListActions } from "./list-actions";
import { RowMenu } from "./row-menu";

/** « Listes de diffusion »: every list I may see with its health at a glance, and the glossary's actions. */
export function ListsPage() {
  usePageTitle("lists.title");
  const { t, number, dateTime } = useI18n();
  const me = useMe();
  const [search, setSearch] = useState("");
  const [agencyId, setAgencyId] = useState("");
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
  const page = usePages(
    (cursor) => listsApi.list({ ...filters, cursor }),
    `${JSON.stringify(filters)}#${reloads}`,
    (list) => list.listId,
  );

  const { health, forget } = useHealthOf(page.items.map((list) => list.listId));

  const changed = (saved: DistributionList) => {
    forget(saved.listId);
    page.update((current) => current.map((list) => (list.listId === saved.listId ? saved : list)));
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

      <FilterBar>
        <SearchBox
          label={t("lists.search")}
          placeholder={t("lists.searchPlaceholder")}
          value={search}
          onChange={setSearch}
          testId="lists-search"
        />
        <FilterSelect
          label={t("lists.field.agency")}
          allLabel={t("contacts.filter.allAgencies")}
          value={agencyId}
          options={usable.map((agency) => ({ value: agency.agencyId, label: agency.name }))}
          onChange={setAgencyId}
        />
      </FilterBar>

      <DataTable
        caption={t("lists.title")}
        className="lists-table"
        testId="lists-table"
        busy={page.loading}
        error={page.error === undefined ? null : contactsErrorText(t, page.error)}
        columns={6}
        actionsColumn
        head={
          <>
            <th scope="col">{t("lists.field.name")}</th>
            <th scope="col">{t("lists.field.agency")}</th>
            <th scope="col" className="num">
              {t("lists.column.members")}
            </th>
            <th scope="col">{t("lists.column.health")}</th>
            <th scope="col">{t("lists.column.updated")}</th>
          </>
        }
        empty={
          page.items.length === 0 &&
          (page.loading ? t("app.loading") : t(filtered ? "lists.emptyFiltered" : "lists.empty"))
        }
      >
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
                  actions={actions(list, { send: true })}
                  testId="list-menu"
                />
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
      {page.cursor && (
        <LoadMore label={t("contacts.more")} loading={page.loading} onMore={() => void page.more()} />
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
