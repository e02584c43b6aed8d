import "./reminders.css";
import { type FormEvent, type ReactNode, useId, useMemo, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { ErrorNotice, FieldError, Notice } from "../components/notice";
import { useResource } from "../components/use-resource";
import { formatPhone, normalisePhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import {
  type Civility,
  type Customer,
  civilities,
  customers,
  freeText,
  type Lookup,
  type Proposal,
  reminders,
  type Scenario,
  type Scheduled,
  scenarios as scenariosApi,
  type Vehicle,
} from "./client";
import {
  addMonths,
  civilityKey,
  fieldErrors,
  firesLater,
  isoDay,
  parisDay,
  remindersErrorText,
  showDay,
} from "./reminder-text";

type Values = {
  civility: Civility | "";
  lastName: string;
  firstName: string;
  email: string;
  agencyId: string;
  plate: string;
  make: string;
  model: string;
  deliveryDate: string;
  deliveryKm: string;
  lastDate: string;
  lastKm: string;
};

type VehicleKey = "plate" | "make" | "model" | "deliveryDate" | "deliveryKm" | "lastDate" | "lastKm";

const blankValues: Values = {
  civility: "",
  lastName: "",
  firstName: "",
  email: "",
  agencyId: "",
  plate: "",
  make: "",
  model: "",
  deliveryDate: "",
  deliveryKm: "",
  lastDate: "",
  lastKm: "",
};

const km = (value: number | undefined) => (value === undefined ? "" : String(value));

const vehicleValues = (vehicle?: Vehicle) => ({
  plate: vehicle?.plate ?? "",
  make: vehicle?.make ?? "",
  model: vehicle?.model ?? "",
  deliveryDate: showDay(vehicle?.deliveryDate),
  deliveryKm: km(vehicle?.deliveryKm),
  lastDate: showDay(vehicle?.lastDate),
  lastKm: km(vehicle?.lastKm),
});

const customerValues = (customer: Customer | undefined, agencyId: string): Values => ({
  ...blankValues,
  civility: customer?.civility ?? "",
  lastName: customer?.lastName ?? "",
  firstName: customer?.firstName ?? "",
  email: customer?.email ?? "",
  agencyId,
});

const vehicleLabel = (vehicle: Vehicle) =>
  [vehicle.plate, [vehicle.make, vehicle.model].filter(Boolean).join(" ")].filter(Boolean).join(" — ");

const optional = (value: string) => value.trim() || undefined;

/** A scenario's line in step 3: checked, its day (JJ/MM/AAAA) or « dans N mois », and the planning hint. */
type Choice = { checked: boolean; date: string; months: string; text: string; proposal?: Proposal };

const stepKeys: MessageKey[] = [
  "reminders.new.step.mobile",
  "reminders.new.step.customer",
  "reminders.new.step.scenarios",
];

const labelOf: Record<VehicleKey, MessageKey> = {
  plate: "reminders.new.plate",
  make: "reminders.new.make",
  model: "reminders.new.model",
  deliveryDate: "reminders.new.deliveryDate",
  deliveryKm: "reminders.new.deliveryKm",
  lastDate: "reminders.new.lastDate",
  lastKm: "reminders.new.lastKm",
};

/**
 * « Nouvelle relance », one screen in three steps: the customer's mobile (a known customer brings their
 * vehicles), the customer and the vehicle, then the scenarios and their days, with the planning helper.
 */
export function NewReminderPage() {
  usePageTitle("reminders.new.title");
  const { t, number, locale } = useI18n();
  const id = useId();
  const agencyList = useResource(() => agenciesApi.list());
  const scenarioList = useResource(() => scenariosApi.list());
  const usableAgencies = (agencyList.data?.items ?? []).filter((agency) => !agency.archived);
  const enabled = useMemo(
    () => (scenarioList.data?.items ?? []).filter((scenario) => scenario.enabled),
    [scenarioList.data],
  );

  const [step, setStep] = useState(0);
  const [mobile, setMobile] = useState("");
  const [found, setFound] = useState<Lookup | null>(null);
  const [vehicleChoice, setVehicleChoice] = useState<string>("new");
  const [values, setValues] = useState<Values>(blankValues);
  const [saved, setSaved] = useState<{ customer: Customer; vehicle: Vehicle } | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [planned, setPlanned] = useState<{ kmPerYear: number; assumed: boolean } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Scheduled | null>(null);

  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const choiceOf = (scenario: Scenario): Choice =>
    choices[scenario.scenarioId] ?? {
      checked: false,
      date: "",
      months: String(scenario.delayMonths),
      text: "",
    };
  const setChoice = (scenario: Scenario, change: Partial<Choice>) =>
    setChoices((current) => ({ ...current, [scenario.scenarioId]: { ...choiceOf(scenario), ...change } }));
  const checked = enabled.filter((scenario) => choiceOf(scenario).checked);
  // The customer's agency, else the first one (agencies may arrive after the lookup).
  const agencyId = values.agencyId || usableAgencies[0]?.agencyId || "";

  const failed = (error: unknown, paths: (path: string) => string = (path) => path) => {
    const byPath = fieldErrors(error, t);
    setFields(Object.fromEntries(Object.entries(byPath).map(([path, message]) => [paths(path), message])));
    setFailure(remindersErrorText(t, error));
  };
  const clearErrors = () => {
    setFields({});
    setFailure(null);
  };

  const restart = () => {
    setStep(0);
    setMobile("");
    setFound(null);
    setVehicleChoice("new");
    setValues(blankValues);
    setSaved(null);
    setChoices({});
    setPlanned(null);
    setDone(null);
    clearErrors();
  };

  // Step 1: who has this mobile?
  const lookUp = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    if (!mobile.trim()) {
      setFields({ mobile: t("reminders.new.mobileMissing") });
      return;
    }
    setBusy(true);
    try {
      const answer = await customers.lookup(normalisePhone(mobile));
      setFound(answer);
      const seen = answer.customer?.agencyIds.find((agencyId) =>
        usableAgencies.some((agency) => agency.agencyId === agencyId),
      );
      setValues(customerValues(answer.customer, seen ?? usableAgencies[0]?.agencyId ?? ""));
      setVehicleChoice(answer.customer?.vehicles[0]?.vehicleId ?? "new");
      if (!answer.customer) setStep(1);
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  const toCustomerStep = () => {
    const vehicle = found?.customer?.vehicles.find((candidate) => candidate.vehicleId === vehicleChoice);
    setValues((current) => ({ ...current, ...vehicleValues(vehicle) }));
    clearErrors();
    setStep(1);
  };

  // Step 2: the customer and the vehicle, saved together.
  const saveCustomer = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !found) return;
    clearErrors();
    const missing: Record<string, string> = {};
    if (!values.lastName.trim()) missing.lastName = t("reminders.new.lastNameMissing");
    if (!agencyId) missing.agencyId = t("reminders.new.agencyMissing");
    if (!values.plate.trim()) missing["vehicle.plate"] = t("reminders.new.plateMissing");
    if (Object.keys(missing).length > 0) {
      setFields(missing);
      return;
    }
    const existing = found.customer?.vehicles.find((vehicle) => vehicle.vehicleId === vehicleChoice);
    setBusy(true);
    try {
      const { customer } = await customers.save({
        contactId: found.customer?.contactId,
        agencyId,
        mobile: found.mobile,
        civility: values.civility || undefined,
        firstName: optional(values.firstName),
        lastName: values.lastName.trim(),
        email: optional(values.email),
        vehicle: {
          vehicleId: existing?.vehicleId,
          plate: values.plate.trim(),
          make: optional(values.make),
          model: optional(values.model),
          deliveryDate: optional(values.deliveryDate),
          deliveryKm: optional(values.deliveryKm),
          lastDate: optional(values.lastDate),
          lastKm: optional(values.lastKm),
        },
      });
      const before = new Set(found.customer?.vehicles.map((vehicle) => vehicle.vehicleId) ?? []);
      const vehicle =
        customer.vehicles.find((candidate) => candidate.vehicleId === existing?.vehicleId) ??
        customer.vehicles.find((candidate) => !before.has(candidate.vehicleId)) ??
        customer.vehicles.at(-1);
      if (!vehicle) throw new Error("The saved customer has no vehicle");
      setSaved({ customer, vehicle });
      setFound({ mobile: found.mobile, customer });
      setVehicleChoice(vehicle.vehicleId);
      setStep(2);
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  // Step 3: « Aide à la planification » fills the days from the vehicle's facts.
  const plan = async () => {
    if (busy) return;
    clearErrors();
    if (checked.length === 0) {
      setFailure(t("reminders.new.noScenario"));
      return;
    }
    setBusy(true);
    try {
      const answer = await reminders.plan({
        vehicle: {
          deliveryDate: optional(values.deliveryDate),
          deliveryKm: optional(values.deliveryKm),
          lastDate: optional(values.lastDate),
          lastKm: optional(values.lastKm),
        },
        scenarioIds: checked.map((scenario) => scenario.scenarioId),
      });
      setPlanned({ kmPerYear: answer.kmPerYear, assumed: answer.assumed });
      setChoices((current) => {
        const next = { ...current };
        for (const proposal of answer.proposals) {
          const choice = next[proposal.scenarioId];
          if (choice) next[proposal.scenarioId] = { ...choice, date: showDay(proposal.date), proposal };
        }
        return next;
      });
    } catch (error) {
      const byPath = fieldErrors(error, t);
      const vehicleProblems = Object.entries(byPath).filter(([path]) => path.startsWith("vehicle."));
      if (vehicleProblems.length > 0) {
        setFailure(
          vehicleProblems
            .map(([path, message]) => {
              const key = path.slice("vehicle.".length) as VehicleKey;
              return labelOf[key] ? `${t(labelOf[key])} : ${message}` : message;
            })
            .join(" "),
        );
      } else failed(error);
    } finally {
      setBusy(false);
    }
  };

  const schedule = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !saved) return;
    clearErrors();
    if (checked.length === 0) {
      setFailure(t("reminders.new.noScenario"));
      return;
    }
    setBusy(true);
    try {
      const answer = await reminders.schedule({
        contactId: saved.customer.contactId,
        vehicleId: saved.vehicle.vehicleId,
        agencyId,
        items: checked.map((scenario) => {
          const choice = choiceOf(scenario);
          const date = choice.date.trim();
          return {
            scenarioId: scenario.scenarioId,
            date: date || undefined,
            inMonths: date ? undefined : Number(choice.months) || undefined,
            text: scenario.scenarioId === freeText ? choice.text.trim() || undefined : undefined,
          };
        }),
      });
      setDone(answer);
    } catch (error) {
      // `items.1.date` is the date of the second checked scenario.
      failed(error, (path) => {
        const match = /^items\.(\d+)\.(\w+)$/.exec(path);
        const scenario = match ? checked[Number(match[1])] : undefined;
        return scenario && match ? `${scenario.scenarioId}.${match[2]}` : path;
      });
    } finally {
      setBusy(false);
    }
  };

  // Two checked scenarios on one day: allowed, but better apart.
  const today = parisDay();
  const dayOf = (choice: Choice) =>
    choice.date.trim() ? isoDay(choice.date) : addMonths(today, Number(choice.months) || 0);
  const byDay = new Map<string, string[]>();
  for (const scenario of checked) {
    const day = dayOf(choiceOf(scenario));
    if (day) byDay.set(day, [...(byDay.get(day) ?? []), scenario.name]);
  }
  const sameDay = [...byDay.entries()].filter(([, names]) => names.length > 1);

  const field = (
    key: keyof Values,
    path: string,
    label: MessageKey,
    options: { placeholder?: string; type?: string; inputMode?: "numeric"; autoComplete?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(label)}</label>
      <input
        id={`${id}-${key}`}
        type={options.type ?? "text"}
        inputMode={options.inputMode}
        placeholder={options.placeholder}
        autoComplete={options.autoComplete ?? "off"}
        value={values[key]}
        disabled={busy}
        aria-invalid={fields[path] ? true : undefined}
        aria-describedby={fields[path] ? `${id}-${key}-error` : undefined}
        data-testid={`reminder-${key}`}
        onChange={(event) => set(key, event.target.value)}
      />
      {fields[path] && <FieldError id={`${id}-${key}-error`}>{fields[path]}</FieldError>}
    </div>
  );
  const datePlaceholder = t("reminders.new.datePlaceholder");

  if (done && saved) {
    return (
      <div className="page">
        <header className="page-header">
          <div>
            <h1>{t("reminders.new.title")}</h1>
          </div>
        </header>
        <section className="card reminders-card" data-testid="reminders-done">
          <Notice tone="success">
            <p>{t("reminders.new.done", { count: number(done.reminders.length) })}</p>
          </Notice>
          <p>
            {t("reminders.new.doneFor", {
              name: done.reminders[0]?.name ?? "",
              plate: saved.vehicle.plate,
            })}
          </p>
          <ul className="reminders-done-list">
            {done.reminders.map((reminder) => {
              const later = firesLater(reminder, locale);
              return (
                <li key={reminder.reminderId} data-testid="done-reminder">
                  <strong>{reminder.scenarioName}</strong>
                  <span className="tabular">{showDay(reminder.dueOn)}</span>
                  {later && <span className="text-subtle">{t("reminders.list.firesAt", later)}</span>}
                </li>
              );
            })}
          </ul>
          {done.sameDay.length > 0 && (
            <Notice tone="warning">
              <p>{t("reminders.new.sameDay")}</p>
            </Notice>
          )}
          <div className="form-actions form-actions-start">
            <Link href="/reminders" className="button button-primary" data-testid="done-list">
              {t("reminders.new.toList")}
            </Link>
            <button type="button" className="button" onClick={restart} data-testid="done-another">
              <Icon name="plus" />
              {t("reminders.new.another")}
            </button>
          </div>
        </section>
      </div>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("reminders.new.title")}</h1>
          <p className="page-subtitle">{t("reminders.new.subtitle")}</p>
        </div>
        <div className="page-actions">
          <Link href="/reminders" className="button">
            {t("reminders.nav.list")}
          </Link>
        </div>
      </header>

      <ol className="steps steps-page" aria-label={t("reminders.new.steps")} data-testid="reminder-steps">
        {stepKeys.map((key, index) => (
          <li
            key={key}
            className={index === step ? "is-current" : index < step ? "is-done" : undefined}
            aria-current={index === step ? "step" : undefined}
          >
            <span className="step-number">{index < step ? <Icon name="check" size={12} /> : index + 1}</span>
            {t(key)}
          </li>
        ))}
      </ol>

      {step === 0 && (
        <section className="card reminders-card" data-testid="step-mobile">
          <form className="form form-tight" noValidate onSubmit={lookUp}>
            <ErrorNotice text={fields.mobile ? null : failure} />
            <div className="reminders-inline">
              <div className="field">
                <label htmlFor={`${id}-mobile`}>{t("reminders.new.mobile")}</label>
                <input
                  id={`${id}-mobile`}
                  type="tel"
                  placeholder="06 12 34 56 78"
                  autoComplete="off"
                  value={mobile}
                  disabled={busy}
                  aria-invalid={fields.mobile ? true : undefined}
                  aria-describedby={fields.mobile ? `${id}-mobile-error` : undefined}
                  data-testid="reminder-mobile"
                  onChange={(event) => {
                    setMobile(event.target.value);
                    setFound(null);
                  }}
                />
                {fields.mobile && <FieldError id={`${id}-mobile-error`}>{fields.mobile}</FieldError>}
              </div>
              <button
                type="submit"
                className="button button-primary"
                disabled={busy}
                data-testid="reminder-lookup"
              >
                {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name="search" />}
                {t("reminders.new.lookup")}
              </button>
            </div>
          </form>
          {found?.customer && (
            <div className="stack" data-testid="known-customer">
              <p>
                {t("reminders.new.known", {
                  name:
                    [found.customer.firstName, found.customer.lastName].filter(Boolean).join(" ") ||
                    formatPhone(found.mobile),
                })}
              </p>
              {found.customer.optedOut && (
                <Notice tone="warning">
                  <p>{t("reminders.new.optedOut")}</p>
                </Notice>
              )}
              <fieldset className="reminders-radios">
                <legend className="field-label">{t("reminders.new.vehicle")}</legend>
                {found.customer.vehicles.map((vehicle) => (
                  <label key={vehicle.vehicleId} className="checkbox reminders-radio">
                    <input
                      type="radio"
                      name={`${id}-vehicle`}
                      checked={vehicleChoice === vehicle.vehicleId}
                      onChange={() => setVehicleChoice(vehicle.vehicleId)}
                    />
                    <span>{vehicleLabel(vehicle)}</span>
                  </label>
                ))}
                <label className="checkbox reminders-radio">
                  <input
                    type="radio"
                    name={`${id}-vehicle`}
                    checked={vehicleChoice === "new"}
                    onChange={() => setVehicleChoice("new")}
                  />
                  <span>{t("reminders.new.newVehicle")}</span>
                </label>
              </fieldset>
              <div className="form-actions form-actions-start">
                <button
                  type="button"
                  className="button button-primary"
                  onClick={toCustomerStep}
                  data-testid="reminder-continue"
                >
                  {t("reminders.new.continue")}
                </button>
              </div>
            </div>
          )}
        </section>
      )}

      {step === 1 && found && (
        <section className="card reminders-card" data-testid="step-customer">
          <p className="reminders-context">
            <Icon name="phone" size={14} />
            <span className="tabular">{formatPhone(found.mobile)}</span>
            <span className="text-subtle">
              {t(found.customer ? "reminders.new.knownShort" : "reminders.new.unknown")}
            </span>
          </p>
          <form className="form form-tight" noValidate onSubmit={saveCustomer} data-testid="customer-form">
            <ErrorNotice text={Object.keys(fields).length > 0 ? null : failure} />
            <h2 className="card-title">{t("reminders.new.customerTitle")}</h2>
            <fieldset className="reminders-radios">
              <legend className="field-label">{t("reminders.new.civility")}</legend>
              {civilities.map((civility) => (
                <label key={civility} className="checkbox reminders-radio">
                  <input
                    type="radio"
                    name={`${id}-civility`}
                    value={civility}
                    checked={values.civility === civility}
                    disabled={busy}
                    onChange={() => set("civility", civility)}
                  />
                  <span>{t(civilityKey[civility])}</span>
                </label>
              ))}
            </fieldset>
            <div className="field-row">
              {field("lastName", "lastName", "reminders.new.lastName", { autoComplete: "off" })}
              {field("firstName", "firstName", "reminders.new.firstName")}
            </div>
            <div className="field-row">
              {field("email", "email", "reminders.new.email", { type: "email" })}
              <div className="field">
                <label htmlFor={`${id}-agency`}>{t("reminders.new.agency")}</label>
                <select
                  id={`${id}-agency`}
                  value={agencyId}
                  disabled={busy}
                  aria-invalid={fields.agencyId ? true : undefined}
                  data-testid="reminder-agency"
                  onChange={(event) => set("agencyId", event.target.value)}
                >
                  {!agencyId && <option value="">—</option>}
                  {usableAgencies.map((agency) => (
                    <option key={agency.agencyId} value={agency.agencyId}>
                      {agency.name}
                    </option>
                  ))}
                </select>
                {fields.agencyId && <FieldError>{fields.agencyId}</FieldError>}
              </div>
            </div>

            <h2 className="card-title">{t("reminders.new.vehicle")}</h2>
            <div className="reminders-grid-3">
              {field("plate", "vehicle.plate", "reminders.new.plate", { placeholder: "AB-123-CD" })}
              {field("make", "vehicle.make", "reminders.new.make")}
              {field("model", "vehicle.model", "reminders.new.model")}
            </div>
            <div className="field-row">
              {field("deliveryDate", "vehicle.deliveryDate", "reminders.new.deliveryDate", {
                placeholder: datePlaceholder,
                inputMode: "numeric",
              })}
              {field("deliveryKm", "vehicle.deliveryKm", "reminders.new.deliveryKm", {
                placeholder: "0",
                inputMode: "numeric",
              })}
            </div>
            <div className="field-row">
              {field("lastDate", "vehicle.lastDate", "reminders.new.lastDate", {
                placeholder: datePlaceholder,
                inputMode: "numeric",
              })}
              {field("lastKm", "vehicle.lastKm", "reminders.new.lastKm", {
                placeholder: "45 000",
                inputMode: "numeric",
              })}
            </div>
            <p className="field-hint">{t("reminders.new.factsHint")}</p>
            <div className="form-actions form-actions-start">
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => {
                  clearErrors();
                  setStep(0);
                }}
              >
                {t("reminders.new.back")}
              </button>
              <button
                type="submit"
                className="button button-primary"
                disabled={busy}
                data-testid="customer-submit"
              >
                {busy && <span className="spinner" aria-hidden="true" />}
                {t("reminders.new.continue")}
              </button>
            </div>
          </form>
        </section>
      )}

      {step === 2 && saved && (
        <section className="card reminders-card" data-testid="step-scenarios">
          <p className="reminders-context">
            <Icon name="user" size={14} />
            <span>{[saved.customer.firstName, saved.customer.lastName].filter(Boolean).join(" ")}</span>
            <span className="text-subtle">{vehicleLabel(saved.vehicle)}</span>
          </p>
          <form className="form form-tight" noValidate onSubmit={schedule} data-testid="scenarios-form">
            <ErrorNotice text={failure} testId="schedule-error" />
            <fieldset className="reminders-scenarios">
              <legend className="card-title">{t("reminders.new.scenariosLegend")}</legend>
              {scenarioList.error !== undefined && (
                <ErrorNotice text={remindersErrorText(t, scenarioList.error)} />
              )}
              {scenarioList.data && enabled.length === 0 && (
                <p className="text-subtle">{t("reminders.new.noScenarios")}</p>
              )}
              {enabled.map((scenario) => (
                <ScenarioChoice
                  key={scenario.scenarioId}
                  scenario={scenario}
                  choice={choiceOf(scenario)}
                  fields={fields}
                  disabled={busy}
                  onChange={(change) => setChoice(scenario, change)}
                />
              ))}
            </fieldset>

            <div className="reminders-plan">
              <button
                type="button"
                className="button"
                disabled={busy || checked.length === 0}
                onClick={() => void plan()}
                data-testid="reminder-plan"
              >
                <Icon name="calendar" />
                {t("reminders.new.plan")}
              </button>
              {planned ? (
                <p data-testid="reminder-km-per-year">
                  {t("reminders.new.kmPerYear", { km: number(planned.kmPerYear) })}
                  {planned.assumed && <span className="text-subtle"> {t("reminders.new.assumed")}</span>}
                </p>
              ) : (
                <p className="field-hint">{t("reminders.new.planHint")}</p>
              )}
            </div>

            {sameDay.length > 0 && (
              <Notice tone="warning" testId="reminder-same-day">
                <p>
                  {t("reminders.new.sameDay")}
                  {sameDay.map(([day, names]) => (
                    <span key={day} className="reminders-same-day">
                      {" "}
                      {t("reminders.new.sameDayDetail", { names: names.join(", "), day: showDay(day) })}
                    </span>
                  ))}
                </p>
              </Notice>
            )}

            <div className="form-actions form-actions-start">
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => {
                  clearErrors();
                  setStep(1);
                }}
              >
                {t("reminders.new.back")}
              </button>
              <button
                type="submit"
                className="button button-primary"
                disabled={busy || checked.length === 0}
                data-testid="reminder-submit"
              >
                {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name="send" />}
                {t("reminders.new.submit")}
              </button>
            </div>
          </form>
        </section>
      )}
    </div>
  );
}

