import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { auth } from "../accounts/client";
import { RoleBadge } from "../components/badges";
import { toast } from "../components/toast";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { navigate } from "../router";
import { endSession, signedIn, useMe } from "../session/session-store";

/** Who is signed in (name, role, company), with password change and sign-out; a guest gets “Se connecter”. */
export function UserMenu() {
  const t = useT();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>("[role^=menuitem]:not([aria-disabled=true])")?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [
      ...(menuRef.current?.querySelectorAll<HTMLElement>("[role^=menuitem]:not([aria-disabled=true])") ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  };

  const signOut = () => {
    setOpen(false);
    void endSession("/login?reason=logout");
  };

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={t("user.menu")}
        data-testid="user-menu"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {me ? initials(me.firstName, me.lastName) : <Icon name="user" size={14} />}
        </span>
        <span className="user-name">{me ? `${me.firstName} ${me.lastName}` : t("user.guest")}</span>
        <Icon name="chevronDown" size={14} />
      </button>
      {open && (
        <div className="menu" role="menu" id={menuId} ref={menuRef} tabIndex={-1} onKeyDown={onMenuKey}>
          {me ? (
            <div className="menu-header" data-testid="user-menu-header">
              <div className="menu-name">
                {me.firstName} {me.lastName}
              </div>
              <div className="menu-email">{me.email}</div>
              <div className="menu-meta">
                <RoleBadge role={me.role} />
                <span className="menu-company" title={t("user.companyCode", { code: me.company.code })}>
                  {me.company.name}
                </span>
              </div>
            </div>
          ) : (
            <div className="menu-header">{t("user.notSignedIn")}</div>
          )}
          {me ? (
            <>
              <button
                type="button"
                className="menu-item"
                role="menuitem"
                tabIndex={-1}
                data-testid="menu-change-password"
                onClick={() => {
                  setOpen(false);
                  navigate("/change-password");
                }}
              >
                <Icon name="key" />
                {t("user.changePassword")}
              </button>
              <button
                type="button"
                className="menu-item"
                role="menuitemcheckbox"
                aria-checked={me.forwardReplies}
                tabIndex={-1}
                data-testid="menu-forward-replies"
                onClick={() => {
                  auth
                    .preferences({ forwardReplies: !me.forwardReplies })
                    .then(signedIn, () => toast(t("error.unexpected"), "error"));
                }}
              >
                <Icon name={me.forwardReplies ? "check" : "email"} />
                {t(me.forwardReplies ? "user.forwardRepliesOn" : "user.forwardRepliesOff")}
              </button>
              <button
                type="button"
                className="menu-item"
                role="menuitem"
                tabIndex={-1}
                data-testid="menu-logout"
                onClick={signOut}
              >
                <Icon name="signOut" />
                {t("user.signOut")}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="menu-item"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                navigate("/login");
              }}
            >
              <Icon name="signIn" />
              {t("user.signIn")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function initials(firstName: string, lastName: string): string {
  return `${firstName.trim().charAt(0)}${lastName.trim().charAt(0)}`.toUpperCase();
}
