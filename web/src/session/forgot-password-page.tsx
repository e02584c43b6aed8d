import { type FormEvent, useId, useState } from "react";
import { auth } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { AuthLayout } from "../components/auth-layout";
import { FieldError, Notice } from "../components/notice";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { emailPattern, rememberCompanyCode, rememberedCompanyCode } from "./login-page";

export function ForgotPasswordPage() {
  usePageTitle("forgot.title");
  const t = useT();
  const id = useId();
  const [companyCode, setCompanyCode] = useState(rememberedCompanyCode);
  const [email, setEmail] = useState("");
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [sent, setSent] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const codeMissing = !companyCode.trim();
  const emailInvalid = !emailPattern.test(email.trim());

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (codeMissing || emailInvalid || submitting) return;
    setSubmitting(true);
    setFailure(null);
    try {
      const code = companyCode.trim().toUpperCase();
      rememberCompanyCode(code);
      await auth.forgot({ companyCode: code, email: email.trim() });
      setSent(true);
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthLayout>
      <h1>{t("forgot.title")}</h1>
      {sent ? (
        <div className="form">
          <Notice tone="success" testId="forgot-sent">
            <p>{t("forgot.sent", { email: email.trim() })}</p>
          </Notice>
          <p className="text-muted">{t("forgot.sentHint")}</p>
          <Link href="/login" className="button button-block">
            {t("forgot.backToLogin")}
          </Link>
        </div>
      ) : (
        <>
          <p className="page-subtitle">{t("forgot.subtitle")}</p>
          <form noValidate onSubmit={onSubmit} className="form" aria-busy={submitting}>
            <div className="field">
              <label htmlFor={`${id}-code`}>{t("login.companyCode")}</label>
              <input
                id={`${id}-code`}
                value={companyCode}
                autoCapitalize="characters"
                spellCheck={false}
                aria-invalid={(attempted && codeMissing) || undefined}
                onChange={(event) => setCompanyCode(event.target.value)}
              />
              {attempted && codeMissing && <FieldError>{t("login.error.companyCodeRequired")}</FieldError>}
            </div>
            <div className="field">
              <label htmlFor={`${id}-email`}>{t("login.email")}</label>
              <input
                id={`${id}-email`}
                type="email"
                autoComplete="username"
                spellCheck={false}
                data-testid="forgot-email"
                value={email}
                aria-invalid={(attempted && emailInvalid) || undefined}
                onChange={(event) => setEmail(event.target.value)}
              />
              {attempted && emailInvalid && <FieldError>{t("login.error.emailFormat")}</FieldError>}
            </div>
            {failure && (
              <Notice tone="error">
                <p>{failure}</p>
              </Notice>
            )}
            <button
              type="submit"
              className="button button-primary button-block"
              disabled={submitting}
              data-testid="forgot-submit"
            >
              {submitting && <span className="spinner" aria-hidden="true" />}
              {t("forgot.submit")}
            </button>
            <Link href="/login" className="back-link">
              <Icon name="chevronLeft" size={14} />
              {t("forgot.backToLogin")}
            </Link>
          </form>
        </>
      )}
    </AuthLayout>
  );
}
