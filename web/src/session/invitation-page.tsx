import "./session.css";
import { type FormEvent, useEffect, useId, useState } from "react";
import { publicInvitations } from "../accounts/client";
import { errorCode, errorText } from "../accounts/errors";
import type { PublicInvitation } from "../accounts/types";
import { AuthLayout } from "../components/auth-layout";
import { type NewPassword, NewPasswordFields, newPasswordProblem } from "../components/new-password-fields";
import { FieldError, Notice } from "../components/notice";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, navigate, useSearchParam } from "../router";
import { emailPattern, rememberCompanyCode } from "./login-page";
import { signedIn } from "./session-store";

type Load =
  | { status: "loading" }
  | { status: "ready"; invitation: PublicInvitation }
  | { status: "dead"; title: MessageKey; body: MessageKey }
  | { status: "failed"; text: string };

const deadLinks: Record<string, { title: MessageKey; body: MessageKey }> = {
  "invitation.not_found": { title: "invitation.dead.notFound", body: "invitation.dead.notFoundBody" },
  "invitation.expired": { title: "invitation.dead.expired", body: "invitation.dead.expiredBody" },
  "invitation.used": { title: "invitation.dead.used", body: "invitation.dead.usedBody" },
  "invitation.revoked": { title: "invitation.dead.revoked", body: "invitation.dead.revokedBody" },
};

function deadLink(error: unknown) {
  const code = errorCode(error);
  return code ? deadLinks[code] : undefined;
}

