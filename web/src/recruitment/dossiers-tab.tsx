import { useState } from "react";
import { DataTable, LoadMore } from "../components/data-table";
import { Filter, FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { useDebounced } from "../components/use-debounced";
import { usePages } from "../components/use-pages";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { Link } from "../router";
import { type Campaign, type Dossier, dossiers, inLocale } from "./client";
import { DossierStatusBadge, dossierHref, recruitmentErrorText } from "./recruitment-parts";
import { StatusDialog } from "./status-dialog";
import type { useUserNames } from "./user-names";

/** The start or end of a `YYYY-MM-DD` day in the browser's time, as an ISO instant (the API compares instants). */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const dayEnd = (day: string) => (day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined);

/**
 * « Dossiers »: the submitted dossiers with filters (status, evaluator, dates, words), a selection, and
 * « Changer le statut » for the selection, which says first how many emails it will send.
 */
export function DossiersTab({
  campaign,
  names,
}: {
  campaign: Campaign;
  names: ReturnType<typeof useUserNames>;
}) {
  const { t, locale, number, dateTime } = useI18n();
  const [status, setStatus] = useState("");
  const [evaluatorId, setEvaluatorId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [changing, setChanging] = useState(false);
  const [version, setVersion] = useState(0);
  const q = useDebounced(search.trim(), 250);
  const filters = {
    status: status || undefined,
    evaluatorId: evaluatorId || undefined,
    from: dayStart(from),
    to: dayEnd(to),
    q: q || undefined,
  };
  const page = usePages(
    (cursor) => dossiers.list(campaign.campaignId, { ...filters, cursor }),
    JSON.stringify({ ...filters, version }),
    (dossier) => dossier.dossierId,
  );
  const filtered = Boolean(status || evaluatorId || from || to || q);
  const items = page.items;
  const allShownSelected = items.length > 0 && items.every((dossier) => selected.has(dossier.dossierId));

  const toggle = (dossierId: string, checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(dossierId);
      else next.delete(dossierId);
      return next;
    });
  const toggleAll = (checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const dossier of items) {
        if (checked) next.add(dossier.dossierId);
        else next.delete(dossier.dossierId);
      }
      return next;
    });

  const clear = () => {
    setStatus("");
    setEvaluatorId("");
    setFrom("");
    setTo("");
    setSearch("");
  };

  const evaluatorName = (dossier: Dossier) => names.name(dossier.evaluatorId);

  return (
    <section className="stack" aria-label={t("recruitment.tab.dossiers")}>
      <FilterBar clearLabel={t("recruitment.dossiers.clear")} onClear={filtered ? clear : undefined}>
        <SearchBox
          label={t("recruitment.dossiers.search")}
          placeholder={t("recruitment.dossiers.searchPlaceholder")}
          value={search}
          onChange={setSearch}
          testId="dossiers-search"
        />
        <FilterSelect
          label={t("recruitment.dossier.status")}
          allLabel={t("recruitment.dossiers.allStatuses")}
          value={status}
          options={campaign.statuses.map((option) => ({
            value: option.statusId,
            label: inLocale(option.label, locale),
          }))}
          onChange={setStatus}
          testId="dossiers-status"
        />
        <FilterSelect
          label={t("recruitment.dossier.evaluator")}
          allLabel={t("recruitment.dossiers.allEvaluators")}
          value={evaluatorId}
          options={campaign.evaluatorIds.map((userId) => ({
            value: userId,
            label: names.name(userId) ?? userId,
          }))}
          onChange={setEvaluatorId}
          testId="dossiers-evaluator"
        />
        <Filter label={t("recruitment.dossiers.from")}>
          <input
            type="date"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            data-testid="dossiers-from"
          />
        </Filter>
        <Filter label={t("recruitment.dossiers.to")}>
          <input
            type="date"
            value={to}
            onChange={(event) => setTo(event.target.value)}
            data-testid="dossiers-to"
          />
        </Filter>
      </FilterBar>

      {selected.size > 0 && (
        <section
          className="selection-bar"
          data-testid="dossiers-selection"
          aria-label={t("recruitment.selection.label")}
        >
          <span className="selection-count" data-testid="dossiers-selection-count">
            <Icon name="check" />
            {t("recruitment.selection.count", { count: number(selected.size) })}
          </span>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => setSelected(new Set())}
          >
            {t("recruitment.selection.clear")}
          </button>
          <span className="footer-spacer" />
          <button
            type="button"
            className="button button-primary button-small"
            onClick={() => setChanging(true)}
            data-testid="dossiers-change-status"
          >
            <Icon name="edit" />
            {t("recruitment.status.change")}
          </button>
        </section>
      )}

      <DataTable
        caption={t("recruitment.tab.dossiers")}
        testId="dossiers-table"
        scroll
        busy={page.loading}
        error={page.error === undefined ? null : recruitmentErrorText(t, page.error)}
        columns={7}
        head={
          <>
            <th scope="col" className="select-col">
              <input
                type="checkbox"
                aria-label={t("recruitment.selection.all")}
                checked={allShownSelected}
                disabled={items.length === 0}
                onChange={(event) => toggleAll(event.target.checked)}
                data-testid="dossiers-select-all"
              />
            </th>
            <th scope="col">{t("recruitment.dossier.candidate")}</th>
            <th scope="col">{t("recruitment.dossier.email")}</th>
            <th scope="col">{t("recruitment.dossier.mobile")}</th>
            <th scope="col">{t("recruitment.dossier.status")}</th>
            <th scope="col">{t("recruitment.dossier.evaluator")}</th>
            <th scope="col">{t("recruitment.dossier.submittedAt")}</th>
          </>
        }
        empty={
          items.length === 0 &&
          (page.loading
            ? t("app.loading")
            : t(filtered ? "recruitment.dossiers.emptyFiltered" : "recruitment.dossiers.empty"))
        }
      >
        {items.map((dossier) => {
          const name = `${dossier.firstName} ${dossier.lastName}`.trim();
          return (
            <tr
              key={dossier.dossierId}
              data-testid="dossier-row"
              data-id={dossier.dossierId}
              className={selected.has(dossier.dossierId) ? "is-selected" : undefined}
            >
              <td className="select-col">
                <input
                  type="checkbox"
                  aria-label={t("recruitment.selection.one", { name })}
                  checked={selected.has(dossier.dossierId)}
                  onChange={(event) => toggle(dossier.dossierId, event.target.checked)}
                  data-testid="dossier-select"
                />
              </td>
              <th scope="row" data-label={t("recruitment.dossier.candidate")}>
                <Link href={dossierHref(campaign.campaignId, dossier.dossierId)} data-testid="dossier-open">
                  {name}
                </Link>
              </th>
              <td data-label={t("recruitment.dossier.email")}>{dossier.email}</td>
              <td data-label={t("recruitment.dossier.mobile")} className="nowrap tabular">
                {dossier.mobile ? formatPhone(dossier.mobile) : <span className="text-subtle">—</span>}
              </td>
              <td data-label={t("recruitment.dossier.status")}>
                <DossierStatusBadge statusId={dossier.statusId} statuses={campaign.statuses} />
              </td>
              <td data-label={t("recruitment.dossier.evaluator")}>
                {evaluatorName(dossier) ?? <span className="text-subtle">—</span>}
              </td>
              <td data-label={t("recruitment.dossier.submittedAt")} className="nowrap tabular">
                {dossier.submittedAt ? dateTime(dossier.submittedAt) : <span className="text-subtle">—</span>}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {page.cursor && (
        <LoadMore
          label={t("recruitment.dossiers.more")}
          loading={page.loading}
          onMore={() => void page.more()}
          testId="dossiers-more"
        />
      )}
      {changing && (
        <StatusDialog
          campaign={campaign}
          dossierIds={[...selected]}
          onClose={() => setChanging(false)}
          onChanged={() => {
            setChanging(false);
            setSelected(new Set());
            setVersion((value) => value + 1);
          }}
        />
      )}
    </section>
  );
}
