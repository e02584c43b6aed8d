import "./session.css";
import { type FormEvent, useId, useState } from "react";
import { auth } from "../accounts/client";
import { errorCode, errorText } from "../accounts/errors";
import { AuthLayout } from "../components/auth-layout";
import { type NewPassword, NewPasswordFields, newPasswordProblem } from "../components/new-password-fields";
import { FieldError, Notice } from "../components/notice";
import { PasswordInput } from "../components/password-input";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { navigate, safeNext, useSearchParam } from "../router";
import { AppShell } from "../shell/app-shell";
import { endSession, signedIn, useMe } from "./session-store";

function ChangePasswordForm({ forced }: { forced: boolean }) {
  const t = useT();
  const id = useId();
  const me = useMe();
  const next = safeNext(useSearchParam("next"));
  const [current, setCurrent] = useState("");
  const [value, setValue] = useState<NewPassword>({ password: "", confirmation: "" });
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (!current || newPasswordProblem(value, me?.email) || submitting) return;
    setSubmitting(true);
    setFailure(null);
    try {
      const session = await auth.change({ currentPassword: current, newPassword: value.password });
      signedIn(session);
      if (forced) {
        navigate(next, { replace: true });
        return;
      }
      setDone(true);
      setCurrent("");
      setValue({ password: "", confirmation: "" });
      setAttempted(false);
    } catch (error) {
      setFailure(
        errorCode(error) === "auth.invalid_credentials"
          ? t("password.error.currentWrong")
          : errorText(t, error),
      );
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      className={forced ? "form" : "form form-flush"}
      aria-busy={submitting}
      data-testid="change-password-form"
    >
      {forced && (
        <Notice tone="info" testId="change-password-forced">
          <p>{t("password.change.forced")}</p>
        </Notice>
      )}
      {done && (
        <Notice tone="success" testId="change-password-done">
          <p>{t("password.change.done")}</p>
        </Notice>
      )}
      <div className="field">
        <label htmlFor={`${id}-current`}>{t(forced ? "password.temporary" : "password.current")}</label>
        <PasswordInput
          id={`${id}-current`}
          data-testid="current-password"
          autoComplete="current-password"
          value={current}
          disabled={submitting}
          aria-invalid={(attempted && !current) || undefined}
          onChange={(event) => setCurrent(event.target.value)}
        />
        {attempted && !current && <FieldError>{t("login.error.passwordRequired")}</FieldError>}
      </div>
      <NewPasswordFields
        value={value}
        onChange={(changed) => {
          setValue(changed);
          setDone(false);
        }}
        email={me?.email}
        attempted={attempted}
        disabled={submitting}
      />
      {failure && (
        <Notice tone="error" testId="change-password-error">
          <p>{failure}</p>
        </Notice>
      )}
      <div className={forced ? "form-actions form-actions-stacked" : "form-actions"}>
        <button
          type="submit"
          className={forced ? "button button-primary button-block" : "button button-primary"}
          disabled={submitting}
          data-testid="change-password-submit"
        >
          {submitting && <span className="spinner" aria-hidden="true" />}
          {t("password.change.submit")}
        </button>
        {forced && (
          <button
            type="button"
            className="button button-quiet button-block"
            onClick={() => void endSession("/login?reason=logout")}
          >
            <Icon name="signOut" />
            {t("user.signOut")}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * `/change-password`: forced at first login with a temporary password (a card of its own, nothing else
 * is reachable), or chosen from the user menu (inside the console).
 */
export function ChangePasswordPage() {
  usePageTitle("password.change.title");
  const t = useT();
  const me = useMe();
  if (me?.mustChangePassword) {
    return (
      <AuthLayout>
        <h1>{t("password.change.title")}</h1>
        <p className="page-subtitle">
          {t("password.change.forcedSubtitle", { name: me.firstName, company: me.company.name })}
        </p>
        <ChangePasswordForm forced />
      </AuthLayout>
    );
  }
  return (
    <AppShell pathname="/change-password">
      <div className="page page-narrow">
        <header className="page-header">
          <div>
            <h1>{t("password.change.title")}</h1>
            <p className="page-subtitle">{t("password.change.subtitle")}</p>
          </div>
        </header>
        <div className="card card-padded">
          <ChangePasswordForm forced={false} />
        </div>
      </div>
    </AppShell>
  );
}
