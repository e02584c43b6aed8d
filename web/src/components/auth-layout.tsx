import type { ReactNode } from "react";
import { useT } from "../i18n/i18n";
import { Icon, Logo } from "../icons";
import { Link } from "../router";
import { LanguageSwitch } from "../shell/language-switch";

/** The centred card used by every page seen before or outside a session (login, invitation…). */
export function AuthLayout({
  children,
  wide = false,
  footer,
}: {
  children: ReactNode;
  wide?: boolean;
  footer?: ReactNode;
}) {
  const t = useT();
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
        <main className={wide ? "auth-card auth-card-wide card" : "auth-card card"} id="main">
          {children}
        </main>
        <footer className="auth-footer">
          {footer ?? <span>{t("login.help")}</span>}
          <Link href="/health">
            <Icon name="health" size={14} />
            {t("login.statusLink")}
          </Link>
        </footer>
      </div>
    </div>
  );
}
