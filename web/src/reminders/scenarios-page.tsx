import "./reminders.css";
import { type FormEvent, useId, useRef, useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable } from "../components/data-table";
import { ErrorNotice, FieldError } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { count } from "../templates/message-text";
import { type Scenario, scenarios, templateVariables } from "./client";
import { fieldErrors, remindersErrorText } from "./reminder-text";

const maxTemplate = 640;

/** Scenarios (Admins and Managers): each one's SMS text, delay and mileage, switched on or off. */
export function ScenariosPage() {
  usePageTitle("reminders.scenarios.title");
  const { t, number } = useI18n();
  const list = useResource(() => scenarios.list());
  const [editing, setEditing] = useState<Scenario | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);

  const replace = (scenario: Scenario) =>
    list.set((current) =>
      current
        ? {
            items: current.items.map((item) => (item.scenarioId === scenario.scenarioId ? scenario : item)),
          }
        : current,
    );

  const toggle = async (scenario: Scenario, enabled: boolean) => {
    setSwitching(scenario.scenarioId);
    replace({ ...scenario, enabled }); // at once; put back if the API refuses
    try {
      const saved = await scenarios.update(scenario.scenarioId, { enabled });
      replace(saved.scenario);
      toast(
        t(enabled ? "reminders.scenarios.enabledOn" : "reminders.scenarios.enabledOff", {
          name: scenario.name,
        }),
      );
    } catch (error) {
      replace(scenario);
      toast(remindersErrorText(t, error), "error");
    } finally {
      setSwitching(null);
    }
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("reminders.scenarios.title")}</h1>
          <p className="page-subtitle">{t("reminders.scenarios.subtitle")}</p>
        </div>
      </header>

      <DataTable
        caption={t("reminders.scenarios.title")}
        testId="scenarios-table"
        scroll
        busy={list.loading}
        error={list.error === undefined ? null : remindersErrorText(t, list.error)}
        columns={5}
        actionsColumn
        head={
          <>
            <th scope="col">{t("reminders.scenarios.name")}</th>
            <th scope="col">{t("reminders.scenarios.delay")}</th>
            <th scope="col">{t("reminders.scenarios.km")}</th>
            <th scope="col">{t("reminders.scenarios.enabled")}</th>
          </>
        }
        empty={!list.data && t("app.loading")}
      >
        {list.data?.items.map((scenario) => (
          <tr
            key={scenario.scenarioId}
            data-testid="scenario-row"
            data-id={scenario.scenarioId}
            className={scenario.enabled ? undefined : "row-muted"}
          >
            <th scope="row" data-label={t("reminders.scenarios.name")}>
              <span className="reminders-scenario-name">{scenario.name}</span>
              {scenario.seeded && <span className="badge">{t("reminders.scenarios.seeded")}</span>}
            </th>
            <td data-label={t("reminders.scenarios.delay")} className="tabular nowrap">
              {t("reminders.scenarios.months", { count: number(scenario.delayMonths) })}
            </td>
            <td data-label={t("reminders.scenarios.km")} className="tabular nowrap">
              {scenario.everyKm ? (
                t("reminders.scenarios.kmValue", { km: number(scenario.everyKm) })
              ) : (
                <span className="text-subtle">—</span>
              )}
            </td>
            <td data-label={t("reminders.scenarios.enabled")}>
              <label className="switch">
                <input
                  type="checkbox"
                  checked={scenario.enabled}
                  disabled={switching === scenario.scenarioId}
                  onChange={(event) => void toggle(scenario, event.target.checked)}
                  data-testid="scenario-enabled"
                />
                <span className="switch-track" aria-hidden="true" />
                <span className="visually-hidden">
                  {t("reminders.scenarios.enabledLabel", { name: scenario.name })}
                </span>
              </label>
            </td>
            <td className="actions-col">
              <button
                type="button"
                className="button button-small"
                onClick={() => setEditing(scenario)}
                data-testid="scenario-edit"
              >
                <Icon name="edit" />
                {t("reminders.scenarios.edit")}
                <span className="visually-hidden"> {scenario.name}</span>
              </button>
            </td>
          </tr>
        ))}
      </DataTable>

      <NewScenarioForm onCreated={() => void list.reload()} />

      {editing && (
        <EditScenarioDialog
          scenario={editing}
          onClose={() => setEditing(null)}
          onSaved={(scenario) => {
            replace(scenario);
            setEditing(null);
          }}
        />
      )}
    </div>
  );
}

