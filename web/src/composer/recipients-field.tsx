import { type ClipboardEvent, type KeyboardEvent, useRef, useState } from "react";
import { errorText } from "../accounts/errors";
import { Notice } from "../components/notice";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { campaigns, type Preview, type RejectedEntry } from "./client";
import { ContactPicker } from "./contact-picker";
import { ListPicker } from "./list-picker";
import {
  type Exclusion,
  exclusions,
  isBlock,
  mergeRead,
  type ReadSummary,
  type Recipients,
} from "./recipients";

const shownAtFirst = 60;

/** `+33612345678` as `06 12 34 56 78`, an email as is. */
export const displayValue = (value: string) => (value.startsWith("+") ? formatPhone(value) : value);

function RejectedChip({ entry, onRemove }: { entry: RejectedEntry; onRemove: () => void }) {
  const { t } = useI18n();
  const key = `composer.reject.${entry.code}`;
  const reason = isMessageKey(key) ? t(key) : entry.message;
  return (
    <span className="rcpt-chip rcpt-chip-rejected" data-testid="recipient-chip-rejected" title={reason}>
      <Icon name="warning" size={12} />
      <span className="rcpt-chip-main">{entry.entry}</span>
      <span className="rcpt-chip-reason">{reason}</span>
      <button
        type="button"
        className="rcpt-chip-remove"
        aria-label={t("composer.to.remove", { name: entry.entry })}
        onClick={onRemove}
      >
        <Icon name="close" size={12} />
      </button>
    </span>
  );
}

function PersonChip({
  name,
  detail,
  excluded,
  icon,
  testId,
  onRemove,
}: {
  name: string;
  detail?: string;
  excluded?: Exclusion;
  icon?: "contacts" | "lists";
  testId: string;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <span
      className={excluded ? "rcpt-chip rcpt-chip-person rcpt-chip-excluded" : "rcpt-chip rcpt-chip-person"}
      data-testid={testId}
      data-excluded={excluded}
      title={excluded ? t(`composer.excluded.${excluded}`) : detail}
    >
      {icon && <Icon name={icon} size={12} />}
      <span className="rcpt-chip-main">{name}</span>
      {detail && <span className="rcpt-chip-detail">{detail}</span>}
      {excluded && <span className="rcpt-chip-reason">{t(`composer.excluded.short.${excluded}`)}</span>}
      <button
        type="button"
        className="rcpt-chip-remove"
        aria-label={t("composer.to.remove", { name })}
        onClick={onRemove}
      >
        <Icon name="close" size={12} />
      </button>
    </span>
  );
}

/**
 * The « À » field: type a number or an email and press Enter, or paste a block copied from Excel; each
 * entry becomes a chip with the person's name when known, invalid ones in red with their reason, and
 * people the preview excludes (opted out, unreachable) marked. Contacts and lists are added by pickers.
 */