/** Registration from an invitation link: the person chooses their name and password and is signed in. */
export function InvitationPage() {
  usePageTitle("invitation.title");
  const { t, dateTime } = useI18n();
  const id = useId();
  const token = useSearchParam("token");
  const [load, setLoad] = useState<Load>({ status: "loading" });
  const [firstName, setFirstName] = useState("");
  const [lastName, setLastName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState<NewPassword>({ password: "", confirmation: "" });
  const [terms, setTerms] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!token) {
      setLoad({ status: "dead", ...deadLinks["invitation.not_found"]! });
      return;
    }
    let live = true;
    publicInvitations.get(token).then(
      (invitation) => {
        if (!live) return;
        setLoad({ status: "ready", invitation });
        setFirstName(invitation.firstName ?? "");
        setLastName(invitation.lastName ?? "");
      },
      (error: unknown) => {
        if (!live) return;
        const dead = deadLink(error);
        setLoad(dead ? { status: "dead", ...dead } : { status: "failed", text: errorText(t, error) });
      },
    );
    return () => {
      live = false;
    };
  }, [token, t]);

  if (load.status === "loading") {
    return (
      <AuthLayout>
        <p className="text-subtle" role="status">
          {t("app.loading")}
        </p>
      </AuthLayout>
    );
  }

  if (load.status !== "ready" || !token) {
    return (
      <AuthLayout>
        <div className="auth-state" data-testid="invitation-dead">
          <span className="empty-icon">
            <Icon name="warning" size={22} />
          </span>
          <h1>{load.status === "dead" ? t(load.title) : t("invitation.title")}</h1>
          <p className="text-muted">
            {load.status === "dead" ? t(load.body) : load.status === "failed" ? load.text : ""}
          </p>
          <Link href="/login" className="button">
            {t("forgot.backToLogin")}
          </Link>
        </div>
      </AuthLayout>
    );
  }

  const { invitation } = load;
  const namesMissing = !firstName.trim() || !lastName.trim();
  // An SMS invitation may come without an email: the person chooses the one they will sign in with.
  const asksEmail = !invitation.email;
  const emailProblem = asksEmail
    ? !email.trim()
      ? "login.error.emailRequired"
      : emailPattern.test(email.trim())
        ? null
        : "login.error.emailFormat"
    : null;
  const login = invitation.email ?? email.trim();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (namesMissing || emailProblem || newPasswordProblem(password, login) || !terms || submitting) return;
    setSubmitting(true);
    setFailure(null);
    try {
      const session = await publicInvitations.accept(token, {
        ...(asksEmail ? { email: email.trim() } : {}),
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        password: password.password,
        acceptTerms: true,
      });
      // Typed at every sign-in: this device remembers it from now on.
      rememberCompanyCode(invitation.companyCode);
      signedIn(session);
      navigate("/", { replace: true });
    } catch (error) {
      const dead = deadLink(error);
      if (dead) setLoad({ status: "dead", ...dead });
      else setFailure(errorText(t, error));
      setSubmitting(false);
    }
  };

  return (
    <AuthLayout wide>
      <h1>{t("invitation.title")}</h1>
      <p className="page-subtitle">{t("invitation.subtitle", { company: invitation.companyName })}</p>
      <dl className="facts" data-testid="invitation-facts">
        <div>
          <dt>{t("invitation.company")}</dt>
          <dd data-testid="invitation-company">{invitation.companyName}</dd>
        </div>
        <div>
          <dt>{t("login.companyCode")}</dt>
          <dd data-testid="invitation-company-code">
            <strong>{invitation.companyCode}</strong>
          </dd>
        </div>
        {invitation.email && (
          <div>
            <dt>{t("login.email")}</dt>
            <dd data-testid="invitation-email">{invitation.email}</dd>
          </div>
        )}
        {invitation.mobile && (
          <div>
            <dt>{t("user.mobile")}</dt>
            <dd>{formatPhone(invitation.mobile)}</dd>
          </div>
        )}
        <div>
          <dt>{t("invitation.expires")}</dt>
          <dd>{dateTime(invitation.expiresAt)}</dd>
        </div>
      </dl>
      <form
        noValidate
        onSubmit={onSubmit}
        className="form"
        aria-busy={submitting}
        data-testid="invitation-form"
      >
        {asksEmail && (
          <div className="field">
            <label htmlFor={`${id}-email`}>{t("invitation.email")}</label>
            <input
              id={`${id}-email`}
              type="email"
              data-testid="invitation-email-input"
              autoComplete="email"
              spellCheck={false}
              value={email}
              disabled={submitting}
              aria-invalid={(attempted && emailProblem !== null) || undefined}
              aria-describedby={`${id}-email-hint`}
              onChange={(event) => setEmail(event.target.value)}
            />
            <p className="field-hint" id={`${id}-email-hint`}>
              {t("invitation.emailHint")}
            </p>
            {attempted && emailProblem && <FieldError>{t(emailProblem)}</FieldError>}
          </div>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-first`}>{t("user.firstName")}</label>
            <input
              id={`${id}-first`}
              data-testid="invitation-first-name"
              autoComplete="given-name"
              value={firstName}
              disabled={submitting}
              aria-invalid={(attempted && !firstName.trim()) || undefined}
              onChange={(event) => setFirstName(event.target.value)}
            />
            {attempted && !firstName.trim() && <FieldError>{t("user.error.firstNameRequired")}</FieldError>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-last`}>{t("user.lastName")}</label>
            <input
              id={`${id}-last`}
              data-testid="invitation-last-name"
              autoComplete="family-name"
              value={lastName}
              disabled={submitting}
              aria-invalid={(attempted && !lastName.trim()) || undefined}
              onChange={(event) => setLastName(event.target.value)}
            />
            {attempted && !lastName.trim() && <FieldError>{t("user.error.lastNameRequired")}</FieldError>}
          </div>
        </div>
        <NewPasswordFields
          value={password}
          onChange={setPassword}
          email={login}
          attempted={attempted}
          disabled={submitting}
          label={t("password.choose")}
        />
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="invitation-terms"
              checked={terms}
              disabled={submitting}
              aria-invalid={(attempted && !terms) || undefined}
              onChange={(event) => setTerms(event.target.checked)}
            />
            <span>
              {t("invitation.acceptTerms")}{" "}
              <a href="/terms" target="_blank" rel="noopener">
                {t("invitation.readTerms")}
                <span className="visually-hidden"> {t("dev.newTab")}</span>
              </a>
            </span>
          </label>
          {attempted && !terms && <FieldError>{t("invitation.error.terms")}</FieldError>}
        </div>
        {failure && (
          <Notice tone="error" testId="invitation-error">
            <p>{failure}</p>
          </Notice>
        )}
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={submitting}
          data-testid="invitation-submit"
        >
          {submitting && <span className="spinner" aria-hidden="true" />}
          {t("invitation.submit")}
        </button>
      </form>
    </AuthLayout>
  );
}
