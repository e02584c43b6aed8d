import { useId, useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { type Contact, contacts } from "./client";
import { contactsErrorText, displayName } from "./contact-text";

/** GDPR erasure: irreversible, so the person types the word shown before the button wakes up. */
export function EraseDialog({
  contact,
  onClose,
  onErased,
}: {
  contact: Contact;
  onClose: () => void;
  onErased: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const word = t("contacts.erase.word");
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const ready = typed.trim().toLocaleUpperCase() === word.toLocaleUpperCase();

  const erase = async () => {
    if (!ready || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await contacts.erase(contact.contactId);
      toast(t("contacts.erase.done"));
      onErased();
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("contacts.erase.title", { name: displayName(contact, t) })}
      onClose={onClose}
      testId="erase-dialog"
      action={{
        label: t("contacts.erase.confirm"),
        testId: "erase-confirm",
        tone: "danger",
        busy,
        disabled: !ready,
        onClick: () => void erase(),
      }}
    >
      <div className="form form-tight">
        <Notice tone="warning">
          <p>{t("contacts.erase.warning")}</p>
        </Notice>
        <ul className="plain-list">
          <li>{t("contacts.erase.removes")}</li>
          <li>{t("contacts.erase.keeps")}</li>
          <li>{t("contacts.erase.logged")}</li>
        </ul>
        <div className="field">
          <label htmlFor={`${id}-word`}>{t("contacts.erase.type", { word })}</label>
          <input
            id={`${id}-word`}
            autoComplete="off"
            value={typed}
            data-testid="erase-word"
            onChange={(event) => setTyped(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") void erase();
            }}
          />
        </div>
        <ErrorNotice text={failure} />
      </div>
    </ConfirmDialog>
  );
}