/** The SMS text with its variables as chips that insert at the cursor, and a live count. */
function TemplateField({
  id,
  value,
  onChange,
  error,
  disabled,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  disabled?: boolean;
}) {
  const { t, number } = useI18n();
  const ref = useRef<HTMLTextAreaElement>(null);
  const figures = count(value);

  const insert = (variable: string) => {
    const area = ref.current;
    const token = `{${variable}}`;
    const start = area?.selectionStart ?? value.length;
    const end = area?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + token + value.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <div className="field">
      <label htmlFor={id}>{t("reminders.scenarios.template")}</label>
      <fieldset className="reminders-chips" aria-label={t("reminders.scenarios.variables")}>
        {templateVariables.map((variable) => (
          <button
            key={variable}
            type="button"
            className="reminders-chip"
            disabled={disabled}
            onClick={() => insert(variable)}
            aria-label={t("reminders.scenarios.insert", { variable })}
            data-testid={`chip-${variable}`}
          >
            {`{${variable}}`}
          </button>
        ))}
      </fieldset>
      <textarea
        id={id}
        ref={ref}
        className="reminders-template"
        rows={5}
        maxLength={maxTemplate}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-count`}
        data-testid="scenario-template"
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="field-hint" id={`${id}-count`} aria-live="polite" data-testid="scenario-count">
        {t("reminders.scenarios.characters", {
          count: number(figures.characters),
          max: number(maxTemplate),
          sms: number(figures.segments),
        })}
        {figures.encoding === "UCS-2" && (
          <span className="text-warn"> {t("reminders.scenarios.unicode")}</span>
        )}
      </p>
      {error && <FieldError>{error}</FieldError>}
    </div>
  );
}

function EditScenarioDialog({
  scenario,
  onClose,
  onSaved,
}: {
  scenario: Scenario;
  onClose: () => void;
  onSaved: (scenario: Scenario) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [template, setTemplate] = useState(scenario.template);
  const [delay, setDelay] = useState(String(scenario.delayMonths));
  const [everyKm, setEveryKm] = useState(scenario.everyKm ? String(scenario.everyKm) : "");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFields({});
    setFailure(null);
    if (!template.trim()) {
      setFields({ template: t("reminders.scenarios.templateMissing") });
      return;
    }
    setBusy(true);
    try {
      const km = everyKm.replace(/\s/g, "");
      const saved = await scenarios.update(scenario.scenarioId, {
        template: template.trim(),
        delayMonths: Number(delay),
        everyKm: km ? Number(km) : null,
      });
      toast(t("reminders.scenarios.saved", { name: scenario.name }));
      onSaved(saved.scenario);
    } catch (error) {
      setFields(fieldErrors(error, t));
      setFailure(remindersErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("reminders.scenarios.editTitle", { name: scenario.name })}
      size="medium"
      onClose={onClose}
      testId="scenario-dialog"
      action={{ label: t("common.save"), testId: "scenario-save", form: `${id}-form`, busy }}
    >
      <form id={`${id}-form`} className="form form-tight" noValidate onSubmit={submit}>
        <ErrorNotice text={failure} />
        <TemplateField
          id={`${id}-template`}
          value={template}
          onChange={setTemplate}
          error={fields.template}
          disabled={busy}
        />
        <DelayFields
          id={id}
          delay={delay}
          everyKm={everyKm}
          onDelay={setDelay}
          onEveryKm={setEveryKm}
          fields={fields}
          disabled={busy}
        />
      </form>
    </ConfirmDialog>
  );
}

function DelayFields({
  id,
  delay,
  everyKm,
  onDelay,
  onEveryKm,
  fields,
  disabled,
}: {
  id: string;
  delay: string;
  everyKm: string;
  onDelay: (value: string) => void;
  onEveryKm: (value: string) => void;
  fields: Record<string, string>;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${id}-delay`}>{t("reminders.scenarios.delayMonths")}</label>
        <input
          id={`${id}-delay`}
          type="number"
          min={1}
          max={120}
          value={delay}
          disabled={disabled}
          aria-invalid={fields.delayMonths ? true : undefined}
          data-testid="scenario-delay"
          onChange={(event) => onDelay(event.target.value)}
        />
        {fields.delayMonths && <FieldError>{fields.delayMonths}</FieldError>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-km`}>
          {t("reminders.scenarios.everyKm")} <span className="optional">{t("common.optional")}</span>
        </label>
        <input
          id={`${id}-km`}
          type="text"
          inputMode="numeric"
          placeholder="20 000"
          value={everyKm}
          disabled={disabled}
          aria-invalid={fields.everyKm ? true : undefined}
          data-testid="scenario-km"
          onChange={(event) => onEveryKm(event.target.value)}
        />
        {fields.everyKm ? (
          <FieldError>{fields.everyKm}</FieldError>
        ) : (
          <p className="field-hint">{t("reminders.scenarios.everyKmHint")}</p>
        )}
      </div>
    </div>
  );
}

function NewScenarioForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState("");
  const [template, setTemplate] = useState(() => t("reminders.scenarios.templateStart"));
  const [delay, setDelay] = useState("12");
  const [everyKm, setEveryKm] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFields({});
    setFailure(null);
    const missing: Record<string, string> = {};
    if (!name.trim()) missing.name = t("reminders.scenarios.nameMissing");
    if (!template.trim()) missing.template = t("reminders.scenarios.templateMissing");
    if (Object.keys(missing).length > 0) {
      setFields(missing);
      return;
    }
    setBusy(true);
    try {
      const km = everyKm.replace(/\s/g, "");
      const { scenario } = await scenarios.create({
        name: name.trim(),
        template: template.trim(),
        delayMonths: Number(delay),
        everyKm: km ? Number(km) : undefined,
      });
      toast(t("reminders.scenarios.created", { name: scenario.name }));
      setName("");
      setTemplate(t("reminders.scenarios.templateStart"));
      setEveryKm("");
      onCreated();
    } catch (error) {
      setFields(fieldErrors(error, t));
      setFailure(remindersErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card reminders-card">
      <h2 className="card-title">{t("reminders.scenarios.add")}</h2>
      <form className="form form-tight" noValidate onSubmit={submit} data-testid="scenario-new">
        <ErrorNotice text={failure} />
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("reminders.scenarios.name")}</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={80}
            disabled={busy}
            aria-invalid={fields.name ? true : undefined}
            data-testid="scenario-name"
            onChange={(event) => setName(event.target.value)}
          />
          {fields.name && <FieldError>{fields.name}</FieldError>}
        </div>
        <TemplateField
          id={`${id}-template`}
          value={template}
          onChange={setTemplate}
          error={fields.template}
          disabled={busy}
        />
        <DelayFields
          id={id}
          delay={delay}
          everyKm={everyKm}
          onDelay={setDelay}
          onEveryKm={setEveryKm}
          fields={fields}
          disabled={busy}
        />
        <div className="form-actions form-actions-start">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="scenario-create"
          >
            <Icon name="plus" />
            {t("reminders.scenarios.add")}
          </button>
        </div>
      </form>
    </section>
  );
}