function ScenarioChoice({
  scenario,
  choice,
  fields,
  disabled,
  onChange,
}: {
  scenario: Scenario;
  choice: Choice;
  fields: Record<string, string>;
  disabled: boolean;
  onChange: (change: Partial<Choice>) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const dateError = fields[`${scenario.scenarioId}.date`];
  const textError = fields[`${scenario.scenarioId}.text`];
  const proposal = choice.proposal;
  let detail: ReactNode = null;
  if (proposal && choice.date === showDay(proposal.date)) {
    detail = (
      <p className="field-hint" data-testid="scenario-proposal">
        {proposal.by === "km"
          ? t("reminders.new.byKm", { km: number(proposal.kmAtDate) })
          : t("reminders.new.byMonths")}
        {proposal.overdue && (
          <span className="badge badge-overdue" data-testid="scenario-overdue">
            {t("reminders.new.overdue")}
          </span>
        )}
      </p>
    );
  }
  return (
    <div
      className={choice.checked ? "reminders-scenario is-checked" : "reminders-scenario"}
      data-testid="scenario-choice"
      data-id={scenario.scenarioId}
    >
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choice.checked}
          disabled={disabled}
          onChange={(event) => onChange({ checked: event.target.checked })}
        />
        <span>{scenario.name}</span>
      </label>
      {choice.checked && (
        <div className="reminders-scenario-body">
          <div className="reminders-when">
            <div className="field">
              <label htmlFor={`${id}-date`}>
                {t("reminders.new.date")}
                <span className="visually-hidden"> {scenario.name}</span>
              </label>
              <input
                id={`${id}-date`}
                type="text"
                inputMode="numeric"
                placeholder={t("reminders.new.datePlaceholder")}
                value={choice.date}
                disabled={disabled}
                aria-invalid={dateError ? true : undefined}
                aria-describedby={dateError ? `${id}-date-error` : undefined}
                data-testid="scenario-date"
                onChange={(event) => onChange({ date: event.target.value })}
              />
            </div>
            <span className="reminders-or">{t("reminders.new.or")}</span>
            <div className="field">
              <label htmlFor={`${id}-months`}>
                {t("reminders.new.inMonths")}
                <span className="visually-hidden"> {scenario.name}</span>
              </label>
              <input
                id={`${id}-months`}
                type="number"
                min={1}
                max={120}
                value={choice.months}
                disabled={disabled || choice.date.trim() !== ""}
                data-testid="scenario-months"
                onChange={(event) => onChange({ months: event.target.value })}
              />
            </div>
          </div>
          {dateError && <FieldError id={`${id}-date-error`}>{dateError}</FieldError>}
          {detail}
          {scenario.scenarioId === freeText && (
            <div className="field">
              <label htmlFor={`${id}-text`}>{t("reminders.new.text")}</label>
              <textarea
                id={`${id}-text`}
                rows={3}
                maxLength={640}
                value={choice.text}
                disabled={disabled}
                aria-invalid={textError ? true : undefined}
                data-testid="scenario-text"
                onChange={(event) => onChange({ text: event.target.value })}
              />
              {textError && <FieldError>{textError}</FieldError>}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
