import "./agencies.css";
import { type FormEvent, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { can } from "../accounts/permissions";
import type { Agency } from "../accounts/types";
import { DataTable } from "../components/data-table";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { useMe } from "../session/session-store";

function RenameForm({
  agency,
  onDone,
  onCancel,
}: {
  agency: Agency;
  onDone: (agency: Agency) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(agency.name);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setFailure(t("agency.error.nameRequired"));
    if (trimmed === agency.name) return onCancel();
    setBusy(true);
    try {
      const { agency: saved } = await agenciesApi.update(agency.agencyId, { name: trimmed });
      onDone(saved);
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} data-testid="agency-rename-form">
      <input
        // biome-ignore lint/a11y/noAutofocus: the person just asked to rename this row
        autoFocus
        aria-label={t("agency.name")}
        value={name}
        disabled={busy}
        aria-invalid={failure ? true : undefined}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onCancel();
        }}
        data-testid="agency-rename-input"
      />
      <button type="submit" className="button button-small button-primary" disabled={busy}>
        {t("common.save")}
      </button>
      <button type="button" className="button button-small" onClick={onCancel} disabled={busy}>
        {t("common.cancel")}
      </button>
      {failure && <span className="inline-error">{failure}</span>}
    </form>
  );
}

export function AgenciesPage() {
  usePageTitle("agencies.title");
  const { t, dateTime, number } = useI18n();
  const me = useMe();
  const [showArchived, setShowArchived] = useState(false);
  const list = useResource(() => agenciesApi.list(showArchived), String(showArchived));
  const [newName, setNewName] = useState("");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  if (!me) return null;
  const manage = can.manageAgencies(me.role);
  const items = [...(list.data?.items ?? [])].sort(
    (a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name, "fr"),
  );

  const replace = (saved: Agency) =>
    list.set((current) =>
      current
        ? {
            items: current.items
              .map((agency) => (agency.agencyId === saved.agencyId ? saved : agency))
              .filter((agency) => showArchived || !agency.archived),
          }
        : current,
    );

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = newName.trim();
    if (!name) {
      setCreateError(t("agency.error.nameRequired"));
      return;
    }
    setCreating(true);
    setCreateError(null);
    try {
      const { agency } = await agenciesApi.create(name);
      list.set((current) => ({ items: [...(current?.items ?? []), agency] }));
      setNewName("");
      toast(t("agencies.created", { name: agency.name }));
    } catch (error) {
      setCreateError(errorText(t, error));
    } finally {
      setCreating(false);
    }
  };

  const setArchived = async (agency: Agency, archived: boolean) => {
    setBusy(agency.agencyId);
    try {
      const { agency: saved } = await agenciesApi.update(agency.agencyId, { archived });
      replace(saved);
      toast(t(archived ? "agencies.archivedDone" : "agencies.unarchivedDone", { name: saved.name }));
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("agencies.title")}</h1>
          <p className="page-subtitle">{t(manage ? "agencies.subtitle" : "agencies.subtitleReadOnly")}</p>
        </div>
        <label className="switch">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(event) => setShowArchived(event.target.checked)}
            data-testid="agencies-show-archived"
          />
          <span className="switch-track" aria-hidden="true" />
          {t("agencies.showArchived")}
        </label>
      </header>

      {manage && (
        <form
          className="card card-padded create-row"
          onSubmit={create}
          noValidate
          data-testid="agency-create"
        >
          <label htmlFor="new-agency" className="field-label">
            {t("agencies.new")}
          </label>
          <div className="inline-form">
            <input
              id="new-agency"
              placeholder={t("agencies.newPlaceholder")}
              value={newName}
              disabled={creating}
              aria-invalid={createError ? true : undefined}
              onChange={(event) => setNewName(event.target.value)}
              data-testid="agency-create-name"
            />
            <button
              type="submit"
              className="button button-primary"
              disabled={creating}
              data-testid="agency-create-submit"
            >
              <Icon name="plus" />
              {t("agencies.create")}
            </button>
          </div>
          {createError && <p className="field-error">{createError}</p>}
        </form>
      )}

      <DataTable
        caption={t("agencies.title")}
        testId="agencies-table"
        busy={list.loading}
        error={list.error === undefined ? null : errorText(t, list.error)}
        columns={4}
        actionsColumn={manage}
        head={
          <>
            <th scope="col">{t("agency.name")}</th>
            <th scope="col">{t("agency.status")}</th>
            <th scope="col">{t("agency.createdAt")}</th>
          </>
        }
        empty={list.data ? items.length === 0 && t("agency.none") : t("app.loading")}
      >
        {items.map((agency) => (
          <tr
            key={agency.agencyId}
            data-testid="agency-row"
            data-name={agency.name}
            className={agency.archived ? "row-muted" : undefined}
          >
            <th scope="row" data-label={t("agency.name")}>
              {renaming === agency.agencyId ? (
                <RenameForm
                  agency={agency}
                  onCancel={() => setRenaming(null)}
                  onDone={(saved) => {
                    setRenaming(null);
                    replace(saved);
                    toast(t("agencies.renamed", { name: saved.name }));
                  }}
                />
              ) : (
                <span className="agency-name">
                  <Icon name="building" size={14} className="agency-icon" />
                  {agency.name}
                </span>
              )}
            </th>
            <td data-label={t("agency.status")}>
              <span
                className={agency.archived ? "badge badge-status-deactivated" : "badge badge-status-active"}
              >
                <span className="badge-dot" aria-hidden="true" />
                {t(agency.archived ? "agency.archived" : "agency.active")}
              </span>
            </td>
            <td data-label={t("agency.createdAt")} className="nowrap text-muted">
              {dateTime(agency.createdAt)}
            </td>
            {manage && (
              <td className="actions-cell">
                {renaming !== agency.agencyId && (
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => setRenaming(agency.agencyId)}
                      data-testid="agency-rename"
                    >
                      <Icon name="edit" size={14} />
                      {t("agencies.rename")}
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={busy === agency.agencyId}
                      onClick={() => void setArchived(agency, !agency.archived)}
                      data-testid={agency.archived ? "agency-unarchive" : "agency-archive"}
                    >
                      <Icon name="archive" size={14} />
                      {t(agency.archived ? "agencies.unarchive" : "agencies.archive")}
                    </button>
                  </div>
                )}
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {list.data && (
        <p className="text-subtle table-foot">{t("agencies.count", { count: number(items.length) })}</p>
      )}
    </div>
  );
}
