import "./company.css";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { auth, company as companyApi, uploadToPresignedPost } from "../accounts/client";
import { errorCode, errorText } from "../accounts/errors";
import type { Company, Language } from "../accounts/types";
import { FieldError, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { SmsPriceCard } from "../composer/sms-price-card";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { signedIn } from "../session/session-store";
import { DeliveryCard } from "./delivery-card";

const codePattern = /^[A-Z0-9-]{3,20}$/;
type LogoType = Parameters<typeof companyApi.logoUpload>[0]["contentType"];
const logoTypes = ["image/png", "image/jpeg", "image/webp"] as const satisfies readonly LogoType[];
const isLogoType = (type: string): type is LogoType => (logoTypes as readonly string[]).includes(type);
const logoMaxBytes = 1024 * 1024;

/** Every IANA zone the browser knows, Europe/Paris first. */
function timeZones(): string[] {
  const all = Intl.supportedValuesOf("timeZone");
  return ["Europe/Paris", ...all.filter((zone) => zone !== "Europe/Paris")];
}

type Values = { name: string; code: string; timezone: string; language: Language };
type Errors = Partial<Record<keyof Values, MessageKey>>;

function validate(values: Values): Errors {
  const errors: Errors = {};
  if (!values.name.trim()) errors.name = "company.error.nameRequired";
  if (!codePattern.test(values.code.trim().toUpperCase())) errors.code = "company.error.codeFormat";
  return errors;
}

function CompanyForm({ company, onSaved }: { company: Company; onSaved: (company: Company) => void }) {
  const { t } = useI18n();
  const id = useId();
  const zones = useMemo(timeZones, []);
  const [values, setValues] = useState<Values>({
    name: company.name,
    code: company.code,
    timezone: company.timezone || "Europe/Paris",
    language: company.language,
  });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const code = values.code.trim().toUpperCase();
  const codeChanged = code !== company.code;
  const dirty =
    values.name.trim() !== company.name ||
    codeChanged ||
    values.timezone !== company.timezone ||
    values.language !== company.language;

  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    const next = { ...values, [field]: value };
    setValues(next);
    if (Object.keys(errors).length > 0) setErrors(validate(next));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0 || busy || !dirty) return;
    setBusy(true);
    setFailure(null);
    try {
      const saved = await companyApi.update({
        name: values.name.trim() === company.name ? undefined : values.name.trim(),
        code: codeChanged ? code : undefined,
        timezone: values.timezone === company.timezone ? undefined : values.timezone,
        language: values.language === company.language ? undefined : values.language,
      });
      onSaved(saved);
      toast(t("company.saved"));
    } catch (error) {
      if (errorCode(error) === "company.code_taken") setErrors({ code: "error.company.code_taken" });
      else setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card card-padded form form-flush"
      noValidate
      onSubmit={submit}
      data-testid="company-form"
    >
      <h2>{t("company.identity")}</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("company.name")}</label>
        <input
          id={`${id}-name`}
          value={values.name}
          disabled={busy}
          aria-invalid={errors.name ? true : undefined}
          onChange={(event) => set("name", event.target.value)}
          data-testid="company-name"
        />
        {errors.name && <FieldError>{t(errors.name)}</FieldError>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-code`}>{t("login.companyCode")}</label>
        <input
          id={`${id}-code`}
          className="input-code"
          value={values.code}
          disabled={busy}
          autoCapitalize="characters"
          spellCheck={false}
          aria-invalid={errors.code ? true : undefined}
          aria-describedby={`${id}-code-hint`}
          onChange={(event) => set("code", event.target.value.toUpperCase())}
          data-testid="company-code"
        />
        <p className="field-hint" id={`${id}-code-hint`}>
          {t("company.codeHint")}
        </p>
        {codeChanged && (
          <Notice tone="warning" testId="company-code-warning">
            <p>{t("company.codeWarning", { old: company.code, code })}</p>
          </Notice>
        )}
        {errors.code && <FieldError>{t(errors.code)}</FieldError>}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-tz`}>{t("company.timezone")}</label>
          <select
            id={`${id}-tz`}
            value={values.timezone}
            disabled={busy}
            onChange={(event) => set("timezone", event.target.value)}
            data-testid="company-timezone"
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <p className="field-hint">{t("company.timezoneHint")}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lang`}>{t("company.language")}</label>
          <select
            id={`${id}-lang`}
            value={values.language}
            disabled={busy}
            onChange={(event) => set("language", event.target.value as Language)}
            data-testid="company-language"
          >
            <option value="fr">{t("lang.fr")}</option>
            <option value="en">{t("lang.en")}</option>
          </select>
          <p className="field-hint">{t("company.languageHint")}</p>
        </div>
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
          data-testid="company-save"
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}

function LogoCard({ company, onSaved }: { company: Company; onSaved: (company: Company) => void }) {
  const { t, number } = useI18n();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const upload = async (file: File) => {
    setFailure(null);
    const contentType = file.type;
    if (!isLogoType(contentType)) return setFailure(t("company.logo.type"));
    if (file.size > logoMaxBytes) return setFailure(t("company.logo.size"));
    setPreview(URL.createObjectURL(file));
    setProgress(0);
    try {
      const target = await companyApi.logoUpload({ contentType, size: file.size });
      await uploadToPresignedPost(target, file, setProgress);
      const saved = await companyApi.update({ logoKey: target.key });
      onSaved(saved);
      toast(t("company.logo.saved"));
    } catch (error) {
      setFailure(
        error instanceof Error && error.message.startsWith("upload.")
          ? t("import.error.upload")
          : errorText(t, error),
      );
      setPreview(null);
    } finally {
      setProgress(null);
      if (inputRef.current) inputRef.current.value = "";
    }
  };

  const shown = preview ?? company.logoUrl;

  return (
    <section className="card card-padded form form-flush" data-testid="company-logo">
      <h2>{t("company.logo.title")}</h2>
      <p className="text-muted">{t("company.logo.hint")}</p>
      <div className="logo-row">
        <div className="logo-preview">
          {shown ? (
            <img
              src={shown}
              alt={t("company.logo.alt", { name: company.name })}
              data-testid="company-logo-img"
            />
          ) : (
            <span className="text-subtle">{t("company.logo.none")}</span>
          )}
        </div>
        <div className="stack-sm">
          <label htmlFor={`${id}-logo`} className="button">
            <Icon name="upload" />
            {t(shown ? "company.logo.replace" : "company.logo.choose")}
          </label>
          <input
            ref={inputRef}
            id={`${id}-logo`}
            type="file"
            className="visually-hidden"
            accept={logoTypes.join(",")}
            disabled={progress !== null}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload(file);
            }}
            data-testid="company-logo-input"
          />
          <p className="field-hint">{t("company.logo.formats")}</p>
        </div>
      </div>
      {progress !== null && (
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(progress * 100)}
          aria-label={t("import.progress")}
        >
          <div className="progress-bar" style={{ width: `${Math.round(progress * 100)}%` }} />
          <span className="visually-hidden">
            {t("import.percent", { percent: number(Math.round(progress * 100)) })}
          </span>
        </div>
      )}
      {failure && (
        <Notice tone="error" testId="company-logo-error">
          <p>{failure}</p>
        </Notice>
      )}
    </section>
  );
}

export function CompanyPage() {
  usePageTitle("company.title");
  const { t } = useI18n();
  const resource = useResource(() => companyApi.get());

  const saved = (company: Company) => {
    resource.set(() => company);
    // the user menu shows the company's name and code: refresh the session that carries them
    void auth.session().then(signedIn, () => undefined);
  };

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <div>
          <h1>{t("company.title")}</h1>
          <p className="page-subtitle">{t("company.subtitle")}</p>
        </div>
      </header>
      {resource.error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, resource.error)}</p>
        </Notice>
      )}
      {!resource.data && resource.loading && <p className="text-subtle">{t("app.loading")}</p>}
      {resource.data && (
        <>
          <CompanyForm
            key={`${resource.data.code}-${resource.data.name}`}
            company={resource.data}
            onSaved={saved}
          />
          <LogoCard company={resource.data} onSaved={saved} />
          <SmsPriceCard company={resource.data} />
          <DeliveryCard />
        </>
      )}
    </div>
  );
}
