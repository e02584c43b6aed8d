import { type FormEvent, useId, useState } from "react";
import { invitations } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { grantableRoles } from "../accounts/permissions";
import type { Agency, Channel, Invitation, Me } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice } from "../components/notice";
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
  // By SMS the email may be left to the person, who types it (their login) when accepting.
  const rules = {
    email: channel === "sms" ? "optional" : "required",
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
        email: payload.email || undefined,
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
