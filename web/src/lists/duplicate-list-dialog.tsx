import { type FormEvent, useId, useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice } from "../components/notice";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { type DistributionList, lists } from "./client";

/** « Dupliquer »: same agency, variables, members and values, under a new name. */
export function DuplicateListDialog({
  list,
  onClose,
  onDuplicated,
}: {
  list: DistributionList;
  onClose: () => void;
  onDuplicated: (list: DistributionList) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const [name, setName] = useState(t("lists.duplicate.defaultName", { name: list.name }).slice(0, 120));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const { list: copy } = await lists.duplicate(list.listId, name.trim());
      onDuplicated(copy);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("lists.duplicate.title")}
      description={t("lists.duplicate.subtitle", { count: number(list.memberCount) })}
      onClose={onClose}
      testId="list-duplicate-dialog"
      action={{
        label: t("lists.action.duplicate"),
        testId: "list-duplicate-submit",
        form: `${id}-form`,
        busy,
        disabled: !name.trim(),
      }}
    >
      <form id={`${id}-form`} className="form form-tight" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={120}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <ErrorNotice text={failure} />
      </form>
    </ConfirmDialog>
  );
}
