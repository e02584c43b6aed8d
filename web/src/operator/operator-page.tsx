import "./operator.css";
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../api";
import { Toaster } from "../components/toast";
import { useT } from "../i18n/i18n";
import { Logo } from "../icons";
import { matchPath, navigate, usePathname } from "../router";
import { LanguageSwitch } from "../shell/language-switch";
import { type OperatorSession, operator } from "./client";
import { OperatorCompaniesPage } from "./companies-page";
import { OperatorCompanyPage } from "./company-page";
import { OperatorSignIn } from "./sign-in";

/**
 * The operator console (/operateur): its own layout, its own session (never the console's), checked on
 * arrival; any 401 on the way brings the sign-in back.
 */
export function OperatorPage() {
  const t = useT();
  const pathname = usePathname();
  const [session, setSession] = useState<OperatorSession | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setSession(await operator.session());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else throw error;
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (session === undefined) return null;
  if (session === null) return <OperatorSignIn onSignedIn={() => void refresh()} />;

  const company = matchPath("/operateur/entreprises/:companyId", pathname);
  return (
    <div className="operator-layout">
      <header className="operator-header">
        <div className="operator-brand">
          <Logo size={28} />
          <strong>{t("operator.title")}</strong>
        </div>
        <div className="operator-header-end">
          <span className="text-subtle" data-testid="operator-name">
            {session.operator.name}
          </span>
          <LanguageSwitch />
          <button
            className="button button-quiet"
            type="button"
            data-testid="operator-logout"
            onClick={async () => {
              await operator.logout().catch(() => undefined);
              setSession(null);
              navigate("/operateur");
            }}
          >
            {t("operator.signOut")}
          </button>
        </div>
      </header>
      <main className="operator-main" id="main">
        {company?.companyId ? (
          <OperatorCompanyPage companyId={company.companyId} />
        ) : (
          <OperatorCompaniesPage />
        )}
      </main>
      {/* Its own layout, so its own toasts (« Conditions enregistrées », « Entreprise suspendue »). */}
      <Toaster />
    </div>
  );
}
