import "./templates.css";
import { type FormEvent, useId, useRef, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import type { Agency, Role } from "../accounts/types";
import { FieldError, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, navigate, usePathname, useSearchParam } from "../router";
import { useMe } from "../session/session-store";
import {
  type Template,
  type TemplateContent,
  type TemplateKind,
  type TemplateScope,
  templateKinds,
  templateScopes,
  templates,
} from "./client";
import { DeleteTemplateDialog } from "./delete-template-dialog";
import { VariableLegend } from "./highlighted-body";
import { RichTextEditor, type RichTextHandle } from "./rich-text-editor";
import { SmsBodyField } from "./sms-body-field";
import { duplicateTemplate } from "./templates-page";
import { insertAtCaret, VariableButtons } from "./variable-buttons";

/** Scopes a role may save: personal for all, agency for Managers and Admins, company for Admins. */
export function scopesFor(role: Role): TemplateScope[] {
  return templateScopes.filter(
    (scope) => scope === "personal" || (scope === "agency" ? role !== "user" : role === "admin"),
  );
}

/** Agencies a template can be shared with: all active ones for an Admin, a Manager's own otherwise. */
export function shareableAgencies(agencies: Agency[], me: { role: Role; agencyIds: string[] }): Agency[] {
  return agencies.filter(
    (agency) => !agency.archived && (me.role === "admin" || me.agencyIds.includes(agency.agencyId)),
  );
}

type Errors = Partial<Record<"name" | "agency" | "body", MessageKey>>;

function validate(values: TemplateContent): Errors {
  const errors: Errors = {};
  if (!values.name.trim()) errors.name = "templates.error.nameRequired";
  if (values.scope === "agency" && !values.agencyId) errors.agency = "templates.error.agencyRequired";
  if (!values.smsBody.trim() && !values.emailHtml.replace(/<[^>]*>/g, "").trim()) {
    errors.body = "templates.error.bodyRequired";
  }
  return errors;
}

type Field = "sms" | "subject" | "email";

/** Name, kind, scope, SMS text, email subject and body, with variables highlighted and insertable. */
function TemplateForm({ template, initialKind }: { template?: Template; initialKind: TemplateKind }) {
  const { t } = useI18n();
  const me = useMe();
  const id = useId();
  const agencyList = useResource(() => agenciesApi.list());
  const [values, setValues] = useState<TemplateContent>(() => ({
    name: template?.name ?? "",
    kind: template?.kind ?? initialKind,
    smsBody: template?.smsBody ?? "",
    emailSubject: template?.emailSubject ?? "",
    emailHtml: template?.emailHtml ?? "",
    scope: template?.scope ?? "personal",
    agencyId: template?.agencyId,
  }));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const lastField = useRef<Field>("sms");
  const smsRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<RichTextHandle>(null);

  if (!me) return null;
  const readOnly = template !== undefined && !template.canEdit;
  const scopes = scopesFor(me.role);
  const agencies = shareableAgencies(agencyList.data?.items ?? [], me);

  const set = <K extends keyof TemplateContent>(field: K, value: TemplateContent[K]) => {
    const next = { ...values, [field]: value };
    setValues(next);
    if (Object.keys(errors).length > 0) setErrors(validate(next));
  };

  const insert = (text: string) => {
    if (lastField.current === "email") emailRef.current?.insert(text);
    else if (lastField.current === "subject")
      set("emailSubject", insertAtCaret(subjectRef.current, values.emailSubject, text));
    else set("smsBody", insertAtCaret(smsRef.current, values.smsBody, text));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0 || busy || readOnly) return;
    setBusy(true);
    setFailure(null);
    const content = {
      ...values,
      name: values.name.trim(),
      agencyId: values.scope === "agency" ? values.agencyId : undefined,
    };
    try {
      if (template) await templates.update(template.templateId, content);
      else await templates.create(content);
      toast(t("templates.saved", { name: content.name }));
      navigate("/templates");
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <form className="template-form" noValidate onSubmit={submit} data-testid="template-form">
      {readOnly && (
        <Notice tone="info" testId="template-read-only">
          <p>{t("templates.readOnly")}</p>
        </Notice>
      )}
      <section className="card card-padded form form-flush">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("templates.field.name")}</label>
          <input
            id={`${id}-name`}
            value={values.name}
            maxLength={120}
            disabled={busy || readOnly}
            aria-invalid={errors.name ? true : undefined}
            onChange={(event) => set("name", event.target.value)}
            data-testid="template-name"
          />
          {errors.name && <FieldError>{t(errors.name)}</FieldError>}
        </div>
        <div className="field-row">
          <fieldset className="field">
            <legend className="field-label">{t("templates.field.kind")}</legend>
            <div className="kind-choice" role="radiogroup">
              {templateKinds.map((kind) => (
                <label
                  key={kind}
                  className={values.kind === kind ? "kind-option is-selected" : "kind-option"}
                >
                  <input
                    type="radio"
                    name={`${id}-kind`}
                    value={kind}
                    checked={values.kind === kind}
                    disabled={busy || readOnly}
                    onChange={() => set("kind", kind)}
                    data-testid={`template-kind-${kind}`}
                  />
                  <Icon name={kind === "yesno" ? "yesNo" : "announce"} size={14} />
                  {t(`templates.kind.${kind}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-scope`}>{t("templates.field.scope")}</label>
            <select
              id={`${id}-scope`}
              value={values.scope}
              disabled={busy || readOnly}
              onChange={(event) => {
                const scope = event.target.value as TemplateScope;
                setValues((current) => ({
                  ...current,
                  scope,
                  agencyId:
                    scope === "agency"
                      ? (current.agencyId ?? (agencies.length === 1 ? agencies[0]?.agencyId : undefined))
                      : undefined,
                }));
              }}
              data-testid="template-scope"
            >
              {(readOnly ? templateScopes : scopes).map((scope) => (
                <option key={scope} value={scope}>
                  {t(`templates.scope.${scope}`)}
                </option>
              ))}
            </select>
            <p className="field-hint">{t(`templates.scope.${values.scope}.hint`)}</p>
          </div>
        </div>
        {values.scope === "agency" && (
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("templates.field.agency")}</label>
            <select
              id={`${id}-agency`}
              value={values.agencyId ?? ""}
              disabled={busy || readOnly}
              aria-invalid={errors.agency ? true : undefined}
              onChange={(event) => set("agencyId", event.target.value || undefined)}
              data-testid="template-agency"
            >
              <option value="">{t("templates.field.agencyChoose")}</option>
              {agencies.map((agency) => (
                <option key={agency.agencyId} value={agency.agencyId}>
                  {agency.name}
                </option>
              ))}
            </select>
            {errors.agency && <FieldError>{t(errors.agency)}</FieldError>}
          </div>
        )}
      </section>

      <section className="card card-padded form form-flush">
        <div className="label-row">
          <h2>{t("templates.section.message")}</h2>
          <span className="text-subtle">{t("templates.var.legend")}</span>
        </div>
        {!readOnly && <VariableButtons onInsert={insert} disabled={busy} />}
        <SmsBodyField
          id={`${id}-sms`}
          label={t("templates.field.sms")}
          value={values.smsBody}
          disabled={busy || readOnly}
          textareaRef={smsRef}
          onFocus={() => {
            lastField.current = "sms";
          }}
          onChange={(value) => set("smsBody", value)}
          hint={t(values.kind === "yesno" ? "templates.sms.yesnoHint" : "templates.sms.infoHint")}
        />
        <div className="field">
          <label htmlFor={`${id}-subject`}>{t("templates.field.emailSubject")}</label>
          <input
            id={`${id}-subject`}
            ref={subjectRef}
            value={values.emailSubject}
            maxLength={200}
            disabled={busy || readOnly}
            onFocus={() => {
              lastField.current = "subject";
            }}
            onChange={(event) => set("emailSubject", event.target.value)}
            data-testid="template-email-subject"
          />
        </div>
        <div className="field">
          <span className="field-label" id={`${id}-email-label`}>
            {t("templates.field.emailBody")}
          </span>
          <RichTextEditor
            id={`${id}-email`}
            ref={emailRef}
            labelledBy={`${id}-email-label`}
            value={values.emailHtml}
            disabled={busy || readOnly}
            onFocus={() => {
              lastField.current = "email";
            }}
            onChange={(html) => set("emailHtml", html)}
          />
          <p className="field-hint">{t("templates.field.emailHint")}</p>
        </div>
        <VariableLegend bodies={[values.smsBody, values.emailSubject, values.emailHtml]} />
        {errors.body && <FieldError>{t(errors.body)}</FieldError>}
      </section>

      {failure && (
        <Notice tone="error">
          <p>{failure}</p>
        </Notice>
      )}
      <div className="form-actions template-actions">
        {template && (
          <>
            <button
              type="button"
              className="button"
              onClick={() => void duplicateTemplate(template, t)}
              disabled={busy}
              data-testid="template-duplicate"
            >
              <Icon name="copy" />
              {t("templates.duplicate")}
            </button>
            {template.canEdit && (
              <button
                type="button"
                className="button button-danger"
                onClick={() => setDeleting(true)}
                disabled={busy}
                data-testid="template-delete"
              >
                {t("templates.delete.action")}
              </button>
            )}
          </>
        )}
        <span className="footer-spacer" />
        <Link href="/templates" className="button">
          {t("common.cancel")}
        </Link>
        {!readOnly && (
          <button type="submit" className="button button-primary" disabled={busy} data-testid="template-save">
            {busy && <span className="spinner" aria-hidden="true" />}
            {t("common.save")}
          </button>
        )}
      </div>
      {deleting && template && (
        <DeleteTemplateDialog
          template={template}
          onClose={() => setDeleting(false)}
          onDeleted={() => navigate("/templates")}
        />
      )}
    </form>
  );
}

export function TemplateNewPage() {
  usePageTitle("templates.new");
  const { t } = useI18n();
  const kind = useSearchParam("kind") === "info" ? "info" : "yesno";
  return (
    <div className="page page-narrow template-page">
      <header className="page-header">
        <div>
          <Link href="/templates" className="back-link">
            <Icon name="chevronLeft" size={14} />
            {t("templates.title")}
          </Link>
          <h1>{t("templates.new")}</h1>
        </div>
      </header>
      <TemplateForm initialKind={kind} />
    </div>
  );
}

export function TemplateEditPage() {
  usePageTitle("templates.edit");
  const { t } = useI18n();
  const templateId = matchPath("/templates/:templateId", usePathname())?.templateId ?? "";
  const resource = useResource(() => templates.get(templateId), templateId);
  const template = resource.data?.template;
  return (
    <div className="page page-narrow template-page">
      <header className="page-header">
        <div>
          <Link href="/templates" className="back-link">
            <Icon name="chevronLeft" size={14} />
            {t("templates.title")}
          </Link>
          <h1>{template?.name ?? t("templates.edit")}</h1>
        </div>
      </header>
      {resource.error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, resource.error)}</p>
        </Notice>
      )}
      {!template && resource.loading && <p className="text-subtle">{t("app.loading")}</p>}
      {template && <TemplateForm key={template.templateId} template={template} initialKind={template.kind} />}
    </div>
  );
}
