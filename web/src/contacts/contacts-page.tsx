import "./contacts.css";
import { useMemo, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import type { Agency } from "../accounts/types";
import { DataTable, LoadMore } from "../components/data-table";
import { FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { toast } from "../components/toast";
import { useDebounced } from "../components/use-debounced";
import { usePages } from "../components/use-pages";
import { useResource } from "../components/use-resource";
import { handOffContacts, toPicked } from "../composer/recipients";
import { SendMenu } from "../composer/send-menu";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { SelectionListDialog } from "../lists/selection-dialog";
import { usePageTitle } from "../page-title";
import { Link, navigate } from "../router";
import { useMe } from "../session/session-store";
import {
  type Contact,
  type ContactFilters,
  type ContactType,
  contacts as contactsApi,
  contactTypes,
} from "./client";
import { ContactAvatar, ContactTypeBadge, NotSmsMarker, OptOutBadges } from "./contact-badges";
import { ContactDialog } from "./contact-dialog";
import { contactsErrorText, displayName, searchQuery } from "./contact-text";

type Dialog = { kind: "new" } | { kind: "edit"; contact: Contact } | { kind: "list"; mode: "create" | "add" };

/**
 * Contacts: search by name, number or email, filter by agency, type and archive, page by page; create,
 * edit, opt-outs, archive, GDPR export and erasure in the contact dialog; a selection becomes a list.
 */
export function ContactsPage() {
  usePageTitle("contacts.title");
  const { t, number } = useI18n();
  const me = useMe();
  const [search, setSearch] = useState("");
  const [agencyId, setAgencyId] = useState("");
  const [type, setType] = useState<ContactType | "">("");
  const [archived, setArchived] = useState(false);
  const [selected, setSelected] = useState<Map<string, Contact>>(new Map());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const debounced = useDebounced(searchQuery(search), 250);

  const agencyList = useResource(() => agenciesApi.list(true));
  const agencies: Agency[] = agencyList.data?.items ?? [];
  const agencyNames = useMemo(
    () => new Map(agencies.map((agency) => [agency.agencyId, agency.name])),
    [agencies],
  );
  const visibleAgencies = agencies.filter(
    (agency) => !agency.archived && (me?.role === "admin" || me?.agencyIds.includes(agency.agencyId)),
  );

  const filters: ContactFilters = {
    query: debounced || undefined,
    agencyId: agencyId || undefined,
    type: type || undefined,
    archived,
  };
  const page = usePages(
    (cursor) => contactsApi.search({ ...filters, cursor }),
    JSON.stringify(filters),
    (contact) => contact.contactId,
  );

  if (!me) return null;

  const filtered = Boolean(filters.query || filters.agencyId || filters.type || archived);
  const items = page.items;
  const allShownSelected = items.length > 0 && items.every((contact) => selected.has(contact.contactId));

  const clearFilters = () => {
    setSearch("");
    setAgencyId("");
    setType("");
    setArchived(false);
  };

  const toggle = (contact: Contact, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(contact.contactId, contact);
      else next.delete(contact.contactId);
      return next;
    });

  const toggleAll = (on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const contact of items) {
        if (on) next.set(contact.contactId, contact);
        else next.delete(contact.contactId);
      }
      return next;
    });

  const replace = (saved: Contact) =>
    page.update((current) => {
      const known = current.some((item) => item.contactId === saved.contactId);
      const belongs = saved.archived === archived;
      return known
        ? current
            .map((item) => (item.contactId === saved.contactId ? saved : item))
            .filter((item) => item.archived === archived)
        : belongs
          ? [saved, ...current]
          : current;
    });

  const remove = (contactId: string) => {
    page.update((current) => current.filter((item) => item.contactId !== contactId));
    setSelected((current) => {
      const next = new Map(current);
      next.delete(contactId);
      return next;
    });
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("contacts.title")}</h1>
          <p className="page-subtitle">{t("contacts.subtitle")}</p>
        </div>
        <div className="page-actions">
          <Link href="/contacts/import" className="button" data-testid="contacts-import">
            <Icon name="upload" />
            {t("contacts.import")}
          </Link>
          <button
            type="button"
            className="button button-primary"
            onClick={() => setDialog({ kind: "new" })}
            disabled={!agencyList.data}
            data-testid="contacts-new"
          >
            <Icon name="plus" />
            {t("contacts.new")}
          </button>
        </div>
      </header>

      <FilterBar
        testId="contacts-filters"
        clearLabel={t("contacts.filter.clear")}
        onClear={filtered ? clearFilters : undefined}
      >
        <SearchBox
          label={t("contacts.search")}
          placeholder={t("contacts.searchPlaceholder")}
          value={search}
          onChange={setSearch}
          testId="contacts-search"
        />
        <FilterSelect
          label={t("contacts.field.agency")}
          allLabel={t("contacts.filter.allAgencies")}
          value={agencyId}
          options={visibleAgencies.map((agency) => ({ value: agency.agencyId, label: agency.name }))}
          onChange={setAgencyId}
          testId="contacts-agency"
        />
        <FilterSelect
          label={t("contacts.field.type")}
          allLabel={t("contacts.filter.allTypes")}
          value={type}
          options={contactTypes.map((option) => ({ value: option, label: t(`contacts.type.${option}`) }))}
          onChange={setType}
          testId="contacts-type"
        />
        <label className="switch">
          <input
            type="checkbox"
            checked={archived}
            onChange={(event) => setArchived(event.target.checked)}
            data-testid="contacts-archived"
          />
          <span className="switch-track" aria-hidden="true" />
          {t("contacts.filter.archived")}
        </label>
      </FilterBar>

      {selected.size > 0 && (
        <section
          className="selection-bar"
          data-testid="contacts-selection"
          aria-label={t("contacts.selection.label")}
        >
          <span className="selection-count">
            <Icon name="check" />
            {t("contacts.selection.count", { count: number(selected.size) })}
          </span>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => setSelected(new Map())}
          >
            {t("contacts.selection.clear")}
          </button>
          <span className="footer-spacer" />
          <button
            type="button"
            className="button button-small"
            onClick={() => setDialog({ kind: "list", mode: "add" })}
            data-testid="selection-add-to-list"
          >
            <Icon name="lists" />
            {t("contacts.selection.addToList")}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => setDialog({ kind: "list", mode: "create" })}
            data-testid="selection-create-list"
          >
            <Icon name="plus" />
            {t("contacts.selection.createList")}
          </button>
          <SendMenu
            label="contacts.selection.send"
            testId="selection-send"
            triggerClassName="button button-primary button-small"
            onPick={(kind) => {
              handOffContacts([...selected.values()].map(toPicked));
              navigate(`/compose/${kind}?selection=1`);
            }}
          />
        </section>
      )}

      <DataTable
        caption={t("contacts.title")}
        className="contacts-table"
        testId="contacts-table"
        scroll
        busy={page.loading}
        error={page.error === undefined ? null : contactsErrorText(t, page.error)}
        columns={8}
        actionsColumn
        head={
          <>
            <th scope="col" className="select-col">
              <input
                type="checkbox"
                aria-label={t("contacts.selection.all")}
                checked={allShownSelected}
                disabled={items.length === 0}
                onChange={(event) => toggleAll(event.target.checked)}
                data-testid="contacts-select-all"
              />
            </th>
            <th scope="col">{t("contacts.column.name")}</th>
            <th scope="col">{t("contacts.field.mobile")}</th>
            <th scope="col">{t("contacts.field.email")}</th>
            <th scope="col">{t("contacts.field.type")}</th>
            <th scope="col">{t("contacts.field.agencies")}</th>
            <th scope="col">{t("contacts.column.optOut")}</th>
          </>
        }
        empty={
          items.length === 0 &&
          (page.loading ? t("app.loading") : t(filtered ? "contacts.emptyFiltered" : "contacts.empty"))
        }
      >
        {items.map((contact) => (
          <tr
            key={contact.contactId}
            data-testid="contact-row"
            data-id={contact.contactId}
            data-mobile={contact.mobile ?? ""}
            className={selected.has(contact.contactId) ? "is-selected" : undefined}
          >
            <td className="select-col">
              <input
                type="checkbox"
                aria-label={t("contacts.selection.one", { name: displayName(contact, t) })}
                checked={selected.has(contact.contactId)}
                onChange={(event) => toggle(contact, event.target.checked)}
                data-testid="contact-select"
              />
            </td>
            <th scope="row" data-label={t("contacts.column.name")}>
              <div className="person">
                <ContactAvatar contact={contact} />
                <span className="person-text">
                  <button
                    type="button"
                    className="link-button person-name"
                    onClick={() => setDialog({ kind: "edit", contact })}
                    data-testid="contact-open"
                  >
                    {displayName(contact, t)}
                  </button>
                  {(contact.position || contact.skills.length > 0) && (
                    <span
                      className="person-detail"
                      title={[contact.position, ...contact.skills].filter(Boolean).join(" · ")}
                    >
                      {[contact.position, contact.skills.join(", ")].filter(Boolean).join(" · ")}
                    </span>
                  )}
                </span>
              </div>
            </th>
            <td data-label={t("contacts.field.mobile")} className="nowrap">
              {contact.mobile ? (
                <span className="phone-cell">
                  <span className="tabular">{formatPhone(contact.mobile)}</span>
                  {!contact.smsCapable && <NotSmsMarker />}
                </span>
              ) : (
                <span className="text-subtle">—</span>
              )}
            </td>
            <td data-label={t("contacts.field.email")} className="email-cell" title={contact.email}>
              {contact.email ?? <span className="text-subtle">—</span>}
            </td>
            <td data-label={t("contacts.field.type")}>
              <ContactTypeBadge type={contact.type} />
            </td>
            <td data-label={t("contacts.field.agencies")} className="agencies-cell">
              {contact.agencyIds.map((agency) => agencyNames.get(agency) ?? "—").join(", ") || "—"}
            </td>
            <td data-label={t("contacts.column.optOut")}>
              <OptOutBadges optOut={{ sms: contact.optOut.sms?.at, email: contact.optOut.email?.at }} />
            </td>
            <td className="actions-cell">
              <div className="row-actions">
                <Link
                  href={`/contacts/${encodeURIComponent(contact.contactId)}/conversation`}
                  className="button button-small button-quiet"
                  data-testid="contact-conversation"
                >
                  {t("conversation.open")}
                </Link>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setDialog({ kind: "edit", contact })}
                  data-testid="contact-edit"
                >
                  {t("common.edit")}
                </button>
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
      {page.cursor && (
        <LoadMore
          label={t("contacts.more")}
          loading={page.loading}
          onMore={() => void page.more()}
          testId="contacts-more"
        />
      )}

      {(dialog?.kind === "new" || dialog?.kind === "edit") && (
        <ContactDialog
          key={dialog.kind === "edit" ? dialog.contact.contactId : "new"}
          contact={dialog.kind === "edit" ? dialog.contact : undefined}
          me={me}
          agencies={agencies}
          onClose={() => setDialog(null)}
          onSaved={replace}
          onErased={remove}
        />
      )}
      {dialog?.kind === "list" && (
        <SelectionListDialog
          mode={dialog.mode}
          contactIds={[...selected.keys()]}
          agencies={visibleAgencies}
          onClose={() => setDialog(null)}
          onDone={(list, added) => {
            setDialog(null);
            setSelected(new Map());
            toast(t("contacts.selection.added", { count: number(added), name: list.name }));
          }}
        />
      )}
    </div>
  );
}
