import "./session.css";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { auth } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { AuthLayout } from "../components/auth-layout";
import { FieldError, Notice } from "../components/notice";
import { PasswordInput } from "../components/password-input";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { usePageTitle } from "../page-title";
import { Link, navigate, safeNext, useSearchParam } from "../router";
import { lastIdleMinutes, signedIn, useSessionState } from "./session-store";

const companyCodeKey = "relais.companyCode";
const companyCodePattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type LoginInput = { companyCode: string; email: string; password: string };
type Field = keyof LoginInput;
type FieldErrors = Partial<Record<Field, MessageKey>>;

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

/** The company code typed last time on this device. */
export function rememberedCompanyCode(): string {
  try {
    return localStorage.getItem(companyCodeKey) ?? "";
  } catch {
    return "";
  }
}

export function rememberCompanyCode(code: string) {
  try {
    localStorage.setItem(companyCodeKey, code);
  } catch {
    // storage refused: the code will simply be asked again next time
  }
}

/** The sentence shown above the form when the visitor was sent here (idle, expiry, sign-out, reset). */
function useArrivalNotice(): { tone: "info" | "success" | "warning"; text: string } | null {
  const t = useT();
  const reason = useSearchParam("reason");
  switch (reason) {
    case "idle":
      return { tone: "warning", text: t("login.reason.idle", { minutes: lastIdleMinutes() }) };
    case "expired":
      return { tone: "warning", text: t("login.reason.expired") };
    case "logout":
      return { tone: "info", text: t("login.reason.logout") };
    case "reset":
      return { tone: "success", text: t("login.reason.reset") };
    default:
      return null;
  }
}

export function LoginPage() {
  usePageTitle("login.title");
  const t = useT();
  const id = useId();
  const next = safeNext(useSearchParam("next"));
  const reason = useSearchParam("reason");
  const arrival = useArrivalNotice();
  const state = useSessionState();
  const [values, setValues] = useState<LoginInput>(() => ({
    companyCode: rememberedCompanyCode(),
    email: "",
    password: "",
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const refs = {
    companyCode: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };

  // Someone already signed in who opens /login (bookmark, back button) goes straight on.
  useEffect(() => {
    if (state.status === "signed-in" && !reason && !submitting) navigate(next, { replace: true });
  }, [state.status, reason, next, submitting]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once, on arrival, where typing starts
  useEffect(() => {
    (values.companyCode ? refs.email : refs.companyCode).current?.focus();
  }, []);

  const update = (field: Field, value: string) => {
    const nextValues = { ...values, [field]: value };
    setValues(nextValues);
    if (attempted) setErrors(validate(nextValues));
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
      companyCode: values.companyCode.trim().toUpperCase(),
      email: values.email.trim(),
      password: values.password,
    };
    rememberCompanyCode(input.companyCode);
    setSubmitting(true);
    setFailure(null);
    try {
      const session = await auth.login(input);
      signedIn(session);
      navigate(
        session.user.mustChangePassword
          ? `/change-password${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`
          : next,
        { replace: true },
      );
    } catch (error) {
      setFailure(errorText(t, error));
      setValues((current) => ({ ...current, password: "" }));
      refs.password.current?.focus();
    } finally {
      setSubmitting(false);
    }
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
        "data-testid": `login-${name}`,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": [hintId, error ? errorId : undefined].filter(Boolean).join(" ") || undefined,
        onChange: (event: { target: { value: string } }) => update(name, event.target.value),
      },
      error: error ? <FieldError id={errorId}>{t(error)}</FieldError> : null,
      hintId,
    };
  };

  const companyCode = field("companyCode");
  const email = field("email");
  const password = field("password");

  return (
    <AuthLayout>
      <h1>{t("login.title")}</h1>
      <p className="page-subtitle">{t("login.subtitle")}</p>
      {arrival && !failure && (
        <div className="auth-notice">
          <Notice tone={arrival.tone} testId="login-reason">
            <p>{arrival.text}</p>
          </Notice>
        </div>
      )}
      <form noValidate onSubmit={onSubmit} aria-busy={submitting} className="form" data-testid="login-form">
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
          <div className="label-row">
            <label htmlFor={password.inputProps.id}>{t("login.password")}</label>
            <Link href="/forgot-password" className="label-link" data-testid="login-forgot">
              {t("login.forgot")}
            </Link>
          </div>
          <PasswordInput {...password.inputProps} autoComplete="current-password" required />
          {password.error}
        </div>

        <div aria-live="polite" className="form-outcome" data-testid="login-outcome">
          {failure && (
            <Notice tone="error" testId="login-error">
              <p>{failure}</p>
            </Notice>
          )}
        </div>

        <button
          type="submit"
          className="button button-primary button-block"
          disabled={submitting}
          data-testid="login-submit"
        >
          {submitting && <span className="spinner" aria-hidden="true" />}
          {t(submitting ? "login.submitting" : "login.submit")}
        </button>
      </form>
    </AuthLayout>
  );
}
