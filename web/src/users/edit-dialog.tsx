import { type FormEvent, useId, useState } from "react";
import { users } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { grantableRoles } from "../accounts/permissions";
import type { Agency, Me, UserSummary } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice } from "../components/notice";
import { normalisePhone } from "../format-phone";
import { useT } from "../i18n/i18n";
import { type UserErrors, UserFields, type UserValues, validateUser } from "./user-fields";

/** Names, mobile, role (admins only) and agencies of an existing user. */
export function EditDialog({
  me,
  user,
  agencies,
  onClose,
  onSaved,
}: {
  me: Me;
  user: UserSummary;
  agencies: Agency[];
  onClose: () => void;
  onSaved: (user: UserSummary) => void;
}) {
  const t = useT();
  const formId = useId();
  const [values, setValues] = useState<UserValues>({
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    mobile: user.mobile ?? "",
    role: user.role,
    agencyIds: user.agencyIds,
  });
  const [errors, setErrors] = useState<UserErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const rules = { email: "readonly", names: "required", mobile: "optional" } as const;
  const roles = me.role === "admin" ? grantableRoles(me.role) : [user.role];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    const found = validateUser(values, rules);
    setErrors(found);
    if (Object.keys(found).length > 0 || busy) return;
    setBusy(true);
    setFailure(null);
    const mobile = normalisePhone(values.mobile);
    const sameAgencies =
      values.agencyIds.length === user.agencyIds.length &&
      values.agencyIds.every((agencyId) => user.agencyIds.includes(agencyId));
    try {
      const { user: saved } = await users.update(user.userId, {
        firstName: values.firstName.trim() === user.firstName ? undefined : values.firstName.trim(),
        lastName: values.lastName.trim() === user.lastName ? undefined : values.lastName.trim(),
        mobile: mobile === (user.mobile ?? "") ? undefined : mobile || null,
        role: values.role === user.role ? undefined : values.role,
        agencyIds: sameAgencies ? undefined : values.agencyIds,
      });
      onSaved(saved);
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("users.edit.title", { name: `${user.firstName} ${user.lastName}` })}
      size="medium"
      onClose={onClose}
      testId="edit-dialog"
      action={{ label: t("common.save"), testId: "edit-submit", form: formId, busy }}
    >
      <form id={formId} noValidate onSubmit={submit}>
        <UserFields
          values={values}
          onChange={(next) => {
            setValues(next);
            if (attempted) setErrors(validateUser(next, rules));
          }}
          errors={errors}
          rules={rules}
          roles={roles}
          agencies={agencies}
          disabled={busy}
        />
        {failure && (
          <div className="form-outcome-spaced">
            <ErrorNotice text={failure} testId="edit-error" />
          </div>
        )}
      </form>
    </ConfirmDialog>
  );
}
