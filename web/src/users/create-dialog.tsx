import { type FormEvent, useId, useState } from "react";
import { users } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { grantableRoles } from "../accounts/permissions";
import type { Agency, Me, UserSummary } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { ErrorNotice, Notice } from "../components/notice";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import {
  emptyValues,
  type UserErrors,
  UserFields,
  type UserValues,
  userPayload,
  validateUser,
} from "./user-fields";

/** Create an account directly; the temporary password is shown once, to be handed over. */
export function CreateDialog({
  me,
  agencies,
  onClose,
  onCreated,
}: {
  me: Me;
  agencies: Agency[];
  onClose: () => void;
  onCreated: (user: UserSummary) => void;
}) {
  const t = useT();
  const formId = useId();
  const [values, setValues] = useState<UserValues>(() => emptyValues(me, agencies));
  const [errors, setErrors] = useState<UserErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<{ user: UserSummary; temporaryPassword: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const rules = { email: "required", names: "required", mobile: "optional" } as const;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    const found = validateUser(values, rules);
    setErrors(found);
    if (Object.keys(found).length > 0 || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await users.create(userPayload(values));
      setCreated(result);
      onCreated(result.user);
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.temporaryPassword);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  if (created) {
    return (
      <Modal
        title={t("users.create.doneTitle")}
        onClose={onClose}
        testId="create-done"
        footer={
          <button
            type="button"
            className="button button-primary"
            onClick={onClose}
            data-testid="create-done-close"
          >
            {t("common.done")}
          </button>
        }
      >
        <div className="form form-tight">
          <p>
            {t("users.create.doneBody", {
              name: `${created.user.firstName} ${created.user.lastName}`,
              email: created.user.email,
            })}
          </p>
          <div className="secret">
            <code data-testid="temporary-password">{created.temporaryPassword}</code>
            <button type="button" className="button" onClick={() => void copy()} data-testid="copy-password">
              <Icon name={copied ? "check" : "copy"} />
              {t(copied ? "common.copied" : "common.copy")}
            </button>
          </div>
          <Notice tone="warning">
            <p>{t("users.create.onlyOnce")}</p>
          </Notice>
        </div>
      </Modal>
    );
  }

  return (
    <ConfirmDialog
      title={t("users.create.title")}
      description={t("users.create.subtitle")}
      size="medium"
      onClose={onClose}
      testId="create-dialog"
      action={{ label: t("users.create.submit"), testId: "create-submit", form: formId, busy }}
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
          roles={grantableRoles(me.role)}
          agencies={agencies}
          disabled={busy}
        />
        {failure && (
          <div className="form-outcome-spaced">
            <ErrorNotice text={failure} testId="create-error" />
          </div>
        )}
      </form>
    </ConfirmDialog>
  );
}
