import type { ComponentProps, ReactNode } from "react";
import { useT } from "../i18n/i18n";
import { Modal } from "./modal";

/** The one action of a dialog: a plain button, or the submit button of `form`. */
export type DialogAction = {
  label: ReactNode;
  testId: string;
  tone?: "primary" | "danger";
  onClick?: () => void;
  /** The id of the form this button submits, when the dialog's body is a form. */
  form?: string;
  /** Shows a spinner (in place of `icon`) and disables the button. */
  busy?: boolean;
  disabled?: boolean;
  icon?: ReactNode;
};

/**
 * « Annuler » and the dialog's action, on the right. `start` goes on the far left (« Choisir un autre
 * fichier »); `apart` sends « Annuler » there too, when going back is the safe way out.
 */
export function DialogFooter({
  onCancel,
  cancelLabel,
  cancelDisabled,
  apart = false,
  start,
  action,
}: {
  onCancel: () => void;
  cancelLabel?: string;
  cancelDisabled?: boolean;
  apart?: boolean;
  start?: ReactNode;
  action?: DialogAction;
}) {
  const t = useT();
  return (
    <>
      {start}
      {start && <span className="footer-spacer" />}
      <button type="button" className="button" onClick={onCancel} disabled={cancelDisabled}>
        {cancelLabel ?? t("common.cancel")}
      </button>
      {apart && <span className="footer-spacer" />}
      {action && (
        <button
          type={action.form ? "submit" : "button"}
          form={action.form}
          className={`button button-${action.tone ?? "primary"}`}
          disabled={action.busy || action.disabled}
          onClick={action.onClick}
          data-testid={action.testId}
        >
          {action.busy ? <span className="spinner" aria-hidden="true" /> : action.icon}
          {action.label}
        </button>
      )}
    </>
  );
}

/** A modal that ends on « Annuler » and one action: confirmations, and the short forms of a dialog. */
export function ConfirmDialog({
  size = "small",
  cancelLabel,
  cancelDisabled,
  apart,
  action,
  ...modal
}: Omit<ComponentProps<typeof Modal>, "footer"> & {
  cancelLabel?: string;
  cancelDisabled?: boolean;
  apart?: boolean;
  action: DialogAction;
}) {
  return (
    <Modal
      {...modal}
      size={size}
      footer={
        <DialogFooter
          onCancel={modal.onClose}
          cancelLabel={cancelLabel}
          cancelDisabled={cancelDisabled}
          apart={apart}
          action={action}
        />
      }
    />
  );
}
