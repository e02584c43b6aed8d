import "./composer.css";
import { useMemo, useState } from "react";
import { agencies as agenciesApi, users as usersApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { can } from "../accounts/permissions";
import { DataTable } from "../components/data-table";
import { Filter, FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { useDebounced } from "../components/use-debounced";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { useMe } from "../session/session-store";
import { CampaignStatusBadge } from "./campaign-status";
import { type Campaign, campaigns } from "./client";
import { formatEuros } from "./money";

type ListFilters = NonNullable<Parameters<typeof campaigns.list>[1]>;
const emptyFilters: ListFilters = {};
const statuses = ["scheduled", "sending", "sent", "paused", "cancelled"] as const;
const kinds = ["yesno", "info"] as const;

/** « Envois »: the campaigns of my agencies, newest first, filtered, with status, counts and answers. */
export function CampaignsPage() {
  usePageTitle("campaigns.title");
  const { t, number, dateTime, locale } = useI18n();
  const [filters, setFilters] = useState<ListFilters>(emptyFilters);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const applied = { ...filters, q: q || undefined };
  const key = JSON.stringify(applied);
  const first = useResource(() => campaigns.list(undefined, applied), key);
  const setFilter = <K extends keyof ListFilters>(name: K, value: ListFilters[K]) => {
    setMore({ items: [], loading: false });
    setFilters((current) => ({ ...current, [name]: value || undefined }));
  };
  const filtered = Object.values(applied).some(Boolean);
  const [more, setMore] = useState<{ items: Campaign[]; cursor?: string; loading: boolean; error?: unknown }>(
    {
      items: [],
      loading: false,
    },
  );
  const agencyList = useResource(() => agenciesApi.list(true));
  const me = useMe();
  // Admins and Managers may list users: they can filter by sender; others see their agencies' anyway.
  const senders = useResource(
    () => (me && can.seeUsers(me.role) ? usersApi.list().then((page) => page.items) : Promise.resolve([])),
    me?.role ?? "",
  );
  const agencyNames = useMemo(
    () => new Map((agencyList.data?.items ?? []).map((agency) => [agency.agencyId, agency.name])),
    [agencyList.data],
  );
  const items = [...(first.data?.items ?? []), ...more.items];
  const cursor = more.items.length > 0 ? more.cursor : first.data?.cursor;

  const clearFilters = () => {
    setMore({ items: [], loading: false });
    setSearch("");
    setFilters(emptyFilters);
  };

  const loadMore = async () => {
    if (!cursor) return;
    setMore((current) => ({ ...current, loading: true }));
    try {
      const page = await campaigns.list(cursor, applied);
      setMore((current) => ({
        items: [...current.items, ...page.items],
        cursor: page.cursor,
        loading: false,
      }));
    } catch (error) {
      setMore((current) => ({ ...current, loading: false, error }));
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("campaigns.title")}</h1>
          <p className="page-subtitle">{t("campaigns.subtitle")}</p>
        </div>
        <div className="page-actions">
          <Link href="/compose/info" className="button">
            <Icon name="announce" />
            {t("nav.newInfo")}
          </Link>
          <Link href="/compose/yesno" className="button button-primary">
            <Icon name="yesNo" />
            {t("nav.newYesNo")}
          </Link>
        </div>
      </header>
      <FilterBar
        testId="campaigns-filters"
        clearLabel={t("contacts.filter.clear")}
        onClear={filtered ? clearFilters : undefined}
        end={
          <a className="button" href={campaigns.exportPath(applied)} download data-testid="campaigns-export">
            <Icon name="download" />
            {t("campaigns.export")}
          </a>
        }
      >
        <SearchBox
          label={t("campaigns.search")}
          placeholder={t("campaigns.searchPlaceholder")}
          value={search}
          onChange={(value) => {
            setMore({ items: [], loading: false });
            setSearch(value);
          }}
          testId="campaigns-search"
        />
        <FilterSelect
          label={t("contacts.field.agency")}
          allLabel={t("contacts.filter.allAgencies")}
          value={filters.agencyId ?? ""}
          options={(agencyList.data?.items ?? []).map((agency) => ({
            value: agency.agencyId,
            label: agency.name,
          }))}
          onChange={(value) => setFilter("agencyId", value)}
          testId="campaigns-agency"
        />
        {(senders.data?.length ?? 0) > 0 && (
          <FilterSelect
            label={t("campaigns.filter.sender")}
            allLabel={t("campaigns.filter.allSenders")}
            value={filters.createdBy ?? ""}
            options={(senders.data ?? []).map((user) => ({
              value: user.userId,
              label: `${user.firstName} ${user.lastName}`,
            }))}
            onChange={(value) => setFilter("createdBy", value)}
            testId="campaigns-sender"
          />
        )}
        <FilterSelect
          label={t("campaigns.filter.kind")}
          allLabel={t("campaigns.filter.allKinds")}
          value={filters.kind ?? ""}
          options={kinds.map((kind) => ({ value: kind, label: t(`campaigns.filter.${kind}`) }))}
          onChange={(value) => setFilter("kind", value || undefined)}
          testId="campaigns-kind"
        />
        <FilterSelect
          label={t("campaigns.col.status")}
          allLabel={t("campaigns.filter.allStatuses")}
          value={filters.status ?? ""}
          options={statuses.map((status) => ({ value: status, label: t(`campaigns.status.${status}`) }))}
          onChange={(value) => setFilter("status", value || undefined)}
          testId="campaigns-status"
        />
        <Filter label={t("campaigns.filter.from")}>
          <input
            type="date"
            value={filters.from ?? ""}
            onChange={(event) => setFilter("from", event.target.value)}
            data-testid="campaigns-from"
          />
        </Filter>
        <Filter label={t("campaigns.filter.to")}>
          <input
            type="date"
            value={filters.to ?? ""}
            onChange={(event) => setFilter("to", event.target.value)}
            data-testid="campaigns-to"
          />
        </Filter>
      </FilterBar>
      <DataTable
        caption={t("campaigns.title")}
        className="campaigns-table"
        testId="campaigns-table"
        busy={first.loading}
        error={
          first.error === undefined && more.error === undefined
            ? null
            : errorText(t, first.error ?? more.error)
        }
        columns={10}
        head={
          <>
            <th scope="col">{t("campaigns.col.title")}</th>
            <th scope="col">{t("campaigns.col.status")}</th>
            <th scope="col">{t("campaigns.col.sendAt")}</th>
            <th scope="col" className="num">
              {t("composer.totals.recipients")}
            </th>
            <th scope="col" className="num">
              {t("composer.totals.sms")}
            </th>
            <th scope="col" className="num">
              {t("composer.totals.email")}
            </th>
            <th scope="col" className="num">
              {t("campaigns.col.delivered")}
            </th>
            <th scope="col">{t("campaigns.col.answers")}</th>
            <th scope="col" className="num">
              {t("campaigns.col.failed")}
            </th>
            <th scope="col" className="num">
              {t("composer.totals.cost")}
            </th>
          </>
        }
        empty={first.data ? items.length === 0 && t("campaigns.empty") : first.loading && t("app.loading")}
        foot={
          cursor && (
            <div className="table-foot">
              <button type="button" className="button" onClick={loadMore} disabled={more.loading}>
                {more.loading && <span className="spinner spinner-dark" aria-hidden="true" />}
                {t("campaigns.more")}
              </button>
            </div>
          )
        }
      >
        {items.map((campaign) => (
          <tr key={campaign.campaignId} data-testid="campaign-row" data-title={campaign.title}>
            <th scope="row">
              <Link href={`/campaigns/${encodeURIComponent(campaign.campaignId)}`} className="campaign-link">
                <Icon name={campaign.kind === "yesno" ? "yesNo" : "announce"} size={14} />
                {campaign.title}
              </Link>
              <span className="person-detail">
                {[agencyNames.get(campaign.agencyId), campaign.reference, campaign.createdBy.name]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
            </th>
            <td>
              <CampaignStatusBadge status={campaign.status} />
            </td>
            <td className="nowrap">
              {campaign.outcomes.departure ? dateTime(campaign.outcomes.departure) : "—"}
            </td>
            <td className="num tabular">{number(campaign.counts.recipients)}</td>
            <td className="num tabular">{number(campaign.counts.sms)}</td>
            <td className="num tabular">{number(campaign.counts.email)}</td>
            <td className="num tabular">{number(campaign.outcomes.delivered)}</td>
            <td>
              {campaign.kind === "yesno" && campaign.outcomes.replied > 0 ? (
                <span className="answer-tags" data-testid="campaign-answers">
                  <span className="answer-tag answer-yes">{number(campaign.outcomes.yes)}</span>
                  <span className="answer-tag answer-no">{number(campaign.outcomes.no)}</span>
                  <span className="answer-tag answer-other">{number(campaign.outcomes.other)}</span>
                </span>
              ) : (
                <span className="text-subtle">—</span>
              )}
            </td>
            <td className="num tabular">
              {number(campaign.outcomes.failed + campaign.outcomes.undeliverable)}
            </td>
            <td className="num tabular nowrap">{formatEuros(campaign.counts.costMillicents, locale)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