export function RecipientsField({
  id,
  value,
  onChange,
  preview,
  invalid,
}: {
  id: string;
  value: Recipients;
  onChange: (update: (current: Recipients) => Recipients) => void;
  preview?: Preview;
  invalid?: boolean;
}) {
  const { t, number } = useI18n();
  const [draft, setDraft] = useState("");
  const [reading, setReading] = useState(false);
  const [summary, setSummary] = useState<ReadSummary | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [picker, setPicker] = useState<"contacts" | "lists" | null>(null);
  const excluded = exclusions(preview);
  const latest = useRef(value);
  latest.current = value;

  const read = async (text: string) => {
    if (!text.trim()) return;
    setReading(true);
    setFailure(null);
    try {
      const answer = await campaigns.readRecipients(text);
      setSummary(mergeRead(latest.current, answer).summary);
      onChange((current) => mergeRead(current, answer).recipients);
      setDraft("");
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setReading(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ";" || event.key === ",") {
      event.preventDefault();
      void read(draft);
    } else if (event.key === "Backspace" && draft === "") {
      onChange((current) =>
        current.rejected.length > 0
          ? { ...current, rejected: current.rejected.slice(0, -1) }
          : { ...current, entries: current.entries.slice(0, -1) },
      );
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData("text/plain");
    if (!isBlock(text)) return;
    event.preventDefault();
    void read(draft ? `${draft}\n${text}` : text);
  };

  const entries = showAll ? value.entries : value.entries.slice(0, shownAtFirst);
  const hidden = value.entries.length - entries.length;
  const total = value.entries.length + value.contacts.length;

  return (
    <div className="field recipients">
      <div className="label-row">
        <label htmlFor={id}>{t("composer.to")}</label>
        <span className="recipients-pickers">
          <button
            type="button"
            className="button button-small"
            onClick={() => setPicker("contacts")}
            data-testid="pick-contacts"
          >
            <Icon name="contacts" size={14} />
            {t("composer.to.contacts")}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => setPicker("lists")}
            data-testid="pick-lists"
          >
            <Icon name="lists" size={14} />
            {t("composer.to.lists")}
          </button>
        </span>
      </div>
      <div
        className={invalid ? "recipients-box is-invalid" : "recipients-box"}
        data-testid="recipients-box"
        aria-busy={reading}
      >
        {value.lists.map((list) => (
          <PersonChip
            key={list.listId}
            icon="lists"
            name={list.name}
            detail={t("composer.to.members", { count: number(list.members) })}
            testId="recipient-chip-list"
            onRemove={() =>
              onChange((current) => ({
                ...current,
                lists: current.lists.filter((other) => other.listId !== list.listId),
              }))
            }
          />
        ))}
        {value.contacts.map((contact) => (
          <PersonChip
            key={contact.contactId}
            icon="contacts"
            name={contact.name}
            detail={contact.detail}
            excluded={excluded.byContact.get(contact.contactId)}
            testId="recipient-chip-contact"
            onRemove={() =>
              onChange((current) => ({
                ...current,
                contacts: current.contacts.filter((other) => other.contactId !== contact.contactId),
              }))
            }
          />
        ))}
        {entries.map((entry) => (
          <PersonChip
            key={entry.key}
            name={entry.contact?.name || displayValue(entry.value)}
            detail={entry.contact?.name ? displayValue(entry.value) : undefined}
            excluded={excluded.byKey.get(entry.key)}
            testId="recipient-chip"
            onRemove={() =>
              onChange((current) => ({
                ...current,
                entries: current.entries.filter((other) => other.key !== entry.key),
              }))
            }
          />
        ))}
        {hidden > 0 && (
          <button type="button" className="rcpt-chip rcpt-chip-more" onClick={() => setShowAll(true)}>
            {t("composer.to.more", { count: number(hidden) })}
          </button>
        )}
        {value.rejected.map((entry) => (
          <RejectedChip
            key={entry.entry}
            entry={entry}
            onRemove={() =>
              onChange((current) => ({
                ...current,
                rejected: current.rejected.filter((other) => other.entry !== entry.entry),
              }))
            }
          />
        ))}
        <input
          id={id}
          className="recipients-input"
          value={draft}
          autoComplete="off"
          placeholder={
            total + value.lists.length === 0 ? t("composer.to.placeholder") : t("composer.to.placeholderMore")
          }
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => draft.trim() && void read(draft)}
          aria-describedby={`${id}-hint`}
          data-testid="recipients-input"
        />
        {reading && <span className="spinner spinner-dark" aria-hidden="true" />}
      </div>
      <p className="field-hint" id={`${id}-hint`} data-testid="recipients-summary">
        {summary
          ? t("composer.to.summary", {
              read: number(summary.read),
              added: number(summary.added),
              invalid: number(summary.invalid),
              duplicates: number(summary.duplicates),
            })
          : t("composer.to.hint")}
        {value.rejected.length > 0 && (
          <>
            {" "}
            <button
              type="button"
              className="inline-link"
              onClick={() => onChange((current) => ({ ...current, rejected: [] }))}
              data-testid="recipients-clear-rejected"
            >
              {t("composer.to.clearRejected", { count: number(value.rejected.length) })}
            </button>
          </>
        )}
      </p>
      {failure && (
        <Notice tone="error">
          <p>{failure}</p>
        </Notice>
      )}
      {picker === "contacts" && (
        <ContactPicker
          picked={value.contacts}
          onClose={() => setPicker(null)}
          onToggle={(contact, on) =>
            onChange((current) => ({
              ...current,
              contacts: on
                ? [...current.contacts.filter((other) => other.contactId !== contact.contactId), contact]
                : current.contacts.filter((other) => other.contactId !== contact.contactId),
            }))
          }
        />
      )}
      {picker === "lists" && (
        <ListPicker
          picked={value.lists}
          onClose={() => setPicker(null)}
          onToggle={(list, on) =>
            onChange((current) => ({
              ...current,
              lists: on
                ? [...current.lists.filter((other) => other.listId !== list.listId), list]
                : current.lists.filter((other) => other.listId !== list.listId),
            }))
          }
        />
      )}
    </div>
  );
}
