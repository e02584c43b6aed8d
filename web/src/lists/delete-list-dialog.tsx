import { useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice } from "../components/notice";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { type DistributionList, lists } from "./client";

/** « Supprimer »: the list and its memberships go; the contacts stay. */
export function DeleteListDialog({
  list,
  onClose,
  onDeleted,
}: {
  list: DistributionList;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t, number } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await lists.remove(list.listId);
      onDeleted();
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("lists.delete.title", { name: list.name })}
      onClose={onClose}
      testId="list-delete-dialog"
      action={{
        label: t("lists.action.delete"),
        testId: "list-delete-confirm",
        tone: "danger",
        busy,
        onClick: () => void remove(),
      }}
    >
      <div className="stack">
        <p>{t("lists.delete.body", { count: number(list.memberCount) })}</p>
        <p className="text-subtle">{t("lists.delete.contactsStay")}</p>
        <ErrorNotice text={failure} />
      </div>
    </ConfirmDialog>
  );
}
