import { type ReactNode, useEffect, useId, useRef } from "react";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";

/**
 * A modal on the native `<dialog>`: the browser traps focus, dims the page and closes on Escape.
 * The parent decides whether it is shown by mounting it.
 */
export function Modal({
  title,
  description,
  children,
  footer,
  onClose,
  size = "medium",
  testId,
  dismissable = true,
}: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  onClose: () => void;
  size?: "small" | "medium" | "large";
  testId?: string;
  dismissable?: boolean;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      previous?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissable) onCloseRef.current();
      }}
    >
      <div className="modal-header">
        <h2 id={titleId}>{title}</h2>
        {dismissable && (
          <button type="button" className="icon-button" aria-label={t("common.close")} onClick={onClose}>
            <Icon name="close" />
          </button>
        )}
      </div>
      {description && (
        <div className="modal-description text-muted" id={descriptionId}>
          {description}
        </div>
      )}
      {children && <div className="modal-body">{children}</div>}
      {footer && <div className="modal-footer">{footer}</div>}
    </dialog>
  );
}
