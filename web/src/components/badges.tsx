import type { InvitationStatus, Role, UserStatus } from "../accounts/types";
import { useT } from "../i18n/i18n";

export function RoleBadge({ role }: { role: Role }) {
  const t = useT();
  return (
    <span className={`badge badge-role-${role}`} data-role={role}>
      {t(`role.${role}`)}
    </span>
  );
}

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const t = useT();
  return (
    <span className={`badge badge-status-${status}`} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {t(`userStatus.${status}`)}
    </span>
  );
}

export function InvitationStatusBadge({ status }: { status: InvitationStatus }) {
  const t = useT();
  return (
    <span className={`badge badge-invitation-${status}`} data-status={status}>
      {t(`invitationStatus.${status}`)}
    </span>
  );
}
