import { type FormEvent, useEffect, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { api, unwrap } from "../api";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";

type Settings = Awaited<ReturnType<typeof load>>;
const load = () => unwrap(api.api.company.delivery.$get(undefined, { init: { cache: "no-store" } }));

type Form = {
  start: string;
  end: string;
  sundays: boolean;
  holidays: boolean;
  sms: string;
  email: string;
  countries: string;
  cap: string;
  urgentRoles: Role[];
};

type Role = Settings["urgentRoles"][number];
const roles = ["admin", "manager", "user"] as const satisfies readonly Role[];

const toForm = (settings: Settings): Form => ({
  start: settings.quietHours.start,
  end: settings.quietHours.end,
  sundays: settings.quietHours.sundays,
  holidays: settings.quietHours.holidays,
  sms: String(settings.perSecond.sms),
  email: String(settings.perSecond.email),
  countries: settings.smsCountries.join(", "),
  cap: String(settings.monthlyCapEuros),
  urgentRoles: roles.filter((role) => settings.urgentRoles.includes(role)),
});

/**
 * « Paramètres d'envoi » (Admin): quiet hours, messages per second, and who SMS come from. Says when a
 * campaign sent now would actually leave, so quiet hours are concrete.
 */
export function DeliveryCard() {
  const { t, dateTime } = useI18n();
  const id = useId();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    load().then(
      (loaded) => {
        setSettings(loaded);
        setForm(toForm(loaded));
      },
      (error: unknown) => setFailure(errorText(t, error)),
    );
  }, [t]);

  if (!settings || !form)
    return failure ? (
      <Notice tone="error">
        <p>{failure}</p>
      </Notice>
    ) : null;

  const set = <K extends keyof Form>(field: K, value: Form[K]) => setForm({ ...form, [field]: value });
  const dirty = JSON.stringify(form) !== JSON.stringify(toForm(settings));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !dirty) return;
    setBusy(true);
    setFailure(null);
    try {
      const saved = await unwrap(
        api.api.company.delivery.$patch({
          json: {
            quietHours: { start: form.start, end: form.end, sundays: form.sundays, holidays: form.holidays },
            perSecond: { sms: Number(form.sms), email: Number(form.email) },
            smsCountries: form.countries
              .toUpperCase()
              .split(/[\s,;]+/)
              .filter(Boolean),
            urgentRoles: form.urgentRoles,
          },
        }),
      );
      setSettings(saved);
      setForm(toForm(saved));
      toast(t("delivery.saved"));
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };
  const now = new Date(settings.nextSendAt).getTime() <= Date.now() + 60_000;

  return (
    <form
      className="card card-padded form form-flush"
      noValidate
      onSubmit={submit}
      data-testid="delivery-settings"
    >
      <h2>{t("delivery.title")}</h2>
      <p className="field-hint" data-testid="delivery-next">
        {now ? t("delivery.nextNow") : t("delivery.nextLater", { when: dateTime(settings.nextSendAt) })}
      </p>
      <fieldset className="field">
        <legend>{t("delivery.quiet")}</legend>
        <div className="inline-fields">
          <label htmlFor={`${id}-start`}>{t("delivery.quietFrom")}</label>
          <input
            id={`${id}-start`}
            type="time"
            value={form.start}
            onChange={(event) => set("start", event.target.value)}
            data-testid="delivery-quiet-start"
          />
          <label htmlFor={`${id}-end`}>{t("delivery.quietTo")}</label>
          <input
            id={`${id}-end`}
            type="time"
            value={form.end}
            onChange={(event) => set("end", event.target.value)}
            data-testid="delivery-quiet-end"
          />
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.sundays}
            onChange={(event) => set("sundays", event.target.checked)}
            data-testid="delivery-sundays"
          />
          {t("delivery.sundays")}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.holidays}
            onChange={(event) => set("holidays", event.target.checked)}
            data-testid="delivery-holidays"
          />
          {t("delivery.holidays")}
        </label>
        <p className="field-hint">{t("delivery.quietHint")}</p>
      </fieldset>
      <fieldset className="field" data-testid="delivery-urgent-roles">
        <legend className="field-label">{t("delivery.urgentRoles")}</legend>
        {roles.map((role) => (
          <label key={role} className="checkbox">
            <input
              type="checkbox"
              checked={form.urgentRoles.includes(role)}
              onChange={(event) =>
                set(
                  "urgentRoles",
                  roles.filter((one) =>
                    one === role ? event.target.checked : form.urgentRoles.includes(one),
                  ),
                )
              }
              data-testid={`delivery-urgent-${role}`}
            />
            {t(`role.${role}`)}
          </label>
        ))}
        <p className="field-hint">{t("delivery.urgentRolesHint")}</p>
      </fieldset>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={`${id}-sms`}>{t("delivery.smsRate")}</label>
          <input
            id={`${id}-sms`}
            type="number"
            min={settings.perSecondMax.sms > 0 ? 1 : 0}
            max={settings.perSecondMax.sms || 1000}
            value={form.sms}
            onChange={(event) => set("sms", event.target.value)}
            style={{ maxWidth: 120 }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("delivery.emailRate")}</label>
          <input
            id={`${id}-email`}
            type="number"
            min={settings.perSecondMax.email > 0 ? 1 : 0}
            max={settings.perSecondMax.email || 1000}
            value={form.email}
            onChange={(event) => set("email", event.target.value)}
            style={{ maxWidth: 120 }}
          />
        </div>
      </div>
      <p className="field-hint" data-testid="delivery-rate-hint">
        {t("delivery.rateHintShared")}{" "}
        {t("delivery.rateMax", {
          sms: settings.perSecondMax.sms || "∞",
          email: settings.perSecondMax.email || "∞",
        })}
      </p>
      <div className="field">
        <span className="field-label">{t("delivery.senderId")}</span>
        <p data-testid="delivery-sender-id">{settings.senderId ?? t("delivery.identityNone")}</p>
      </div>
      <div className="field">
        <span className="field-label">{t("delivery.replyNumber")}</span>
        <p data-testid="delivery-reply-number">{settings.replyNumber ?? t("delivery.replyNumberDefault")}</p>
        <p className="field-hint">{t("delivery.identitiesByOperator")}</p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-countries`}>{t("delivery.smsCountries")}</label>
        <input
          id={`${id}-countries`}
          value={form.countries}
          onChange={(event) => set("countries", event.target.value)}
          data-testid="delivery-sms-countries"
        />
        <p className="field-hint">
          {t("delivery.smsCountriesHint", { countries: settings.pricedCountries.join(", ") })}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-cap`}>{t("delivery.monthlyCap")}</label>
        <input
          id={`${id}-cap`}
          type="number"
          min={0}
          value={form.cap}
          readOnly
          disabled
          style={{ maxWidth: 140 }}
          data-testid="delivery-monthly-cap"
        />
        <p className="field-hint">
          {t("delivery.monthlyCapHint", { spent: settings.spentThisMonthEuros.toFixed(2) })}{" "}
          {t("delivery.monthlyCapByOperator")}
        </p>
      </div>
      {failure && (
        <Notice tone="error">
          <p>{failure}</p>
        </Notice>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !dirty}
          data-testid="delivery-save"
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}
