import { type FormEvent, useId, useState } from "react";
import { invitations, users } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { grantableRoles } from "../accounts/permissions";
import type { Agency, Channel, Invitation, Me, UserSummary } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { ErrorNotice, Notice } from "../components/notice";
import { normalisePhone } from "../format-phone";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { type UserErrors, UserFields, type UserValues, userPayload, validateUser } from "./user-fields";

function emptyValues(me: Me, agencies: Agency[]): UserValues {
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

/** Invite by email or SMS: the person receives a link and chooses their own password. */
export function InviteDialog({
  me,
  agencies,
  onClose,
  onInvited,
}: {
  me: Me;
  agencies: Agency[];
  onClose: () => void;
  onInvited: (invitation: Invitation) => void;
}) {
  const t = useT();
  const formId = useId();
  const [channel, setChannel] = useState<Channel>("email");
  const [values, setValues] = useState<UserValues>(() => emptyValues(me, agencies));
  const [errors, setErrors] = useState<UserErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const rules = {
    email: "required",
    names: "optional",
    mobile: channel === "sms" ? "required" : "optional",
  } as const;

  const change = (next: UserValues) => {
    setValues(next);
    if (attempted) setErrors(validateUser(next, rules));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    const found = validateUser(values, rules);
    setErrors(found);
    if (Object.keys(found).length > 0 || busy) return;
    setBusy(true);
    setFailure(null);
    const payload = userPayload(values);
    try {
      const { invitation } = await invitations.create({
        channel,
        email: payload.email,
        mobile: payload.mobile,
        firstName: payload.firstName || undefined,
        lastName: payload.lastName || undefined,
        role: payload.role,
        agencyIds: payload.agencyIds,
      });
      onInvited(invitation);
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("users.invite.title")}
      description={t("users.invite.subtitle")}
      size="medium"
      onClose={onClose}
      testId="invite-dialog"
      action={{
        label: t(channel === "sms" ? "users.invite.submitSms" : "users.invite.submitEmail"),
        testId: "invite-submit",
        form: formId,
        busy,
        icon: <Icon name="send" />,
      }}
    >
      <form id={formId} noValidate onSubmit={submit} className="form form-tight">
        <fieldset className="field">
          <legend className="field-label">{t("users.invite.channel")}</legend>
          <div className="choice-cards">
            {(["email", "sms"] as const).map((option) => (
              <label key={option} className={channel === option ? "choice-card is-selected" : "choice-card"}>
                <input
                  type="radio"
                  name="channel"
                  value={option}
                  data-testid={`invite-channel-${option}`}
                  checked={channel === option}
                  onChange={() => {
                    setChannel(option);
                    if (attempted)
                      setErrors(
                        validateUser(values, {
                          ...rules,
                          mobile: option === "sms" ? "required" : "optional",
                        }),
                      );
                  }}
                />
                <Icon name={option === "sms" ? "sms" : "email"} className="choice-icon" />
                <span>
                  <strong>{t(`channel.${option}`)}</strong>
                  <span className="text-subtle">{t(`users.invite.channel.${option}.hint`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <UserFields
          values={values}
          onChange={change}
          errors={errors}
          rules={rules}
          roles={grantableRoles(me.role)}
          agencies={agencies}
          disabled={busy}
        />
        <ErrorNotice text={failure} testId="invite-error" />
      </form>
    </ConfirmDialog>
  );
}

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

/** Deactivate or reactivate, after confirmation; the API's refusals (last admin, oneself) are shown here. */
export function StatusDialog({
  user,
  onClose,
  onSaved,
}: {
  user: UserSummary;
  onClose: () => void;
  onSaved: (user: UserSummary) => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const deactivating = user.status === "active";
  const name = `${user.firstName} ${user.lastName}`;

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { user: saved } = deactivating
        ? await users.deactivate(user.userId)
        : await users.reactivate(user.userId);
      onSaved(saved);
    } catch (error) {
      setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t(deactivating ? "users.deactivate.title" : "users.reactivate.title", { name })}
      onClose={onClose}
      testId="status-dialog"
      action={{
        label: t(deactivating ? "users.deactivate.confirm" : "users.reactivate.confirm"),
        testId: "status-confirm",
        tone: deactivating ? "danger" : "primary",
        busy,
        onClick: () => void confirm(),
      }}
    >
      <div className="form form-tight">
        <p>
          {t(deactivating ? "users.deactivate.body" : "users.reactivate.body", { name, email: user.email })}
        </p>
        <ErrorNotice text={failure} testId="status-error" />
      </div>
    </ConfirmDialog>
  );
}
