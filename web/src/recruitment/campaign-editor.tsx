import "./recruitment.css";
import { type FormEvent, useEffect, useId, useState } from "react";
import { agencies } from "../accounts/client";
import { ErrorNotice, FieldError } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, navigate, usePathname } from "../router";
import { type Campaign, campaigns, type FieldKind, fieldKinds } from "./client";
import { CopyLink, campaignHref, recruitmentErrorText } from "./recruitment-parts";
import { useUserNames } from "./user-names";

type FieldDraft = {
  key: string;
  fieldId?: string;
  kind: FieldKind;
  fr: string;
  en: string;
  required: boolean;
  /** For a choice: one option a line. */
  options: string;
};
type StatusDraft = { key: string; statusId?: string; fr: string; en: string };

const defaultStatuses: StatusDraft[] = [
  { key: "en-evaluation", statusId: "en-evaluation", fr: "En cours d'évaluation", en: "Under review" },
  { key: "retenu", statusId: "retenu", fr: "Retenu", en: "Accepted" },
  { key: "refuse", statusId: "refuse", fr: "Refusé", en: "Rejected" },
];

let counter = 0;
const newKey = () => `new-${++counter}`;

/** `Référence du poste` → `reference-du-poste`, the shape the API wants for ids. */
function slugOf(text: string): string {
  const slug = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30);
  return slug || "champ";
}

/** A unique id among `taken`, from the label. */
function uniqueId(label: string, taken: Set<string>): string {
  const base = slugOf(label);
  let candidate = base;
  for (let index = 2; taken.has(candidate); index += 1) candidate = `${base}-${index}`;
  taken.add(candidate);
  return candidate;
}

/** An ISO instant as the `YYYY-MM-DDTHH:mm` a datetime-local input holds, in the browser's time. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function move<T>(items: T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= items.length) return items;
  const next = [...items];
  [next[index], next[target]] = [next[target] as T, next[index] as T];
  return next;
}

/** Create (`/recruitment/new`) or edit (`/recruitment/:campaignId/edit`) a recruitment campaign. */
export function RecruitmentEditorPage() {
  const pathname = usePathname();
  const campaignId = matchPath("/recruitment/:campaignId/edit", pathname)?.campaignId;
  usePageTitle(campaignId ? "recruitment.editor.editTitle" : "recruitment.editor.newTitle");
  const existing = useResource(
    () => (campaignId ? campaigns.get(campaignId) : Promise.resolve(undefined)),
    campaignId ?? "",
  );
  const { t } = useI18n();
  if (campaignId && !existing.data)
    return (
      <div className="page">
        <ErrorNotice text={existing.error ? recruitmentErrorText(t, existing.error) : null} />
        {!existing.error && <p className="text-muted">{t("app.loading")}</p>}
      </div>
    );
  return <Editor campaign={existing.data?.campaign} />;
}

