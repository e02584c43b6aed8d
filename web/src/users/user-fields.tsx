import { useId } from "react";
import type { Agency, Me, Role } from "../accounts/types";
import { AgencyPicker } from "../components/agency-picker";
import { FieldError } from "../components/notice";
import { normalisePhone } from "../format-phone";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { emailPattern } from "../session/login-page";

export type UserValues = {
  email: string;
  firstName: string;
  lastName: string;
  mobile: string;
  role: Role;
  agencyIds: string[];
};

export type UserField = keyof UserValues;
export type UserErrors = Partial<Record<UserField, MessageKey>>;

const mobilePattern = /^\+[1-9]\d{7,14}$/;

/** Which fields a form asks for, and which of them must be filled. */
export type UserFieldRules = {
  email: "required" | "optional" | "hidden" | "readonly";
  names: "required" | "optional";
  mobile: "required" | "optional";
};

export function validateUser(values: UserValues, rules: UserFieldRules): UserErrors {
  const errors: UserErrors = {};
  if (rules.email === "required" && !values.email.trim()) errors.email = "login.error.emailRequired";
  else if (
    (rules.email === "required" || rules.email === "optional") &&
    values.email.trim() &&
    !emailPattern.test(values.email.trim())
  )
    errors.email = "login.error.emailFormat";
  if (rules.names === "required") {
    if (!values.firstName.trim()) errors.firstName = "user.error.firstNameRequired";
    if (!values.lastName.trim()) errors.lastName = "user.error.lastNameRequired";
  }
  const mobile = normalisePhone(values.mobile);
  if (!mobile && rules.mobile === "required") errors.mobile = "user.error.mobileRequired";
  else if (mobile && !mobilePattern.test(mobile)) errors.mobile = "user.error.mobileFormat";
  if (values.agencyIds.length === 0) errors.agencyIds = "user.error.agenciesRequired";
  return errors;
}

/** Names, email, mobile, role and agencies: shared by the invite, create and edit dialogs. */
export function UserFields({
  values,
  onChange,
  errors,
  rules,
  roles,
  agencies,
  disabled,
}: {
  values: UserValues;
  onChange: (values: UserValues) => void;
  errors: UserErrors;
  rules: UserFieldRules;
  roles: Role[];
  agencies: Agency[];
  disabled?: boolean;
}) {
  const t = useT();
  const id = useId();
  const set = <K extends UserField>(field: K, value: UserValues[K]) =>
    onChange({ ...values, [field]: value });
  const invalid = (field: UserField) => (errors[field] ? true : undefined);
  const error = (field: UserField) => {
    const key = errors[field];
    return key ? <FieldError id={`${id}-${field}-error`}>{t(key)}</FieldError> : null;
  };
  const describedBy = (field: UserField, hint?: string) =>
    [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const optional = <span className="optional">{t("common.optional")}</span>;

  return (
    <div className="form form-tight">
      {rules.email !== "hidden" && (
        <div className="field">
          <label htmlFor={`${id}-email`}>
            {t("login.email")} {rules.email === "optional" && optional}
          </label>
          <input
            id={`${id}-email`}
            type="email"
            data-testid="user-email"
            autoComplete="off"
            spellCheck={false}
            value={values.email}
            readOnly={rules.email === "readonly"}
            disabled={disabled || rules.email === "readonly"}
            aria-invalid={invalid("email")}
            aria-describedby={describedBy("email")}
            onChange={(event) => set("email", event.target.value)}
          />
          {error("email")}
        </div>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-first`}>
            {t("user.firstName")} {rules.names === "optional" && optional}
          </label>
          <input
            id={`${id}-first`}
            data-testid="user-first-name"
            autoComplete="off"
            value={values.firstName}
            disabled={disabled}
            aria-invalid={invalid("firstName")}
            aria-describedby={describedBy("firstName")}
            onChange={(event) => set("firstName", event.target.value)}
          />
          {error("firstName")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-last`}>
            {t("user.lastName")} {rules.names === "optional" && optional}
          </label>
          <input
            id={`${id}-last`}
            data-testid="user-last-name"
            autoComplete="off"
            value={values.lastName}
            disabled={disabled}
            aria-invalid={invalid("lastName")}
            aria-describedby={describedBy("lastName")}
            onChange={(event) => set("lastName", event.target.value)}
          />
          {error("lastName")}
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-mobile`}>
            {t("user.mobile")} {rules.mobile === "optional" && optional}
          </label>
          <input
            id={`${id}-mobile`}
            type="tel"
            data-testid="user-mobile"
            autoComplete="off"
            placeholder="06 12 34 56 78"
            value={values.mobile}
            disabled={disabled}
            aria-invalid={invalid("mobile")}
            aria-describedby={describedBy("mobile", `${id}-mobile-hint`)}
            onChange={(event) => set("mobile", event.target.value)}
          />
          <p className="field-hint" id={`${id}-mobile-hint`}>
            {t("user.mobileHint")}
          </p>
          {error("mobile")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t("user.role")}</label>
          <select
            id={`${id}-role`}
            data-testid="user-role"
            value={values.role}
            disabled={disabled || roles.length < 2}
            onChange={(event) => set("role", event.target.value as Role)}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
          <p className="field-hint">{t(`role.${values.role}.hint`)}</p>
        </div>
      </div>
      <div className="field">
        <span className="field-label" id={`${id}-agencies-label`}>
          {t("user.agencies")}
        </span>
        <AgencyPicker
          agencies={agencies}
          value={values.agencyIds}
          onChange={(agencyIds) => set("agencyIds", agencyIds)}
          invalid={invalid("agencyIds")}
          disabled={disabled}
          describedBy={describedBy("agencyIds")}
        />
        {error("agencyIds")}
      </div>
    </div>
  );
}

export function userPayload(values: UserValues) {
  const mobile = normalisePhone(values.mobile);
  return {
    email: values.email.trim(),
    firstName: values.firstName.trim(),
    lastName: values.lastName.trim(),
    mobile: mobile || undefined,
    role: values.role,
    agencyIds: values.agencyIds,
  };
}

/** A new person starts in the inviter's agency when they have only one. */
export function emptyValues(me: Me, agencies: Agency[]): UserValues {
  const mine = agencies.filter((agency) => !agency.archived && me.agencyIds.includes(agency.agencyId));
  return {
    email: "",
    firstName: "",
    lastName: "",
    mobile: "",
    role: "user",
    agencyIds: mine.length === 1 && mine[0] ? [mine[0].agencyId] : [],
  };
}
