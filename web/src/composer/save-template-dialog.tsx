import { type FormEvent, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import type { Agency } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice, FieldError } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { useMe } from "../session/session-store";
import { type Template, type TemplateKind, type TemplateScope, templates } from "../templates/client";
import { scopesFor, shareableAgencies } from "../templates/template-editor";

/** « Enregistrer comme modèle »: the composer's texts under a name, in a scope the role allows. */
export function SaveTemplateDialog({
  kind,
  content,
  suggestedName,
  agencies,
  onClose,
  onSaved,
}: {
  kind: TemplateKind;
  content: { smsBody: string; emailSubject: string; emailHtml: string };
  suggestedName: string;
  agencies: Agency[];
  onClose: () => void;
  onSaved: (template: Template) => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const id = useId();
  const [name, setName] = useState(suggestedName);
  const [scope, setScope] = useState<TemplateScope>("personal");
  const shareable = me ? shareableAgencies(agencies, me) : [];
  const [agencyId, setAgencyId] = useState(shareable.length === 1 ? (shareable[0]?.agencyId ?? "") : "");
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!me) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (!name.trim() || (scope === "agency" && !agencyId)) return;
    setBusy(true);
    setFailure(null);
    try {
      const { template } = await templates.create({
        name: name.trim(),
        kind,
        ...content,
        scope,
        agencyId: scope === "agency" ? agencyId : undefined,
      });
      toast(t("templates.saved", { name: template.name }));
      onSaved(template);
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("composer.template.saveTitle")}
      onClose={onClose}
      testId="save-template-dialog"
      cancelDisabled={busy}
      action={{ label: t("common.save"), testId: "save-template-submit", form: `${id}-form`, busy }}
    >
      <form id={`${id}-form`} className="form form-flush" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("templates.field.name")}</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={120}
            aria-invalid={attempted && !name.trim() ? true : undefined}
            onChange={(event) => setName(event.target.value)}
            data-testid="save-template-name"
          />
          {attempted && !name.trim() && <FieldError>{t("templates.error.nameRequired")}</FieldError>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-scope`}>{t("templates.field.scope")}</label>
          <select
            id={`${id}-scope`}
            value={scope}
            onChange={(event) => setScope(event.target.value as TemplateScope)}
            data-testid="save-template-scope"
          >
            {scopesFor(me.role).map((option) => (
              <option key={option} value={option}>
                {t(`templates.scope.${option}`)}
              </option>
            ))}
          </select>
          <p className="field-hint">{t(`templates.scope.${scope}.hint`)}</p>
        </div>
        {scope === "agency" && (
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("templates.field.agency")}</label>
            <select
              id={`${id}-agency`}
              value={agencyId}
              aria-invalid={attempted && !agencyId ? true : undefined}
              onChange={(event) => setAgencyId(event.target.value)}
            >
              <option value="">{t("templates.field.agencyChoose")}</option>
              {shareable.map((agency) => (
                <option key={agency.agencyId} value={agency.agencyId}>
                  {agency.name}
                </option>
              ))}
            </select>
            {attempted && !agencyId && <FieldError>{t("templates.error.agencyRequired")}</FieldError>}
          </div>
        )}
        <ErrorNotice text={failure} />
      </form>
    </ConfirmDialog>
  );
}
