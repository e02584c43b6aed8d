import { useId } from "react";
import { useT } from "../i18n/i18n";
import { FieldError } from "./notice";
import { PasswordInput } from "./password-input";
import { checkPassword, PasswordPolicy } from "./password-policy";

export type NewPassword = { password: string; confirmation: string };

export function newPasswordProblem(value: NewPassword, email?: string): "weak" | "mismatch" | null {
  if (!checkPassword(value.password, email).ok) return "weak";
  if (value.password !== value.confirmation) return "mismatch";
  return null;
}

/** New password and its confirmation, with the policy ticking live beneath. */
export function NewPasswordFields({
  value,
  onChange,
  email,
  attempted,
  disabled,
  label,
}: {
  value: NewPassword;
  onChange: (value: NewPassword) => void;
  email?: string;
  attempted: boolean;
  disabled?: boolean;
  label?: string;
}) {
  const t = useT();
  const id = useId();
  const problem = newPasswordProblem(value, email);
  const weak = attempted && problem === "weak";
  const mismatch = value.confirmation.length > 0 && value.password !== value.confirmation;
  const showMismatch = mismatch && (attempted || value.confirmation.length >= value.password.length);
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-password`}>{label ?? t("password.new")}</label>
        <PasswordInput
          id={`${id}-password`}
          name="new-password"
          data-testid="new-password"
          autoComplete="new-password"
          value={value.password}
          disabled={disabled}
          aria-invalid={weak || undefined}
          aria-describedby={`${id}-policy`}
          onChange={(event) => onChange({ ...value, password: event.target.value })}
        />
        <PasswordPolicy id={`${id}-policy`} password={value.password} email={email} />
        {weak && <FieldError>{t("password.error.weak")}</FieldError>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirmation`}>{t("password.confirmation")}</label>
        <PasswordInput
          id={`${id}-confirmation`}
          name="confirm-password"
          data-testid="confirm-password"
          autoComplete="new-password"
          value={value.confirmation}
          disabled={disabled}
          aria-invalid={showMismatch || (attempted && !value.confirmation) || undefined}
          aria-describedby={showMismatch ? `${id}-mismatch` : undefined}
          onChange={(event) => onChange({ ...value, confirmation: event.target.value })}
        />
        {showMismatch && <FieldError id={`${id}-mismatch`}>{t("password.error.mismatch")}</FieldError>}
        {attempted && !mismatch && !value.confirmation && (
          <FieldError>{t("password.error.confirmationRequired")}</FieldError>
        )}
      </div>
    </>
  );
}