function Editor({ campaign }: { campaign?: Campaign }) {
  const { t } = useI18n();
  const id = useId();
  const agencyList = useResource(() => agencies.list());
  const people = useUserNames();
  const [title, setTitle] = useState(campaign?.title ?? "");
  const [agencyId, setAgencyId] = useState(campaign?.agencyId ?? "");
  const [opensAt, setOpensAt] = useState(campaign ? toLocalInput(campaign.opensAt) : "");
  const [closesAt, setClosesAt] = useState(campaign ? toLocalInput(campaign.closesAt) : "");
  const [descriptionFr, setDescriptionFr] = useState(campaign?.description.fr ?? "");
  const [descriptionEn, setDescriptionEn] = useState(campaign?.description.en ?? "");
  const [fields, setFields] = useState<FieldDraft[]>(
    (campaign?.fields ?? []).map((field) => ({
      key: field.fieldId,
      fieldId: field.fieldId,
      kind: field.kind,
      fr: field.label.fr,
      en: field.label.en ?? "",
      required: field.required,
      options: (field.options ?? []).map((option) => option.label.fr).join("\n"),
    })),
  );
  const [statuses, setStatuses] = useState<StatusDraft[]>(
    campaign
      ? campaign.statuses
          .filter((status) => !status.system)
          .map((status) => ({
            key: status.statusId,
            statusId: status.statusId,
            fr: status.label.fr,
            en: status.label.en ?? "",
          }))
      : defaultStatuses,
  );
  const [managerIds, setManagerIds] = useState<string[]>(campaign?.managerIds ?? []);
  const [evaluatorIds, setEvaluatorIds] = useState<string[]>(campaign?.evaluatorIds ?? []);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const agencyItems = agencyList.data?.items ?? [];

  useEffect(() => {
    if (!agencyId && agencyItems.length === 1 && agencyItems[0]) setAgencyId(agencyItems[0].agencyId);
  }, [agencyId, agencyItems]);

  const updateField = (key: string, change: Partial<FieldDraft>) =>
    setFields((current) => current.map((field) => (field.key === key ? { ...field, ...change } : field)));
  const updateStatus = (key: string, change: Partial<StatusDraft>) =>
    setStatuses((current) =>
      current.map((status) => (status.key === key ? { ...status, ...change } : status)),
    );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!title.trim()) found.title = t("recruitment.editor.required");
    if (!agencyId) found.agency = t("recruitment.editor.required");
    if (!opensAt) found.opensAt = t("recruitment.editor.required");
    if (!closesAt) found.closesAt = t("recruitment.editor.required");
    if (opensAt && closesAt && new Date(closesAt) <= new Date(opensAt))
      found.closesAt = t("recruitment.editor.closesBeforeOpens");
    for (const field of fields) {
      if (!field.fr.trim()) found[`field-${field.key}`] = t("recruitment.editor.labelMissing");
      else if (field.kind === "choice" && field.options.split("\n").filter((line) => line.trim()).length < 2)
        found[`field-${field.key}`] = t("recruitment.editor.optionsMissing");
    }
    for (const status of statuses) {
      if (!status.fr.trim()) found[`status-${status.key}`] = t("recruitment.editor.labelMissing");
    }
    setProblems(found);
    if (Object.keys(found).length > 0) {
      setFailure(t("recruitment.editor.fix"));
      return;
    }
    const taken = new Set(fields.flatMap((field) => (field.fieldId ? [field.fieldId] : [])));
    const body = {
      title: title.trim(),
      agencyId,
      opensAt: new Date(opensAt).toISOString(),
      closesAt: new Date(closesAt).toISOString(),
      description: { fr: descriptionFr.trim(), en: descriptionEn.trim() || undefined },
      fields: fields.map((field) => {
        const optionIds = new Set<string>();
        return {
          fieldId: field.fieldId ?? uniqueId(field.fr, taken),
          kind: field.kind,
          label: { fr: field.fr.trim(), en: field.en.trim() || undefined },
          required: field.required,
          options:
            field.kind === "choice"
              ? field.options
                  .split("\n")
                  .map((line) => line.trim())
                  .filter(Boolean)
                  .map((line) => ({ value: uniqueId(line, optionIds), label: { fr: line } }))
              : undefined,
        };
      }),
      statuses: statuses.map((status) => ({
        statusId: status.statusId,
        label: { fr: status.fr.trim(), en: status.en.trim() || undefined },
      })),
      managerIds,
      evaluatorIds,
    };
    setBusy(true);
    setFailure(null);
    try {
      const saved = campaign
        ? await campaigns.update(campaign.campaignId, body)
        : await campaigns.create(body);
      toast(t(campaign ? "recruitment.editor.saved" : "recruitment.editor.created"));
      navigate(campaignHref(saved.campaign.campaignId));
    } catch (error) {
      setFailure(recruitmentErrorText(t, error));
      setBusy(false);
    }
  };

  const problem = (key: string) =>
    problems[key] ? { "aria-invalid": true, "aria-describedby": `${id}-${key}-error` } : {};
  const errorOf = (key: string) =>
    problems[key] && <FieldError id={`${id}-${key}-error`}>{problems[key]}</FieldError>;

  const pickPeople = (label: string, value: string[], onChange: (ids: string[]) => void, testId: string) => (
    <fieldset className="check-list recruitment-people" data-testid={testId}>
      <legend>{label}</legend>
      {people.users.length === 0 && <p className="text-subtle">{t("recruitment.editor.noUsers")}</p>}
      {people.users.map((user) => (
        <label key={user.userId} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(user.userId)}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? [...value, user.userId]
                  : value.filter((chosen) => chosen !== user.userId),
              )
            }
          />
          <span>
            {user.firstName} {user.lastName} <span className="text-subtle">{user.email}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );

  return (
    <div className="page">
      <Link href={campaign ? campaignHref(campaign.campaignId) : "/recruitment"} className="back-link">
        <Icon name="chevronLeft" />
        {campaign ? campaign.title : t("recruitment.campaigns.title")}
      </Link>
      <header className="page-header">
        <h1>{t(campaign ? "recruitment.editor.editTitle" : "recruitment.editor.newTitle")}</h1>
      </header>
      <form className="form recruitment-editor" onSubmit={save} noValidate data-testid="recruitment-editor">
        <section className="card card-padded stack">
          <h2>{t("recruitment.editor.general")}</h2>
          <div className="field">
            <label htmlFor={`${id}-title`}>{t("recruitment.campaign.title")}</label>
            <input
              id={`${id}-title`}
              value={title}
              maxLength={120}
              onChange={(event) => setTitle(event.target.value)}
              data-testid="editor-title"
              {...problem("title")}
            />
            {errorOf("title")}
          </div>
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("recruitment.campaign.agency")}</label>
            <select
              id={`${id}-agency`}
              value={agencyId}
              onChange={(event) => setAgencyId(event.target.value)}
              data-testid="editor-agency"
              {...problem("agency")}
            >
              <option value="" disabled>
                {t("recruitment.editor.chooseAgency")}
              </option>
              {agencyItems.map((agency) => (
                <option key={agency.agencyId} value={agency.agencyId}>
                  {agency.name}
                </option>
              ))}
            </select>
            {errorOf("agency")}
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-opens`}>{t("recruitment.campaign.opensAt")}</label>
              <input
                id={`${id}-opens`}
                type="datetime-local"
                value={opensAt}
                onChange={(event) => setOpensAt(event.target.value)}
                data-testid="editor-opens"
                {...problem("opensAt")}
              />
              {errorOf("opensAt")}
            </div>
            <div className="field">
              <label htmlFor={`${id}-closes`}>{t("recruitment.campaign.closesAt")}</label>
              <input
                id={`${id}-closes`}
                type="datetime-local"
                value={closesAt}
                onChange={(event) => setClosesAt(event.target.value)}
                data-testid="editor-closes"
                {...problem("closesAt")}
              />
              {errorOf("closesAt")}
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${id}-description`}>{t("recruitment.editor.description")}</label>
            <textarea
              id={`${id}-description`}
              rows={5}
              value={descriptionFr}
              onChange={(event) => setDescriptionFr(event.target.value)}
              data-testid="editor-description"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-description-en`}>
              {t("recruitment.editor.descriptionEn")} <span className="optional">{t("common.optional")}</span>
            </label>
            <textarea
              id={`${id}-description-en`}
              rows={3}
              value={descriptionEn}
              onChange={(event) => setDescriptionEn(event.target.value)}
            />
          </div>
          {campaign && (
            <div className="field">
              <span className="field-label">{t("recruitment.campaign.publicLink")}</span>
              <CopyLink url={campaign.publicUrl} />
            </div>
          )}
        </section>

        <section className="card card-padded stack" aria-labelledby={`${id}-fields`}>
          <h2 id={`${id}-fields`}>{t("recruitment.editor.fields")}</h2>
          <p className="text-muted">{t("recruitment.editor.fieldsHint")}</p>
          <ol className="recruitment-rows" data-testid="editor-fields">
            {fields.map((field, index) => (
              <li key={field.key} className="recruitment-row" data-testid="editor-field">
                <div className="recruitment-row-main">
                  <div className="field">
                    <label htmlFor={`${id}-${field.key}-kind`}>{t("recruitment.editor.kind")}</label>
                    <select
                      id={`${id}-${field.key}-kind`}
                      value={field.kind}
                      onChange={(event) => updateField(field.key, { kind: event.target.value as FieldKind })}
                      data-testid="editor-field-kind"
                    >
                      {fieldKinds.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`recruitment.kind.${kind}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-${field.key}-fr`}>{t("recruitment.editor.label")}</label>
                    <input
                      id={`${id}-${field.key}-fr`}
                      value={field.fr}
                      maxLength={200}
                      onChange={(event) => updateField(field.key, { fr: event.target.value })}
                      data-testid="editor-field-label"
                      {...problem(`field-${field.key}`)}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-${field.key}-en`}>{t("recruitment.editor.labelEn")}</label>
                    <input
                      id={`${id}-${field.key}-en`}
                      value={field.en}
                      maxLength={200}
                      onChange={(event) => updateField(field.key, { en: event.target.value })}
                    />
                  </div>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={field.required}
                      onChange={(event) => updateField(field.key, { required: event.target.checked })}
                      data-testid="editor-field-required"
                    />
                    <span>{t("recruitment.editor.requiredField")}</span>
                  </label>
                </div>
                {field.kind === "choice" && (
                  <div className="field">
                    <label htmlFor={`${id}-${field.key}-options`}>{t("recruitment.editor.options")}</label>
                    <textarea
                      id={`${id}-${field.key}-options`}
                      rows={3}
                      value={field.options}
                      onChange={(event) => updateField(field.key, { options: event.target.value })}
                      data-testid="editor-field-options"
                    />
                  </div>
                )}
                {errorOf(`field-${field.key}`)}
                <RowButtons
                  label={field.fr || t(`recruitment.kind.${field.kind}`)}
                  first={index === 0}
                  last={index === fields.length - 1}
                  onMove={(by) => setFields((current) => move(current, index, by))}
                  onRemove={() => setFields((current) => current.filter((item) => item.key !== field.key))}
                />
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="button"
            onClick={() =>
              setFields((current) => [
                ...current,
                { key: newKey(), kind: "text", fr: "", en: "", required: false, options: "" },
              ])
            }
            data-testid="editor-add-field"
          >
            <Icon name="plus" />
            {t("recruitment.editor.addField")}
          </button>
        </section>

        <section className="card card-padded stack" aria-labelledby={`${id}-statuses`}>
          <h2 id={`${id}-statuses`}>{t("recruitment.editor.statuses")}</h2>
          <p className="text-muted">{t("recruitment.editor.statusesHint")}</p>
          <ol className="recruitment-rows" data-testid="editor-statuses">
            {statuses.map((status, index) => (
              <li key={status.key} className="recruitment-row" data-testid="editor-status">
                <div className="recruitment-row-main">
                  <div className="field">
                    <label htmlFor={`${id}-${status.key}-fr`}>{t("recruitment.editor.label")}</label>
                    <input
                      id={`${id}-${status.key}-fr`}
                      value={status.fr}
                      maxLength={200}
                      onChange={(event) => updateStatus(status.key, { fr: event.target.value })}
                      {...problem(`status-${status.key}`)}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-${status.key}-en`}>{t("recruitment.editor.labelEn")}</label>
                    <input
                      id={`${id}-${status.key}-en`}
                      value={status.en}
                      maxLength={200}
                      onChange={(event) => updateStatus(status.key, { en: event.target.value })}
                    />
                  </div>
                </div>
                {errorOf(`status-${status.key}`)}
                <RowButtons
                  label={status.fr}
                  first={index === 0}
                  last={index === statuses.length - 1}
                  onMove={(by) => setStatuses((current) => move(current, index, by))}
                  onRemove={() => setStatuses((current) => current.filter((item) => item.key !== status.key))}
                />
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="button"
            onClick={() => setStatuses((current) => [...current, { key: newKey(), fr: "", en: "" }])}
            data-testid="editor-add-status"
          >
            <Icon name="plus" />
            {t("recruitment.editor.addStatus")}
          </button>
        </section>

        <section className="card card-padded stack">
          <h2>{t("recruitment.editor.people")}</h2>
          <div className="recruitment-columns">
            {pickPeople(t("recruitment.editor.managers"), managerIds, setManagerIds, "editor-managers")}
            {pickPeople(
              t("recruitment.editor.evaluators"),
              evaluatorIds,
              setEvaluatorIds,
              "editor-evaluators",
            )}
          </div>
        </section>

        <ErrorNotice text={failure} />
        <div className="form-actions">
          <Link href={campaign ? campaignHref(campaign.campaignId) : "/recruitment"} className="button">
            {t("common.cancel")}
          </Link>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="editor-save">
            {busy && <span className="spinner" aria-hidden="true" />}
            {t(campaign ? "common.save" : "recruitment.editor.create")}
          </button>
        </div>
      </form>
    </div>
  );
}

function RowButtons({
  label,
  first,
  last,
  onMove,
  onRemove,
}: {
  label: string;
  first: boolean;
  last: boolean;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button button-small"
        disabled={first}
        onClick={() => onMove(-1)}
        aria-label={t("recruitment.editor.up", { name: label })}
      >
        ↑
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={last}
        onClick={() => onMove(1)}
        aria-label={t("recruitment.editor.down", { name: label })}
      >
        ↓
      </button>
      <button
        type="button"
        className="button button-small button-quiet"
        onClick={onRemove}
        aria-label={t("recruitment.editor.remove", { name: label })}
      >
        {t("recruitment.editor.removeShort")}
      </button>
    </div>
  );
}
