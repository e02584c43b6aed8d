import { useState } from "react";
import { invitations as invitationsApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import type { Invitation } from "../accounts/types";
import { InvitationStatusBadge, RoleBadge } from "../components/badges";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { type Resource, useResource } from "../components/use-resource";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";

export type PendingInvitations = Resource<{ items: Invitation[] }> & { items: Invitation[] | undefined };

/** Invitations still waiting for an answer: pending ones, and expired ones that can be sent again. */
export function usePendingInvitations(): PendingInvitations {
  const resource = useResource(() => invitationsApi.list());
  const items = resource.data?.items.filter(
    (invitation) => invitation.status === "pending" || invitation.status === "expired",
  );
  return { ...resource, items };
}

function fullName(invitation: Invitation): string {
  return [invitation.firstName, invitation.lastName].filter(Boolean).join(" ");
}

function recipient(invitation: Invitation): string {
  return fullName(invitation) || invitation.email || formatPhone(invitation.mobile ?? "");
}

/** The line under the recipient: whatever the first line did not already say. */
function recipientDetail(invitation: Invitation): string {
  const parts = [
    fullName(invitation) ? invitation.email : undefined,
    invitation.mobile ? formatPhone(invitation.mobile) : undefined,
  ];
  return parts.filter(Boolean).join(" · ");
}

export function InvitationsPanel({
  resource,
  agencyNames,
  manage,
}: {
  resource: PendingInvitations;
  agencyNames: Map<string, string>;
  manage: boolean;
}) {
  const { t, dateTime } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const resend = async (invitation: Invitation) => {
    setBusy(invitation.invitationId);
    try {
      const { invitation: sent } = await invitationsApi.resend(invitation.invitationId);
      resource.set((current) =>
        current
          ? { items: current.items.map((item) => (item.invitationId === sent.invitationId ? sent : item)) }
          : current,
      );
      toast(t("invitations.resent", { to: recipient(sent) }));
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(null);
    }
  };

  const revoke = async (invitation: Invitation) => {
    setBusy(invitation.invitationId);
    setFailure(null);
    try {
      await invitationsApi.revoke(invitation.invitationId);
      resource.set((current) =>
        current
          ? { items: current.items.filter((item) => item.invitationId !== invitation.invitationId) }
          : current,
      );
      setRevoking(null);
      toast(t("invitations.revoked", { to: recipient(invitation) }));
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(null);
    }
  };

  const items = resource.items ?? [];

  return (
    <>
      <DataTable
        caption={t("users.tab.invitations")}
        testId="invitations-table"
        error={resource.error === undefined ? null : errorText(t, resource.error)}
        columns={7}
        actionsColumn={manage}
        head={
          <>
            <th scope="col">{t("invitations.recipient")}</th>
            <th scope="col">{t("invitations.channel")}</th>
            <th scope="col">{t("user.role")}</th>
            <th scope="col">{t("user.agencies")}</th>
            <th scope="col">{t("invitations.invitedBy")}</th>
            <th scope="col">{t("invitations.expires")}</th>
          </>
        }
        empty={resource.items ? items.length === 0 && t("invitations.empty") : t("app.loading")}
      >
        {items.map((invitation) => (
          <tr key={invitation.invitationId} data-testid="invitation-row" data-status={invitation.status}>
            <th scope="row" data-label={t("invitations.recipient")}>
              <span className="person-text">
                <span className="person-name">{recipient(invitation)}</span>
                <span className="person-detail">{recipientDetail(invitation)}</span>
              </span>
            </th>
            <td data-label={t("invitations.channel")}>
              <span className="channel">
                <Icon name={invitation.channel === "sms" ? "sms" : "email"} size={14} />
                {t(`channel.${invitation.channel}`)}
              </span>
            </td>
            <td data-label={t("user.role")}>
              <RoleBadge role={invitation.role} />
            </td>
            <td data-label={t("user.agencies")} className="agencies-cell">
              {invitation.agencyIds.map((agencyId) => agencyNames.get(agencyId) ?? "—").join(", ") || "—"}
            </td>
            <td data-label={t("invitations.invitedBy")}>
              <span className="person-text">
                <span>{invitation.invitedBy.name}</span>
                <span className="person-detail nowrap">{dateTime(invitation.createdAt)}</span>
              </span>
            </td>
            <td data-label={t("invitations.expires")} className="nowrap">
              {invitation.status === "expired" ? (
                <InvitationStatusBadge status="expired" />
              ) : (
                dateTime(invitation.expiresAt)
              )}
            </td>
            {manage && (
              <td className="actions-cell">
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy === invitation.invitationId}
                    onClick={() => void resend(invitation)}
                    data-testid="invitation-resend"
                  >
                    {t("invitations.resend")}
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy === invitation.invitationId}
                    onClick={() => {
                      setFailure(null);
                      setRevoking(invitation);
                    }}
                    data-testid="invitation-revoke"
                  >
                    {t("invitations.revoke")}
                  </button>
                </div>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {revoking && (
        <ConfirmDialog
          title={t("invitations.revokeTitle")}
          onClose={() => setRevoking(null)}
          action={{
            label: t("invitations.revoke"),
            testId: "invitation-revoke-confirm",
            tone: "danger",
            disabled: busy !== null,
            onClick: () => void revoke(revoking),
          }}
        >
          <div className="form form-tight">
            <p>{t("invitations.revokeBody", { to: recipient(revoking) })}</p>
            <ErrorNotice text={failure} />
          </div>
        </ConfirmDialog>
      )}
    </>
  );
}
