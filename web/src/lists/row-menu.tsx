import {
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { Icon, type IconName } from "../icons";

export type MenuAction = {
  label: string;
  icon: IconName;
  onSelect: () => void;
  danger?: boolean;
  testId?: string;
};

/** Three dots: drawn here rather than in the shared icon set, which only this menu needs. */
function Dots() {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="5" cy="12" r="1.8" fill="currentColor" />
      <circle cx="12" cy="12" r="1.8" fill="currentColor" />
      <circle cx="19" cy="12" r="1.8" fill="currentColor" />
    </svg>
  );
}

/**
 * A row's further actions behind a button. The menu is positioned against the viewport (fixed), so a
 * table card that clips its overflow does not cut it, and opens upwards near the bottom of the screen.
 */
export function RowMenu({
  label,
  actions,
  testId,
  trigger,
  triggerClassName = "button button-small",
}: {
  label: string;
  actions: MenuAction[];
  testId?: string;
  /** Words on the button instead of the three dots. */
  trigger?: ReactNode;
  triggerClassName?: string;
}) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top?: number; bottom?: number; right: number }>({ right: 0 });
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!open || !buttonRef.current) return;
    const rect = buttonRef.current.getBoundingClientRect();
    const right = window.innerWidth - rect.right;
    const below = window.innerHeight - rect.bottom;
    setPlace(
      below < 260 ? { bottom: window.innerHeight - rect.top + 4, right } : { top: rect.bottom + 4, right },
    );
  }, [open]);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    const onScroll = () => setOpen(false);
    document.addEventListener("pointerdown", onPointer);
    window.addEventListener("resize", onScroll);
    document.addEventListener("scroll", onScroll, true);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      window.removeEventListener("resize", onScroll);
      document.removeEventListener("scroll", onScroll, true);
    };
  }, [open]);

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className={trigger ? triggerClassName : "icon-button row-menu-button"}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={trigger ? undefined : label}
        data-testid={testId}
        onClick={() => setOpen((value) => !value)}
      >
        {trigger ?? <Dots />}
      </button>
      {open && (
        <div
          className="menu row-menu"
          role="menu"
          id={id}
          ref={menuRef}
          aria-label={label}
          style={{
            position: "fixed",
            top: place.top,
            bottom: place.bottom,
            right: place.right,
            left: "auto",
          }}
          onKeyDown={onKey}
        >
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={action.danger ? "menu-item menu-item-danger" : "menu-item"}
              data-testid={action.testId}
              onClick={() => {
                setOpen(false);
                action.onSelect();
              }}
            >
              <Icon name={action.icon} />
              {action.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
