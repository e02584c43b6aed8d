import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { navigate } from "../router";

/** Placeholder until authentication lands: shows a guest and offers the login page. */
export function UserMenu() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>("[role=menuitem]:not([aria-disabled=true])")?.focus();
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
      ...(menuRef.current?.querySelectorAll<HTMLElement>("[role=menuitem]:not([aria-disabled=true])") ?? []),
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
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          <Icon name="user" size={14} />
        </span>
        <span className="user-name">{t("user.guest")}</span>
        <Icon name="chevronDown" size={14} />
      </button>
      {open && (
        <div className="menu" role="menu" id={menuId} ref={menuRef} tabIndex={-1} onKeyDown={onMenuKey}>
          <div className="menu-header">{t("user.notSignedIn")}</div>
          <div className="menu-item" role="menuitem" tabIndex={-1} aria-disabled="true">
            <Icon name="user" />
            {t("user.profile")}
            <span className="soon-badge">{t("nav.soon")}</span>
          </div>
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
        </div>
      )}
    </div>
  );
}
