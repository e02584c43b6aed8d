import { type FormEvent, useId, useState } from "react";
import type { Agency } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { ErrorNotice, FieldError } from "../components/notice";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { type DistributionList, lists, type PasteReport } from "./client";
import { type FieldDraft, FieldsEditor, fieldProblems } from "./fields-editor";
import { PasteBox } from "./paste-box";
import { PasteReportView } from "./paste-report";

/**
 * A new list: empty, or filled by pasting numbers and emails copied from Excel. After a paste the report
 * stays on screen (refused entries in red with their reason) until the person opens the list.
 */
export function CreateListDialog({
  agencies,
  onClose,
  onCreated,
}: {
  agencies: Agency[];
  onClose: () => void;
  onCreated: (list: DistributionList) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState("");
  const [agencyId, setAgencyId] = useState(agencies[0]?.agencyId ?? "");
  const [source, setSource] = useState<"empty" | "paste">("paste");
  const [text, setText] = useState("");
  const [fields, setFields] = useState<FieldDraft[]>([]);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<{ list: DistributionList; report: PasteReport } | null>(null);

  const nameMissing = !name.trim();
  const fieldsInvalid = fieldProblems(fields).some(Boolean);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (nameMissing || !agencyId || fieldsInvalid || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await lists.create({
        name: name.trim(),
        agencyId,
        fields: fields.map((field) => field.name.trim()),
        paste: source === "paste" && text.trim() ? text : undefined,
      });
      if (created.paste) setDone({ list: created.list, report: created.paste });
      else onCreated(created.list);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Modal
        title={t("lists.create.doneTitle", { name: done.list.name })}
        size="large"
        onClose={() => onCreated(done.list)}
        testId="list-create-dialog"
        footer={
          <button
            type="button"
            className="button button-primary"
            onClick={() => onCreated(done.list)}
            data-testid="list-create-open"
          >
            {t("lists.create.open")}
          </button>
        }
      >
        <PasteReportView report={done.report} />
      </Modal>
    );
  }

  const formId = `${id}-form`;
  return (
    <ConfirmDialog
      title={t("lists.create.title")}
      description={t("lists.create.subtitle")}
      size="large"
      onClose={onClose}
      testId="list-create-dialog"
      action={{ label: t("lists.create.submit"), testId: "list-create-submit", form: formId, busy }}
    >
      <form id={formId} className="form form-tight" noValidate onSubmit={submit}>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
            <input
              id={`${id}-name`}
              value={name}
              maxLength={120}
              autoComplete="off"
              data-testid="list-name"
              aria-invalid={attempted && nameMissing ? true : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            {attempted && nameMissing && <FieldError>{t("lists.field.nameMissing")}</FieldError>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("lists.field.agency")}</label>
            <select
              id={`${id}-agency`}
              value={agencyId}
              data-testid="list-agency"
              onChange={(event) => setAgencyId(event.target.value)}
            >
              {agencies.map((agency) => (
                <option key={agency.agencyId} value={agency.agencyId}>
                  {agency.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="field">
          <legend className="field-label">{t("lists.create.source")}</legend>
          <div className="choice-cards">
            {(["paste", "empty"] as const).map((option) => (
              <label key={option} className={source === option ? "choice-card is-selected" : "choice-card"}>
                <input
                  type="radio"
                  name={`${id}-source`}
                  checked={source === option}
                  data-testid={`list-source-${option}`}
                  onChange={() => setSource(option)}
                />
                <Icon name={option === "paste" ? "copy" : "file"} className="choice-icon" />
                <span>
                  <strong>{t(`lists.create.source.${option}`)}</strong>
                  <span className="text-subtle">{t(`lists.create.source.${option}.hint`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {source === "paste" && (
          <PasteBox
            id={`${id}-paste`}
            value={text}
            onChange={setText}
            disabled={busy}
            fields={fields.map((field) => field.name.trim()).filter(Boolean)}
            newFields
          />
        )}
        <details className="preview">
          <summary>{t("lists.create.fields", { count: fields.length })}</summary>
          <FieldsEditor value={fields} onChange={setFields} disabled={busy} />
        </details>
        <ErrorNotice text={failure} testId="list-create-error" />
      </form>
    </ConfirmDialog>
  );
}
