import "./reminders.css";
import { useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable, LoadMore } from "../components/data-table";
import { FilterBar, SearchBox } from "../components/filter-bar";
import { FieldError } from "../components/notice";
import { toast } from "../components/toast";
import { useDebounced } from "../components/use-debounced";
import { usePages } from "../components/use-pages";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { type Reminder, type ReminderStatus, reminders, statuses } from "./client";
import { CustomerImportDialog } from "./import-dialog";
import { firesLater, remindersErrorText, showDay, statusKey } from "./reminder-text";

const tabKey = {
  pending: "reminders.tab.pending",
  sent: "reminders.tab.sent",
  cancelled: "reminders.tab.cancelled",
} as const;
/** The last column: « Active » to cancel, the campaign it went with, or when it was cancelled. */
const lastColumn = {
  pending: "reminders.list.active",
  sent: "reminders.list.campaign",
  cancelled: "reminders.list.cancelledAt",
} as const;
const emptyKey = {
  pending: "reminders.list.empty.pending",
  sent: "reminders.list.empty.sent",
  cancelled: "reminders.list.empty.cancelled",
} as const;

/** « Relances en cours »: reminders by day, searched by name, number or plate; moved or cancelled in place. */
export function RemindersPage() {
  usePageTitle("reminders.list.title");
  const { t } = useI18n();
  const [status, setStatus] = useState<ReminderStatus>("pending");
  const [search, setSearch] = useState("");
  const [cancelling, setCancelling] = useState<Reminder | null>(null);
  const [busy, setBusy] = useState(false);
  const [importing, setImporting] = useState(false);
  const [version, setVersion] = useState(0);
  const query = useDebounced(search.trim(), 250);
  const page = usePages(
    (cursor) => reminders.list({ status, query: query || undefined, cursor }),
    JSON.stringify({ status, query, version }),
    (reminder) => reminder.reminderId,
  );
  const replace = (changed: Reminder) =>
    page.update((items) => items.map((item) => (item.reminderId === changed.reminderId ? changed : item)));

  const cancel = async () => {
    if (!cancelling) return;
    setBusy(true);
    try {
      const { reminder } = await reminders.cancel(cancelling.reminderId);
      replace(reminder);
      toast(t("reminders.cancel.done"));
      setCancelling(null);
    } catch (error) {
      toast(remindersErrorText(t, error), "error");
      setCancelling(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("reminders.list.title")}</h1>
          <p className="page-subtitle">{t("reminders.list.subtitle")}</p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button"
            onClick={() => setImporting(true)}
            data-testid="reminders-import"
          >
            <Icon name="upload" />
            {t("reminders.import.open")}
          </button>
          <Link href="/reminders/new" className="button button-primary" data-testid="reminders-new">
            <Icon name="plus" />
            {t("reminders.nav.new")}
          </Link>
        </div>
      </header>

      <div className="tabs" role="tablist" aria-label={t("reminders.list.tabs")}>
        {statuses.map((value) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={status === value}
            className="tab"
            data-testid={`reminders-tab-${value}`}
            onClick={() => setStatus(value)}
          >
            {t(tabKey[value])}
          </button>
        ))}
      </div>

      <FilterBar clearLabel={t("reminders.list.clear")} onClear={search ? () => setSearch("") : undefined}>
        <SearchBox
          label={t("reminders.list.search")}
          placeholder={t("reminders.list.searchPlaceholder")}
          value={search}
          onChange={setSearch}
          testId="reminders-search"
        />
      </FilterBar>

      <DataTable
        caption={t("reminders.list.title")}
        testId="reminders-table"
        scroll
        busy={page.loading}
        error={page.error === undefined ? null : remindersErrorText(t, page.error)}
        columns={7}
        head={
          <>
            <th scope="col">{t("reminders.list.day")}</th>
            <th scope="col">{t("reminders.list.customer")}</th>
            <th scope="col">{t("reminders.list.mobile")}</th>
            <th scope="col">{t("reminders.list.plate")}</th>
            <th scope="col">{t("reminders.list.scenario")}</th>
            <th scope="col">{t("reminders.list.status")}</th>
            <th scope="col">{t(lastColumn[status])}</th>
          </>
        }
        empty={
          page.items.length === 0 &&
          (page.loading ? t("app.loading") : query ? t("reminders.list.emptyFiltered") : t(emptyKey[status]))
        }
      >
        {page.items.map((reminder) => (
          <ReminderRow
            key={reminder.reminderId}
            reminder={reminder}
            confirming={cancelling?.reminderId === reminder.reminderId}
            onMoved={replace}
            onCancel={() => setCancelling(reminder)}
          />
        ))}
      </DataTable>
      {page.cursor && (
        <LoadMore
          label={t("reminders.list.more")}
          loading={page.loading}
          onMore={() => void page.more()}
          testId="reminders-more"
        />
      )}

      {importing && (
        <CustomerImportDialog
          onClose={() => setImporting(false)}
          onImported={() => setVersion((value) => value + 1)}
        />
      )}
      {cancelling && (
        <ConfirmDialog
          title={t("reminders.cancel.title")}
          onClose={() => setCancelling(null)}
          cancelLabel={t("reminders.cancel.keep")}
          testId="reminders-cancel-dialog"
          action={{
            label: t("reminders.cancel.confirm"),
            tone: "danger",
            testId: "reminders-cancel-confirm",
            busy,
            onClick: () => void cancel(),
          }}
        >
          <p>
            {t("reminders.cancel.body", {
              scenario: cancelling.scenarioName,
              name: cancelling.name,
              day: showDay(cancelling.dueOn),
            })}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function ReminderRow({
  reminder,
  confirming,
  onMoved,
  onCancel,
}: {
  reminder: Reminder;
  /** Unchecked while « Annuler cette relance ? » asks; checked again if the person keeps it. */
  confirming: boolean;
  onMoved: (reminder: Reminder) => void;
  onCancel: () => void;
}) {
  const { t, locale, dateTime } = useI18n();
  // Typed as JJ/MM/AAAA whatever the browser's language (a date picker follows the browser's, not ours).
  const [day, setDay] = useState(showDay(reminder.dueOn));
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const pending = reminder.status === "pending";
  const later = firesLater(reminder, locale);
  const errorId = `reminder-${reminder.reminderId}-error`;

  const move = async () => {
    if (!day.trim() || day.trim() === showDay(reminder.dueOn) || saving) return;
    setSaving(true);
    setFailure(null);
    try {
      const { reminder: moved } = await reminders.move(reminder.reminderId, day.trim());
      onMoved(moved);
      setDay(showDay(moved.dueOn));
      toast(t("reminders.list.moved", { day: showDay(moved.dueOn) }));
    } catch (error) {
      setFailure(remindersErrorText(t, error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <tr data-testid="reminder-row" data-id={reminder.reminderId} data-status={reminder.status}>
      <td data-label={t("reminders.list.day")} className="reminder-day">
        {pending ? (
          <div className="reminder-day-edit">
            <input
              type="text"
              inputMode="numeric"
              size={10}
              maxLength={10}
              placeholder={t("reminders.new.datePlaceholder")}
              value={day}
              disabled={saving}
              aria-label={t("reminders.list.changeDay", {
                scenario: reminder.scenarioName,
                name: reminder.name,
              })}
              aria-invalid={failure ? true : undefined}
              aria-describedby={failure ? errorId : undefined}
              data-testid="reminder-day"
              onChange={(event) => setDay(event.target.value)}
              onBlur={() => void move()}
              onKeyDown={(event) => {
                if (event.key === "Enter") void move();
              }}
            />
            {failure && <FieldError id={errorId}>{failure}</FieldError>}
          </div>
        ) : (
          <span className="tabular">{showDay(reminder.dueOn)}</span>
        )}
        {later && (
          <span className="reminder-fires text-subtle" data-testid="reminder-fires">
            {t("reminders.list.firesAt", later)}
          </span>
        )}
      </td>
      <th scope="row" data-label={t("reminders.list.customer")}>
        {reminder.name}
      </th>
      <td data-label={t("reminders.list.mobile")} className="nowrap tabular">
        {reminder.mobile ? formatPhone(reminder.mobile) : <span className="text-subtle">—</span>}
      </td>
      <td data-label={t("reminders.list.plate")} className="nowrap mono" data-testid="reminder-plate">
        {reminder.plate}
      </td>
      <td data-label={t("reminders.list.scenario")}>{reminder.scenarioName}</td>
      <td data-label={t("reminders.list.status")}>
        <span
          className={`badge badge-reminder-${reminder.status}`}
          data-testid="reminder-status"
          data-status={reminder.status}
        >
          {t(statusKey(reminder))}
        </span>
      </td>
      <td data-label={t(lastColumn[reminder.status])}>
        {pending && (
          <label className="checkbox reminder-active">
            <input
              type="checkbox"
              checked={!confirming}
              onChange={(event) => {
                if (!event.target.checked) onCancel();
              }}
              data-testid="reminder-active"
            />
            <span>{t("reminders.list.active")}</span>
          </label>
        )}
        {reminder.status === "sent" && reminder.delivery && (
          <span className="text-muted nowrap reminder-delivery" data-testid="reminder-delivery">
            {t(`campaigns.messageStatus.${reminder.delivery}`)}{" "}
          </span>
        )}
        {reminder.status === "sent" && reminder.campaignId && (
          <Link
            href={`/campaigns/${encodeURIComponent(reminder.campaignId)}`}
            data-testid="reminder-campaign"
          >
            {t("reminders.list.openCampaign")}
          </Link>
        )}
        {reminder.status === "cancelled" && reminder.cancelledAt && (
          <span className="nowrap text-muted">{dateTime(reminder.cancelledAt)}</span>
        )}
      </td>
    </tr>
  );
}
