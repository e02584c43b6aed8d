import { type FormEvent, useEffect, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { type SettingsInput, settings } from "./client";

/** « Coordonnées » (Admin): what every employee's Contact section shows, and when notifications wait. */
export function StaffContactPage() {
  usePageTitle("staff.contact.title");
  const { t } = useI18n();
  const id = useId();
  const resource = useResource(() => settings.get());
  const [form, setForm] = useState<SettingsInput>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (resource.data) setForm(resource.data);
  }, [resource.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      setForm(await settings.save(form));
      toast(t("staff.contact.saved"));
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: "phone" | "email", type: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{t(`staff.contact.${name}`)}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        value={form[name] ?? ""}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        data-testid={`staff-contact-${name}`}
      />
    </div>
  );

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <div>
          <h1>{t("staff.contact.title")}</h1>
          <p className="page-subtitle">{t("staff.contact.subtitle")}</p>
        </div>
      </header>
      <form className="card card-padded form form-flush" onSubmit={(event) => void save(event)}>
        {field("phone", "tel")}
        {field("email", "email")}
        <div className="field">
          <label htmlFor={`${id}-hours`}>{t("staff.contact.hours")}</label>
          <textarea
            id={`${id}-hours`}
            rows={4}
            maxLength={1000}
            value={form.hours ?? ""}
            placeholder={t("staff.contact.hoursPlaceholder")}
            onChange={(event) => setForm({ ...form, hours: event.target.value })}
            data-testid="staff-contact-hours"
          />
        </div>
        <fieldset className="field">
          <legend className="field-label">{t("staff.contact.quiet")}</legend>
          <div className="inline-fields">
            <input
              type="time"
              aria-label={t("staff.contact.quietStart")}
              value={form.quietStart ?? "20:00"}
              onChange={(event) => setForm({ ...form, quietStart: event.target.value })}
            />
            <input
              type="time"
              aria-label={t("staff.contact.quietEnd")}
              value={form.quietEnd ?? "09:00"}
              onChange={(event) => setForm({ ...form, quietEnd: event.target.value })}
            />
          </div>
          <p className="field-hint">{t("staff.contact.quietHint")}</p>
        </fieldset>
        <ErrorNotice text={failure} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="staff-contact-save"
          >
            {t("staff.save")}
          </button>
        </div>
      </form>
    </div>
  );
}
