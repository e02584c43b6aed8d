import { type FormEvent, useId, useState } from "react";
import { company as companyApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import type { Company } from "../accounts/types";
import { FieldError, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { eurosInput, formatEuros, parseEuros } from "./money";

/** The API's default when a company never set its price. */
const defaultPrice = 4500;
const maxPrice = 1_000_000;

/** « Prix d'une unité SMS (€) » on the company settings page, typed in euros with French decimals. */
export function SmsPriceCard({
  company,
  onSaved,
}: {
  company: Company;
  onSaved: (company: Company) => void;
}) {
  const { t, locale } = useI18n();
  const id = useId();
  const saved = company.smsUnitPriceMillicents ?? defaultPrice;
  const [text, setText] = useState(() => eurosInput(saved, locale));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const parsed = parseEuros(text);
  const invalid = parsed === null || parsed > maxPrice;
  const dirty = parsed !== saved;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid || !dirty || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const next = await companyApi.update({ smsUnitPriceMillicents: parsed });
      onSaved(next);
      setText(eurosInput(next.smsUnitPriceMillicents ?? parsed, locale));
      toast(t("company.smsPrice.saved"));
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card card-padded form form-flush"
      noValidate
      onSubmit={submit}
      data-testid="company-sms-price"
    >
      <h2>{t("company.smsPrice.title")}</h2>
      <div className="field">
        <label htmlFor={`${id}-price`}>{t("company.smsPrice.label")}</label>
        <input
          id={`${id}-price`}
          inputMode="decimal"
          value={text}
          disabled={busy}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setText(event.target.value)}
          style={{ maxWidth: 180 }}
          data-testid="company-sms-price-input"
        />
        <p className="field-hint" id={`${id}-hint`}>
          {t("company.smsPrice.hint")}
          {!invalid && ` ${t("company.smsPrice.example", { cost: formatEuros(parsed * 1000, locale) })}`}
        </p>
        {invalid && <FieldError>{t("company.smsPrice.invalid")}</FieldError>}
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
          disabled={busy || invalid || !dirty}
          data-testid="company-sms-price-save"
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}
