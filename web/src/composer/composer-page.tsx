import "./composer.css";
import "../templates/templates.css";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { Modal } from "../components/modal";
import { FieldError, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { lists as listsApi } from "../lists/client";
import { usePageTitle } from "../page-title";
import { usePathname, useSearchParam } from "../router";
import { useMe } from "../session/session-store";
import { type Template, type TemplateKind, templates } from "../templates/client";
import { customNames, replaceableCharacters, toGsm } from "../templates/message-text";
import { RichTextEditor, type RichTextHandle } from "../templates/rich-text-editor";
import { SmsBodyField } from "../templates/sms-body-field";
import { TemplateBrowser } from "../templates/template-browser";
import { insertAtCaret, VariableButtons } from "../templates/variable-buttons";
import { acceptedTypes, maxAttachments, useAttachments } from "./attachments";
import { campaigns, type Draft } from "./client";
import { RecipientPreview, recipientLabel, Totals } from "./preview-panel";
import { noRecipients, type Recipients, takeHandedContacts, toSources } from "./recipients";
import { RecipientsField } from "./recipients-field";
import { ReviewDialog } from "./review-dialog";
import { SaveTemplateDialog } from "./save-template-dialog";
import { parisToIso, parisWall, tomorrowInParis } from "./schedule";
import {
  DepartureNotice,
  Schedule,
  type ScheduleValue,
  scheduleProblem,
  sendAtOf,
  useDeparture,
} from "./schedule-field";
import { usePreview } from "./use-preview";

/** Why « Envoyer » is disabled, and the field to go to. */
type Reason = { key: MessageKey; vars?: Record<string, string>; target?: string };

const hasText = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .trim() !== "";

/**
 * « Nouveau Oui/Non » and « Nouvelle info »: recipients, title, agency, reference, body from scratch or
 * a template, custom variables, attachments and schedule on the left; the live preview, totals and the
 * send button on the right. Sending goes through a review of everything first.
 */
export function ComposerPage() {
  const kind: TemplateKind = usePathname().endsWith("/info") ? "info" : "yesno";
  usePageTitle(kind === "yesno" ? "nav.newYesNo" : "nav.newInfo");
  const { t, number } = useI18n();
  const me = useMe();
  const id = useId();
  const templateParam = useSearchParam("template");
  const listParam = useSearchParam("list");
  const selectionParam = useSearchParam("selection");

  const [recipients, setRecipients] = useState<Recipients>(noRecipients);
  const [title, setTitle] = useState("");
  const [agencyId, setAgencyId] = useState("");
  const [reference, setReference] = useState("");
  const [smsBody, setSmsBody] = useState("");
  const [emailSubject, setEmailSubject] = useState("");
  const [emailHtml, setEmailHtml] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const attachments = useAttachments();
  const { files } = attachments;
  const [schedule, setSchedule] = useState<ScheduleValue>(() => ({
    mode: "now",
    date: tomorrowInParis(),
    time: "09:00",
  }));
  // The default « Programmer » time is the first allowed one from tomorrow 09:00 (not a Sunday in quiet
  // hours), unless the user has already chosen one.
  const scheduleTouched = useRef(false);
  useEffect(() => {
    const asked = parisToIso(tomorrowInParis(), "09:00");
    if (!asked) return;
    campaigns.departure(asked).then(
      ({ leavesAt }) => {
        if (scheduleTouched.current || leavesAt === new Date(asked).toISOString()) return;
        setSchedule((current) => ({ ...current, ...parisWall(leavesAt) }));
      },
      () => undefined,
    );
  }, []);
  const [bodyTab, setBodyTab] = useState<"sms" | "email">("sms");
  /** Urgent sends ignore quiet hours (audited); only for « now ». */
  const [urgent, setUrgent] = useState(false);
  const [template, setTemplate] = useState<Template | null>(null);
  const [dialog, setDialog] = useState<"template" | "save" | "review" | null>(null);
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined);
  const [touched, setTouched] = useState(false);
  const smsRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<RichTextHandle>(null);
  const lastField = useRef<"sms" | "subject" | "email">("sms");

  const agencyList = useResource(() => agenciesApi.list());
  const agencies = useMemo(() => agencyList.data?.items ?? [], [agencyList.data]);
  useEffect(() => {
    if (!agencyId && agencies.length === 1 && agencies[0]) setAgencyId(agencies[0].agencyId);
  }, [agencies, agencyId]);

  const apply = (picked: Template) => {
    setTemplate(picked);
    setSmsBody(picked.smsBody);
    setEmailSubject(picked.emailSubject);
    setEmailHtml(picked.emailHtml);
    setTitle((current) => current || picked.name);
    setBodyTab(picked.smsBody || !picked.emailHtml ? "sms" : "email");
  };

  // « Utiliser » on a template, « Envoyer à cette liste » on a list: once per id named in the address
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the address triggers it
  useEffect(() => {
    if (!templateParam) return;
    templates.get(templateParam).then(
      ({ template: found }) => apply(found),
      (error: unknown) => toast(errorText(t, error), "error"),
    );
  }, [templateParam]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the address triggers it
  useEffect(() => {
    if (!listParam) return;
    listsApi.get(listParam).then(
      ({ list }) =>
        setRecipients((current) => ({
          ...current,
          lists: [
            ...current.lists.filter((other) => other.listId !== list.listId),
            {
              listId: list.listId,
              name: list.name,
              members: list.memberCount,
              fields: list.fields.map((field) => field.name),
            },
          ],
        })),
      (error: unknown) => toast(errorText(t, error), "error"),
    );
  }, [listParam]);

  // « Envoyer à la sélection » from the contacts page: the picked contacts, once.
  useEffect(() => {
    if (!selectionParam) return;
    const handed = takeHandedContacts();
    if (handed.length === 0) return;
    setRecipients((current) => ({
      ...current,
      contacts: [
        ...current.contacts.filter(
          (contact) => !handed.some((other) => other.contactId === contact.contactId),
        ),
        ...handed,
      ],
    }));
  }, [selectionParam]);

  const needed = customNames(smsBody, emailSubject, emailHtml);
  const filledValues = Object.fromEntries(
    [...needed, ...Object.keys(values).filter((key) => key.startsWith("%"))].flatMap((name) =>
      values[name]?.trim() ? [[name, values[name].trim()]] : [],
    ),
  );
  const sources = toSources(recipients);
  const hasSources = sources.entries.length + sources.contactIds.length + sources.listIds.length > 0;
  const hasBody = smsBody.trim() !== "" || hasText(emailHtml);
  const draft: Draft | null =
    hasSources && hasBody
      ? {
          kind,
          smsBody,
          emailSubject,
          emailHtml: hasText(emailHtml) ? emailHtml : "",
          recipients: sources,
          values: filledValues,
          attachments: attachments.attachmentIds.length,
        }
      : null;
  const preview = usePreview(draft);
  const data = draft ? preview.data : undefined;

  const fromLists = new Set(
    (data?.variables.fromLists ?? recipients.lists.flatMap((list) => list.fields)).map((name) =>
      name.toLowerCase(),
    ),
  );
  // the last answer's gaps, kept while a newer one is computed so inputs do not blink
  const missingForSome = new Set(data?.variables.missing ?? []);
  const variableFields = needed.map((name) => ({
    name,
    fromList: fromLists.has(name),
    required: !fromLists.has(name) || missingForSome.has(name),
    // once typed, a value stays visible (and editable) even when the list then covers everyone
    needsValue: !fromLists.has(name) || missingForSome.has(name) || values[name] !== undefined,
  }));
  // Globals some recipients lack (« Bonjour , … »): a fallback word, kept once typed.
  const emptyGlobals = [
    ...(data?.variables.emptyGlobals ?? []),
    ...Object.keys(values)
      .filter(
        (key) => key.startsWith("%") && !data?.variables.emptyGlobals.some((item) => `%${item.name}` === key),
      )
      .map((key) => ({ name: key.slice(1), recipients: 0 })),
  ];
  const unfilled = variableFields.filter((field) => field.required && !values[field.name]?.trim());

  const reasons: Reason[] = [];
  if (!title.trim()) reasons.push({ key: "composer.reason.title", target: `${id}-title` });
  if (!agencyId) reasons.push({ key: "composer.reason.agency", target: `${id}-agency` });
  if (!hasSources) reasons.push({ key: "composer.reason.recipients", target: `${id}-to` });
  if (!hasBody) reasons.push({ key: "composer.reason.body", target: `${id}-sms` });
  if (unfilled.length > 0) {
    reasons.push({
      key: "composer.reason.variables",
      vars: { names: unfilled.map((field) => `%${field.name}%`).join(", ") },
      target: `${id}-var-${unfilled[0]?.name}`,
    });
  }
  if (attachments.uploading) reasons.push({ key: "composer.reason.uploading" });
  else if (attachments.failed) reasons.push({ key: "composer.reason.attachmentFailed" });
  const departure = useDeparture(
    sendAtOf(schedule),
    schedule.mode === "now" && me?.canSendUrgent === true && urgent,
  );
  const timing = scheduleProblem(schedule);
  if (timing) reasons.push({ key: timing, target: `${id}-schedule` });
  if (reasons.length === 0) {
    if (preview.stale || preview.loading) reasons.push({ key: "composer.reason.computing" });
    else if (preview.error !== undefined) reasons.push({ key: "composer.reason.previewFailed" });
    else if (data && data.totals.sms + data.totals.email === 0)
      reasons.push({ key: "composer.reason.nobody" });
  }
  const reason = reasons[0];

  const insert = (text: string) => {
    if (lastField.current === "email" && bodyTab === "email") emailRef.current?.insert(text);
    else if (lastField.current === "subject" && bodyTab === "email")
      setEmailSubject(insertAtCaret(subjectRef.current, emailSubject, text));
    else setSmsBody(insertAtCaret(smsRef.current, smsBody, text));
  };

  const selected =
    data?.recipients.find((recipient) => recipient.key === selectedKey) ??
    data?.recipients.find((recipient) => recipient.channel === "sms");
  const selectedSms = selected?.channel === "sms" ? selected.sms : undefined;

  const addFiles = (list: FileList | null) => {
    if (!list) return;
    if (attachments.add([...list]) > 0)
      toast(t("composer.attachments.tooMany", { max: maxAttachments }), "info");
  };

  if (!me) return null;

  return (
    <div className="page page-wide composer-page" data-testid="composer" data-kind={kind}>
      <header className="page-header">
        <div>
          <h1>{t(kind === "yesno" ? "nav.newYesNo" : "nav.newInfo")}</h1>
          <p className="page-subtitle">
            {t(kind === "yesno" ? "composer.subtitle.yesno" : "composer.subtitle.info")}
          </p>
        </div>
      </header>

      <div className="composer">
        <div className="composer-form">
          <section className="card card-padded form form-flush">
            <RecipientsField
              id={`${id}-to`}
              value={recipients}
              onChange={setRecipients}
              preview={preview.stale ? undefined : data}
              invalid={touched && !hasSources}
            />
          </section>

          <section className="card card-padded form form-flush">
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-title`}>{t("composer.field.title")}</label>
                <input
                  id={`${id}-title`}
                  value={title}
                  maxLength={200}
                  aria-invalid={touched && !title.trim() ? true : undefined}
                  onChange={(event) => setTitle(event.target.value)}
                  data-testid="composer-title"
                />
                <p className="field-hint">{t("composer.field.titleHint")}</p>
              </div>
              <div className="field">
                <label htmlFor={`${id}-agency`}>{t("composer.field.agency")}</label>
                <select
                  id={`${id}-agency`}
                  value={agencyId}
                  aria-invalid={touched && !agencyId ? true : undefined}
                  onChange={(event) => setAgencyId(event.target.value)}
                  data-testid="composer-agency"
                >
                  <option value="">{t("composer.field.agencyChoose")}</option>
                  {agencies.map((agency) => (
                    <option key={agency.agencyId} value={agency.agencyId}>
                      {agency.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="field">
              <label htmlFor={`${id}-reference`}>
                {t("composer.field.reference")} <span className="optional">{t("common.optional")}</span>
              </label>
              <input
                id={`${id}-reference`}
                value={reference}
                maxLength={100}
                onChange={(event) => setReference(event.target.value)}
                data-testid="composer-reference"
              />
            </div>
          </section>

          <section className="card card-padded form form-flush composer-message">
            <div className="label-row">
              <h2>{t("composer.section.message")}</h2>
              <span className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setDialog("template")}
                  data-testid="choose-template"
                >
                  <Icon name="templates" size={14} />
                  {t("composer.template.choose")}
                </button>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setDialog("save")}
                  disabled={!hasBody}
                  data-testid="save-as-template"
                >
                  {t("composer.template.save")}
                </button>
              </span>
            </div>
            {template && (
              <p className="template-applied" data-testid="template-applied">
                <Icon name="templates" size={14} />
                {t("composer.template.applied", { name: template.name })}
              </p>
            )}
            <div className="tabs" role="tablist" aria-label={t("composer.section.message")}>
              {(["sms", "email"] as const).map((tab) => (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  className="tab"
                  aria-selected={bodyTab === tab}
                  onClick={() => setBodyTab(tab)}
                  data-testid={`body-tab-${tab}`}
                >
                  <Icon name={tab === "sms" ? "sms" : "email"} size={14} />
                  {t(`composer.channel.${tab}`)}
                  {tab === "email" && !hasText(emailHtml) && (
                    <span className="tab-count">{t("composer.body.none")}</span>
                  )}
                </button>
              ))}
            </div>
            <VariableButtons onInsert={insert} />
            {bodyTab === "sms" ? (
              <SmsBodyField
                id={`${id}-sms`}
                label={t("templates.field.sms")}
                value={smsBody}
                onChange={setSmsBody}
                textareaRef={smsRef}
                onFocus={() => {
                  lastField.current = "sms";
                }}
                figures={selectedSms}
                figuresFor={selectedSms && selected ? recipientLabel(selected) : undefined}
                onFixValues={
                  Object.values(values).some((value) => replaceableCharacters(value).length > 0)
                    ? () =>
                        setValues((current) =>
                          Object.fromEntries(
                            Object.entries(current).map(([name, value]) => [name, toGsm(value)]),
                          ),
                        )
                    : undefined
                }
                withLink={attachments.attachmentIds.length > 0}
                hint={t(kind === "yesno" ? "templates.sms.yesnoHint" : "templates.sms.infoHint")}
              />
            ) : (
              <>
                <div className="field">
                  <label htmlFor={`${id}-subject`}>{t("templates.field.emailSubject")}</label>
                  <input
                    id={`${id}-subject`}
                    ref={subjectRef}
                    value={emailSubject}
                    maxLength={200}
                    onFocus={() => {
                      lastField.current = "subject";
                    }}
                    onChange={(event) => setEmailSubject(event.target.value)}
                    data-testid="composer-email-subject"
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
                    value={emailHtml}
                    onFocus={() => {
                      lastField.current = "email";
                    }}
                    onChange={setEmailHtml}
                  />
                  <p className="field-hint">{t("composer.body.emailHint")}</p>
                </div>
              </>
            )}
            {touched && !hasBody && <FieldError>{t("composer.reason.body")}</FieldError>}

            {variableFields.length > 0 && (
              <fieldset className="variables" data-testid="custom-variables">
                <legend>{t("composer.variables.title")}</legend>
                {variableFields.map((field) => (
                  <div
                    className="variable-row"
                    key={field.name}
                    data-testid="variable-row"
                    data-name={field.name}
                  >
                    <label htmlFor={`${id}-var-${field.name}`} className="msg-var msg-var-custom">
                      %{field.name}%
                    </label>
                    {field.needsValue ? (
                      <input
                        id={`${id}-var-${field.name}`}
                        value={values[field.name] ?? ""}
                        maxLength={500}
                        placeholder={t("composer.variables.placeholder")}
                        aria-invalid={touched && !values[field.name]?.trim() ? true : undefined}
                        onChange={(event) =>
                          setValues((current) => ({ ...current, [field.name]: event.target.value }))
                        }
                        data-testid={`variable-${field.name}`}
                      />
                    ) : (
                      <span
                        className="text-subtle from-list"
                        data-testid={`variable-${field.name}-from-list`}
                      >
                        <Icon name="lists" size={14} />
                        {t("composer.variables.fromList")}
                      </span>
                    )}
                    {field.fromList && field.needsValue && (
                      <span className="field-hint">{t("composer.variables.fromListMissing")}</span>
                    )}
                  </div>
                ))}
              </fieldset>
            )}
            {emptyGlobals.length > 0 && (
              <fieldset className="variables" data-testid="empty-globals">
                <legend>{t("composer.globals.title")}</legend>
                {emptyGlobals.map((item) => (
                  <div
                    className="variable-row"
                    key={item.name}
                    data-testid="empty-global"
                    data-name={item.name}
                  >
                    <label htmlFor={`${id}-global-${item.name}`} className="msg-var msg-var-global">
                      %{item.name}
                    </label>
                    <input
                      id={`${id}-global-${item.name}`}
                      value={values[`%${item.name}`] ?? ""}
                      maxLength={500}
                      placeholder={t("composer.globals.placeholder")}
                      onChange={(event) =>
                        setValues((current) => ({ ...current, [`%${item.name}`]: event.target.value }))
                      }
                      data-testid={`fallback-${item.name}`}
                    />
                    {item.recipients > 0 && (
                      <span className="field-hint">
                        {t("composer.globals.empty", { count: number(item.recipients) })}
                      </span>
                    )}
                  </div>
                ))}
              </fieldset>
            )}
          </section>

          <section className="card card-padded form form-flush">
            <div className="label-row">
              <h2>{t("composer.attachments.title")}</h2>
              <span className="text-subtle">{t("composer.attachments.limit", { max: maxAttachments })}</span>
            </div>
            <div className="attachments">
              {files.map(({ id: fileId, file, progress, attachmentId, error }) => (
                <span
                  className={`rcpt-chip${error ? " rcpt-chip-rejected" : ""}`}
                  key={fileId}
                  data-testid="attachment"
                  data-state={error ? "error" : attachmentId ? "ready" : "uploading"}
                  title={error ? t(`composer.attachments.error.${error}`) : undefined}
                >
                  <Icon name={error ? "warning" : "file"} size={12} />
                  <span className="rcpt-chip-main">{file.name}</span>
                  <span className="rcpt-chip-detail">
                    {error
                      ? t(`composer.attachments.error.${error}`)
                      : attachmentId
                        ? `${number(Math.max(1, Math.round(file.size / 1024)))} Ko`
                        : `${Math.round(progress * 100)} %`}
                  </span>
                  {!error && !attachmentId && (
                    <progress className="chip-progress" max={1} value={progress} aria-label={file.name} />
                  )}
                  <button
                    type="button"
                    className="rcpt-chip-remove"
                    aria-label={t("composer.to.remove", { name: file.name })}
                    onClick={() => attachments.remove(fileId)}
                  >
                    <Icon name="close" size={12} />
                  </button>
                </span>
              ))}
              {files.length < maxAttachments && (
                <label className="button button-small" htmlFor={`${id}-files`}>
                  <Icon name="upload" size={14} />
                  {t("composer.attachments.add")}
                </label>
              )}
              <input
                id={`${id}-files`}
                type="file"
                multiple
                accept={acceptedTypes.join(",")}
                className="visually-hidden"
                onChange={(event) => {
                  addFiles(event.target.files);
                  event.target.value = "";
                }}
                data-testid="attachments-input"
              />
            </div>
            {files.length > 0 && (
              <p className="field-hint" data-testid="attachments-unit">
                <Icon name="info" size={12} /> {t("composer.attachments.unit")}
              </p>
            )}
          </section>

          <section className="card card-padded form form-flush">
            <h2>{t("composer.schedule.title")}</h2>
            <Schedule
              value={schedule}
              onChange={(value) => {
                scheduleTouched.current = true;
                setSchedule(value);
              }}
            />
            <DepartureNotice departure={departure} />
            {/* Urgent means now, and only for the roles the company allows (delivery settings). */}
            {schedule.mode === "now" && me.canSendUrgent && (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={urgent}
                  onChange={(event) => setUrgent(event.target.checked)}
                  data-testid="composer-urgent"
                />
                {t("composer.urgent")}
              </label>
            )}
          </section>
        </div>

        <aside className="composer-side" aria-label={t("composer.preview.title")}>
          <section className="card card-padded composer-send" data-testid="composer-send-card">
            <Totals preview={data} stale={preview.stale} />
            <div className="send-row">
              <button
                type="button"
                className="button button-primary send-button"
                disabled={reason !== undefined}
                aria-describedby={`${id}-reason`}
                onClick={() => setDialog("review")}
                data-testid="composer-send"
              >
                <Icon name={schedule.mode === "later" ? "clock" : "send"} />
                {t(schedule.mode === "later" ? "composer.send.schedule" : "composer.send.now")}
              </button>
              <p
                className={reason ? "send-reason" : "send-reason is-ready"}
                id={`${id}-reason`}
                data-testid="send-reason"
                aria-live="polite"
              >
                {reason?.target ? (
                  <button
                    type="button"
                    className="inline-link"
                    onClick={() => {
                      setTouched(true);
                      if (reason.key === "composer.reason.body") setBodyTab("sms");
                      document.getElementById(reason.target ?? "")?.focus();
                    }}
                  >
                    {t(reason.key, reason.vars)}
                  </button>
                ) : reason ? (
                  t(reason.key, reason.vars)
                ) : (
                  t("composer.reason.ready")
                )}
              </p>
            </div>
            {preview.error !== undefined && (
              <Notice tone="error">
                <p>{errorText(t, preview.error)}</p>
              </Notice>
            )}
          </section>
          <section className="card card-padded composer-preview">
            <h2>{t("composer.preview.title")}</h2>
            <RecipientPreview
              preview={data}
              selectedKey={selected?.key ?? selectedKey}
              onSelect={setSelectedKey}
              attachments={files.length}
            />
          </section>
        </aside>
      </div>

      {dialog === "template" && (
        <Modal
          title={t("composer.template.pickTitle")}
          size="large"
          onClose={() => setDialog(null)}
          testId="template-picker"
        >
          <TemplateBrowser
            kind={kind}
            onPick={(picked) => {
              apply(picked);
              setDialog(null);
              toast(t("composer.template.appliedToast", { name: picked.name }), "info");
            }}
          />
        </Modal>
      )}
      {dialog === "save" && (
        <SaveTemplateDialog
          kind={kind}
          content={{ smsBody, emailSubject, emailHtml: hasText(emailHtml) ? emailHtml : "" }}
          suggestedName={title || template?.name || ""}
          agencies={agencies}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setTemplate(saved);
            setDialog(null);
          }}
        />
      )}
      {dialog === "review" && draft && data && (
        <ReviewDialog
          draft={draft}
          preview={data}
          title={title.trim()}
          reference={reference.trim()}
          agency={agencies.find((agency) => agency.agencyId === agencyId)}
          sendAt={sendAtOf(schedule)}
          departure={departure}
          attachmentIds={attachments.attachmentIds}
          urgent={schedule.mode === "now" && me.canSendUrgent && urgent}
          rejected={recipients.rejected.length}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
