import { type FormEvent, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { AuthLayout } from "../components/auth-layout";
import { Notice } from "../components/notice";
import { PasswordInput } from "../components/password-input";
import { useT } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { operator } from "./client";

/** Two steps: email and password, then the authenticator app's 6-digit code. */
export function OperatorSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  usePageTitle("operator.signIn.title");
  const t = useT();
  const id = useId();
  const [step, setStep] = useState<"password" | "code">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (event: FormEvent<HTMLFormElement>, act: () => Promise<void>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await act();
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout footer={<span>{t("operator.title")}</span>}>
      {step === "password" ? (
        <form
          noValidate
          data-testid="operator-login-form"
          onSubmit={(event) =>
            run(event, async () => {
              await operator.login(email.trim(), password);
              setPassword("");
              setStep("code");
            })
          }
        >
          <h1>{t("operator.signIn.title")}</h1>
          <p className="text-subtle">{t("operator.signIn.subtitle")}</p>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t("operator.signIn.email")}</label>
            <input
              id={`${id}-email`}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              data-testid="operator-email"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t("operator.signIn.password")}</label>
            <PasswordInput
              id={`${id}-password`}
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              data-testid="operator-password"
            />
          </div>
          {failure && (
            <Notice tone="error" testId="operator-login-error">
              <p>{failure}</p>
            </Notice>
          )}
          <button
            className="button button-primary button-block"
            type="submit"
            disabled={busy}
            data-testid="operator-login-submit"
          >
            {t("operator.signIn.submit")}
          </button>
        </form>
      ) : (
        <form
          noValidate
          data-testid="operator-code-form"
          onSubmit={(event) =>
            run(event, async () => {
              await operator.totp(code.trim());
              onSignedIn();
            })
          }
        >
          <h1>{t("operator.signIn.codeTitle")}</h1>
          <p className="text-subtle">{t("operator.signIn.codeHint")}</p>
          <div className="field">
            <label htmlFor={`${id}-code`}>{t("operator.signIn.code")}</label>
            <input
              id={`${id}-code`}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(event) => setCode(event.target.value.replace(/\D/g, ""))}
              data-testid="operator-code"
            />
          </div>
          {failure && (
            <Notice tone="error" testId="operator-login-error">
              <p>{failure}</p>
            </Notice>
          )}
          <button
            className="button button-primary button-block"
            type="submit"
            disabled={busy}
            data-testid="operator-code-submit"
          >
            {t("operator.signIn.verify")}
          </button>
          <button
            className="button button-quiet button-block"
            type="button"
            onClick={() => {
              setStep("password");
              setCode("");
              setFailure(null);
            }}
          >
            {t("operator.signIn.restart")}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
