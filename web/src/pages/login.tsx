import { type FormEvent, useId, useRef, useState } from "react";
import { type LoginInput, type LoginResult, login } from "../api";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon, Logo } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, navigate } from "../router";
import { LanguageSwitch } from "../shell/language-switch";

const companyCodeKey = "relais.companyCode";
const companyCodePattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Field = keyof LoginInput;
type FieldErrors = Partial<Record<Field, MessageKey>>;
type Outcome = { tone: "error" | "info" | "success"; message: MessageKey; requestId?: string };

function validate(values: LoginInput): FieldErrors {
  const errors: FieldErrors = {};
  const companyCode = values.companyCode.trim();
  if (!companyCode) errors.companyCode = "login.error.companyCodeRequired";
  else if (!companyCodePattern.test(companyCode)) errors.companyCode = "login.error.companyCodeFormat";
  const email = values.email.trim();
  if (!email) errors.email = "login.error.emailRequired";
  else if (!emailPattern.test(email)) errors.email = "login.error.emailFormat";
  if (!values.password) errors.password = "login.error.passwordRequired";
  return errors;
}

function outcomeOf(result: LoginResult): Outcome {
  switch (result.kind) {
    case "ok":
      return { tone: "success", message: "login.success" };
    case "not-available":
      return { tone: "info", message: "login.notAvailable" };
    case "invalid-credentials":
      return { tone: "error", message: "login.error.invalidCredentials" };
    case "too-many-attempts":
      return { tone: "error", message: "login.error.tooMany" };
    case "network":
      return { tone: "error", message: "login.error.network" };
    case "failed":
      return { tone: "error", message: "login.error.unexpected", requestId: result.requestId };
  }
}

function rememberedCompanyCode(): string {
  try {
    return localStorage.getItem(companyCodeKey) ?? "";
  } catch {
    return "";
  }
}

export function LoginPage() {
  usePageTitle("login.title");
  const t = useT();
  const id = useId();
  const [values, setValues] = useState<LoginInput>(() => ({
    companyCode: rememberedCompanyCode(),
    email: "",
    password: "",
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const refs = {
    companyCode: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };

  const update = (field: Field, value: string) => {
    const next = { ...values, [field]: value };
    setValues(next);
    if (attempted) setErrors(validate(next));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    setAttempted(true);
    const found = validate(values);
    setErrors(found);
    const firstInvalid = (["companyCode", "email", "password"] as const).find((field) => found[field]);
    if (firstInvalid) {
      refs[firstInvalid].current?.focus();
      return;
    }
    const input = {
      companyCode: values.companyCode.trim(),
      email: values.email.trim(),
      password: values.password,
    };
    try {
      localStorage.setItem(companyCodeKey, input.companyCode);
    } catch {
      // storage refused: the code will simply be asked again next time
    }
    setSubmitting(true);
    setOutcome(null);
    const result = await login(input);
    setSubmitting(false);
    setOutcome(outcomeOf(result));
    if (result.kind === "ok") navigate("/");
  };

  const field = (name: Field) => {
    const error = errors[name];
    const errorId = `${id}-${name}-error`;
    const hintId = name === "companyCode" ? `${id}-${name}-hint` : undefined;
    return {
      inputProps: {
        id: `${id}-${name}`,
        name,
        ref: refs[name],
        value: values[name],
        disabled: submitting,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": [hintId, error ? errorId : undefined].filter(Boolean).join(" ") || undefined,
        onChange: (event: { target: { value: string } }) => update(name, event.target.value),
      },
      error: error ? (
        <p className="field-error" id={errorId}>
          <Icon name="warning" size={14} />
          {t(error)}
        </p>
      ) : null,
      hintId,
    };
  };

  const companyCode = field("companyCode");
  const email = field("email");
  const password = field("password");

  return (
    <div className="auth">
      <div className="auth-top">
        <LanguageSwitch />
      </div>
      <div className="auth-center">
        <div className="auth-brand">
          <Logo size={36} />
          <div>
            <div className="brand-name">{t("app.name")}</div>
            <div className="text-subtle">{t("app.tagline")}</div>
          </div>
        </div>
        <main className="auth-card card" id="main">
          <h1>{t("login.title")}</h1>
          <p className="page-subtitle">{t("login.subtitle")}</p>
          <form
            noValidate
            onSubmit={onSubmit}
            aria-busy={submitting}
            className="form"
            data-testid="login-form"
          >
            <div className="field">
              <label htmlFor={companyCode.inputProps.id}>{t("login.companyCode")}</label>
              <input
                {...companyCode.inputProps}
                type="text"
                autoComplete="organization"
                autoCapitalize="characters"
                spellCheck={false}
                required
              />
              <p className="field-hint" id={companyCode.hintId}>
                {t("login.companyCodeHint")}
              </p>
              {companyCode.error}
            </div>
            <div className="field">
              <label htmlFor={email.inputProps.id}>{t("login.email")}</label>
              <input
                {...email.inputProps}
                type="email"
                autoComplete="username"
                inputMode="email"
                spellCheck={false}
                required
              />
              {email.error}
            </div>
            <div className="field">
              <label htmlFor={password.inputProps.id}>{t("login.password")}</label>
              <div className="input-with-action">
                <input
                  {...password.inputProps}
                  type={showPassword ? "text" : "password"}
                  autoComplete="current-password"
                  required
                />
                <button
                  type="button"
                  className="input-action"
                  aria-label={t(showPassword ? "login.hidePasswordLabel" : "login.showPasswordLabel")}
                  aria-pressed={showPassword}
                  onClick={() => setShowPassword((value) => !value)}
                >
                  <Icon name={showPassword ? "eyeOff" : "eye"} />
                  <span aria-hidden="true">
                    {t(showPassword ? "login.hidePassword" : "login.showPassword")}
                  </span>
                </button>
              </div>
              {password.error}
            </div>

            <div aria-live="polite" className="form-outcome" data-testid="login-outcome">
              {outcome && (
                <div
                  className={`notice notice-${outcome.tone}`}
                  role={outcome.tone === "error" ? "alert" : "status"}
                >
                  <Icon
                    name={outcome.tone === "error" ? "warning" : outcome.tone === "success" ? "up" : "info"}
                  />
                  <div>
                    <p>{t(outcome.message)}</p>
                    {outcome.requestId && (
                      <p className="text-subtle">{t("login.error.requestId", { id: outcome.requestId })}</p>
                    )}
                  </div>
                </div>
              )}
            </div>

            <button type="submit" className="button button-primary button-block" disabled={submitting}>
              {submitting && <span className="spinner" aria-hidden="true" />}
              {t(submitting ? "login.submitting" : "login.submit")}
            </button>
          </form>
        </main>
        <footer className="auth-footer">
          <span>{t("login.help")}</span>
          <Link href="/">
            <Icon name="health" size={14} />
            {t("login.statusLink")}
          </Link>
        </footer>
      </div>
    </div>
  );
}
