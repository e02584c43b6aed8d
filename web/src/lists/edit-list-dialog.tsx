import { type FormEvent, useId, useState } from "react";
import type { Agency } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice, FieldError, Notice } from "../components/notice";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { type DistributionList, lists } from "./client";
import { type FieldDraft, FieldsEditor, fieldProblems } from "./fields-editor";

/** « Modifier »: rename, move to another agency, edit the custom variables. */
export function EditListDialog({
  list,
  agencies,
  onClose,
  onSaved,
}: {
  list: DistributionList;
  agencies: Agency[];
  onClose: () => void;
  onSaved: (list: DistributionList) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState(list.name);
  const [agencyId, setAgencyId] = useState(list.agencyId);
  const [fields, setFields] = useState<FieldDraft[]>(list.fields);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const fieldsChanged = JSON.stringify(fields) !== JSON.stringify(list.fields);
  const removed = list.fields.filter((field) => !fields.some((kept) => kept.id === field.id));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim() || fieldProblems(fields).some(Boolean) || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const { list: saved } = await lists.update(list.listId, {
        name: name.trim() !== list.name ? name.trim() : undefined,
        agencyId: agencyId !== list.agencyId ? agencyId : undefined,
        ...(fieldsChanged
          ? {
              fields: fields.map((field) => ({ id: field.id, name: field.name.trim() })),
              fieldsVersion: list.fieldsVersion,
            }
          : {}),
      });
      onSaved(saved);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  const formId = `${id}-form`;
  return (
    <ConfirmDialog
      title={t("lists.edit.title", { name: list.name })}
      size="large"
      onClose={onClose}
      testId="list-edit-dialog"
      action={{ label: t("common.save"), testId: "list-edit-submit", form: formId, busy }}
    >
      <form id={formId} className="form form-tight" noValidate onSubmit={submit}>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
            <input
              id={`${id}-name`}
              value={name}
              maxLength={120}
              data-testid="list-name"
              aria-invalid={!name.trim() ? true : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            {!name.trim() && <FieldError>{t("lists.field.nameMissing")}</FieldError>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("lists.field.agency")}</label>
            <select
              id={`${id}-agency`}
              value={agencyId}
              onChange={(event) => setAgencyId(event.target.value)}
            >
              {agencies
                .filter((agency) => !agency.archived || agency.agencyId === list.agencyId)
                .map((agency) => (
                  <option key={agency.agencyId} value={agency.agencyId}>
                    {agency.name}
                  </option>
                ))}
            </select>
          </div>
        </div>
        <fieldset className="field">
          <legend className="field-label">{t("lists.fields.title")}</legend>
          <FieldsEditor value={fields} onChange={setFields} disabled={busy} />
        </fieldset>
        {removed.length > 0 && (
          <Notice tone="warning">
            <p>
              {t("lists.fields.removeWarning", {
                names: removed.map((field) => `%${field.name}%`).join(", "),
              })}
            </p>
          </Notice>
        )}
        <ErrorNotice text={failure} testId="list-edit-error" />
      </form>
    </ConfirmDialog>
  );
}
