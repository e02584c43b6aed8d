import { type ReactNode, useEffect, useRef, useState } from "react";
import { Toaster } from "../components/toast";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { useLocalLinks } from "../local-links";
import { LanguageSwitch } from "./language-switch";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";

/** Left navigation, top bar, and the page in `<main>`; focus moves to the page after each navigation. */
export function AppShell({ pathname, children }: { pathname: string; children: ReactNode }) {
  const t = useT();
  const local = useLocalLinks();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);

  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = pathname;
    mainRef.current?.focus();
  }, [pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setMenuOpen(false);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <Sidebar pathname={pathname} open={menuOpen} onClose={() => setMenuOpen(false)} />
      {menuOpen && <div className="scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      <div className="shell-body">
        <header className="topbar">
          <button
            type="button"
            className="icon-button menu-toggle"
            aria-label={t("nav.openMenu")}
            aria-controls="sidebar"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen(true)}
          >
            <Icon name="menu" size={18} />
          </button>
          {local.status === "ready" && local.links && (
            <span className="env-badge" title={t("topbar.localHint")}>
              <span className="env-dot" aria-hidden="true" />
              {t("topbar.local")}
              <span className="visually-hidden"> — {t("topbar.localHint")}</span>
            </span>
          )}
          <div className="topbar-actions">
            <LanguageSwitch />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
        <Toaster />
      </div>
    </div>
  );
}
