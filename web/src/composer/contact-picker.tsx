import { useState } from "react";
import { errorText } from "../accounts/errors";
import { Modal } from "../components/modal";
import { Notice } from "../components/notice";
import { useDebounced } from "../components/use-debounced";
import { useResource } from "../components/use-resource";
import { contacts as contactsApi } from "../contacts/client";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { type PickedContact, toPicked } from "./recipients";

export function ContactPicker({
  picked,
  onToggle,
  onClose,
}: {
  picked: PickedContact[];
  onToggle: (contact: PickedContact, on: boolean) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search.trim(), 250);
  const found = useResource(() => contactsApi.search({ query: debounced || undefined }, 30), debounced);
  const chosen = new Set(picked.map((contact) => contact.contactId));
  return (
    <Modal
      title={t("composer.contacts.title")}
      onClose={onClose}
      testId="contact-picker"
      footer={
        <button
          type="button"
          className="button button-primary"
          onClick={onClose}
          data-testid="contact-picker-done"
        >
          {t("composer.picker.done", { count: picked.length })}
        </button>
      }
    >
      <label className="search picker-search">
        <Icon name="search" />
        <span className="visually-hidden">{t("composer.contacts.search")}</span>
        <input
          type="search"
          value={search}
          placeholder={t("composer.contacts.search")}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="contact-picker-search"
          // biome-ignore lint/a11y/noAutofocus: the dialog opens to search
          autoFocus
        />
      </label>
      {found.error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, found.error)}</p>
        </Notice>
      )}
      <ul className="picker-list" aria-busy={found.loading}>
        {found.data?.items.length === 0 && <li className="text-subtle">{t("composer.contacts.none")}</li>}
        {found.data?.items.map((contact) => {
          const picked = toPicked(contact);
          const { name, detail } = picked;
          return (
            <li key={contact.contactId}>
              <label className="checkbox picker-row" data-testid="contact-picker-row">
                <input
                  type="checkbox"
                  checked={chosen.has(contact.contactId)}
                  onChange={(event) => onToggle(picked, event.target.checked)}
                />
                <span className="picker-text">
                  <span className="person-name">{name}</span>
                  <span className="text-subtle">{detail}</span>
                </span>
                {(contact.optOut.sms || contact.optOut.email) && (
                  <span className="badge badge-excluded">{t("composer.excluded.short.opted_out")}</span>
                )}
              </label>
            </li>
          );
        })}
      </ul>
    </Modal>
  );
}
