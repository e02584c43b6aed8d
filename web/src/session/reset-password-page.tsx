import { type FormEvent, useState } from "react";
import { auth } from "../accounts/client";
import { errorCode, errorText } from "../accounts/errors";
import { AuthLayout } from "../components/auth-layout";
import { type NewPassword, NewPasswordFields, newPasswordProblem } from "../components/new-password-fields";
import { Notice } from "../components/notice";
import { useT } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { Link, navigate, useSearchParam } from "../router";

export function ResetPasswordPage() {
  usePageTitle("reset.title");
  const t = useT();
  const token = useSearchParam("token");
  const [value, setValue] = useState<NewPassword>({ password: "", confirmation: "" });
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<{ text: string; linkDead: boolean } | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (!token || newPasswordProblem(value) || submitting) return;
    setSubmitting(true);
    setFailure(null);
    try {
      await auth.reset({ token, password: value.password });
      navigate("/login?reason=reset", { replace: true });
    } catch (error) {
      const code = errorCode(error);
      setFailure({
        text: errorText(t, error),
        linkDead: code === "token.invalid" || code === "token.expired" || code === "token.superseded",
      });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthLayout>
      <h1>{t("reset.title")}</h1>
      {!token || failure?.linkDead ? (
        <div className="form">
          <Notice tone="error" testId="reset-link-dead">
            <p>{failure?.text ?? t("error.token.invalid")}</p>
          </Notice>
          <Link href="/forgot-password" className="button button-primary button-block">
            {t("reset.askAgain")}
          </Link>
        </div>
      ) : (
        <>
          <p className="page-subtitle">{t("reset.subtitle")}</p>
          <form noValidate onSubmit={onSubmit} className="form" aria-busy={submitting}>
            <NewPasswordFields
              value={value}
              onChange={setValue}
              attempted={attempted}
              disabled={submitting}
            />
            {failure && (
              <Notice tone="error">
                <p>{failure.text}</p>
              </Notice>
            )}
            <button
              type="submit"
              className="button button-primary button-block"
              disabled={submitting}
              data-testid="reset-submit"
            >
              {submitting && <span className="spinner" aria-hidden="true" />}
              {t("reset.submit")}
            </button>
          </form>
        </>
      )}
    </AuthLayout>
  );
}
