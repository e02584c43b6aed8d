import "./users.css";
import { useMemo, useState } from "react";
import { agencies as agenciesApi, type UserFilters, users as usersApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { can, grantableRoles } from "../accounts/permissions";
import { type Agency, type Me, type Role, roles, type UserStatus, type UserSummary } from "../accounts/types";
import { RoleBadge, UserStatusBadge } from "../components/badges";
import { DataTable } from "../components/data-table";
import { FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { toast } from "../components/toast";
import { useDebounced } from "../components/use-debounced";
import { useResource } from "../components/use-resource";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { useMe } from "../session/session-store";
import { CreateDialog } from "./create-dialog";
import { EditDialog } from "./edit-dialog";
import { ImportWizard } from "./import-wizard";
import { InvitationsPanel, usePendingInvitations } from "./invitations";
import { InviteDialog } from "./invite-dialog";
import { StatusDialog } from "./status-dialog";

type Dialog =
  | { kind: "invite" }
  | { kind: "create" }
  | { kind: "import" }
  | { kind: "edit"; user: UserSummary }
  | { kind: "status"; user: UserSummary };

type Tab = "users" | "invitations";

const userStatuses: UserStatus[] = ["active", "deactivated"];

/** A user the signed-in person may edit or (de)activate, per the permission matrix. */
function mayManage(me: Me, user: UserSummary): boolean {
  if (user.userId === me.userId) return false;
  if (me.role === "admin") return true;
  return me.role === "manager" && user.role === "user";
}

export function UsersPage() {
  usePageTitle("users.title");
  const { t, dateTime, number } = useI18n();
  const me = useMe();
  const [tab, setTab] = useState<Tab>("users");
  const [search, setSearch] = useState("");
  const [agencyId, setAgencyId] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [status, setStatus] = useState<UserStatus | "">("");
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const debouncedSearch = useDebounced(search.trim(), 250);

  const filters: UserFilters = {
    search: debouncedSearch || undefined,
    agencyId: agencyId || undefined,
    role: role || undefined,
    status: status || undefined,
  };
  const list = useResource(() => usersApi.list(filters), JSON.stringify(filters));
  const agencyList = useResource(() => agenciesApi.list(true));
  const pending = usePendingInvitations();

  const agencies: Agency[] = agencyList.data?.items ?? [];
  const agencyNames = useMemo(
    () => new Map(agencies.map((agency) => [agency.agencyId, agency.name])),
    [agencies],
  );

  if (!me) return null;
  const manage = can.manageUsers(me.role);
  const items = list.data?.items ?? [];
  const filtered = Boolean(filters.search || filters.agencyId || filters.role || filters.status);

  const clearFilters = () => {
    setSearch("");
    setAgencyId("");
    setRole("");
    setStatus("");
  };

  const replaceUser = (saved: UserSummary) =>
    list.set((current) =>
      current
        ? { items: current.items.map((user) => (user.userId === saved.userId ? saved : user)) }
        : current,
    );

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("users.title")}</h1>
          <p className="page-subtitle">
            {t(me.role === "admin" ? "users.subtitle.admin" : "users.subtitle.manager")}
          </p>
        </div>
        {manage && (
          <div className="page-actions">
            <button
              type="button"
              className="button"
              onClick={() => setDialog({ kind: "import" })}
              disabled={!agencyList.data}
              data-testid="users-import"
            >
              <Icon name="upload" />
              {t("users.import")}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => setDialog({ kind: "create" })}
              disabled={!agencyList.data}
              data-testid="users-create"
            >
              <Icon name="plus" />
              {t("users.create")}
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => setDialog({ kind: "invite" })}
              disabled={!agencyList.data}
              data-testid="users-invite"
            >
              <Icon name="send" />
              {t("users.invite")}
            </button>
          </div>
        )}
      </header>

      <div className="tabs" role="tablist" aria-label={t("users.title")}>
        <button
          type="button"
          role="tab"
          id="tab-users"
          aria-selected={tab === "users"}
          aria-controls="panel-users"
          className="tab"
          data-testid="tab-users"
          onClick={() => setTab("users")}
        >
          {t("users.tab.users")}
          {list.data && !filtered && <span className="tab-count">{number(items.length)}</span>}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-invitations"
          aria-selected={tab === "invitations"}
          aria-controls="panel-invitations"
          className="tab"
          data-testid="tab-invitations"
          onClick={() => setTab("invitations")}
        >
          {t("users.tab.invitations")}
          {pending.items && <span className="tab-count">{number(pending.items.length)}</span>}
        </button>
      </div>

      {tab === "users" ? (
        <section id="panel-users" role="tabpanel" aria-labelledby="tab-users" className="stack">
          <FilterBar
            testId="users-filters"
            clearLabel={t("users.filter.clear")}
            onClear={filtered ? clearFilters : undefined}
          >
            <SearchBox
              label={t("users.search")}
              placeholder={t("users.searchPlaceholder")}
              value={search}
              onChange={setSearch}
              testId="users-search"
            />
            <FilterSelect
              label={t("user.agency")}
              allLabel={t("users.filter.allAgencies")}
              value={agencyId}
              options={agencies
                .filter((agency) => !agency.archived)
                .map((agency) => ({ value: agency.agencyId, label: agency.name }))}
              onChange={setAgencyId}
              testId="filter-agency"
            />
            <FilterSelect
              label={t("user.role")}
              allLabel={t("users.filter.allRoles")}
              value={role}
              options={roles.map((option) => ({ value: option, label: t(`role.${option}`) }))}
              onChange={setRole}
              testId="filter-role"
            />
            <FilterSelect
              label={t("user.status")}
              allLabel={t("users.filter.allStatuses")}
              value={status}
              options={userStatuses.map((option) => ({ value: option, label: t(`userStatus.${option}`) }))}
              onChange={setStatus}
              testId="filter-status"
            />
          </FilterBar>

          <DataTable
            caption={t("users.title")}
            className="users-table"
            testId="users-table"
            busy={list.loading}
            error={list.error === undefined ? null : errorText(t, list.error)}
            columns={7}
            actionsColumn={manage}
            head={
              <>
                <th scope="col">{t("user.name")}</th>
                <th scope="col">{t("user.role")}</th>
                <th scope="col">{t("user.agencies")}</th>
                <th scope="col">{t("user.mobile")}</th>
                <th scope="col">{t("user.status")}</th>
                <th scope="col">{t("user.lastLogin")}</th>
              </>
            }
            empty={
              list.data
                ? items.length === 0 && t(filtered ? "users.emptyFiltered" : "users.empty")
                : list.loading && t("app.loading")
            }
          >
            {items.map((user) => (
              <tr
                key={user.userId}
                data-testid="user-row"
                data-email={user.email}
                data-status={user.status}
                className={user.status === "deactivated" ? "row-muted" : undefined}
              >
                <th scope="row" data-label={t("user.name")}>
                  <div className="person">
                    <span className="avatar avatar-lg" aria-hidden="true">
                      {`${user.firstName.charAt(0)}${user.lastName.charAt(0)}`.toUpperCase()}
                    </span>
                    <span className="person-text">
                      <span className="person-name">
                        {user.firstName} {user.lastName}
                        {user.userId === me.userId && <span className="you"> ({t("users.you")})</span>}
                      </span>
                      <span className="person-detail" title={user.email}>
                        {user.email}
                      </span>
                      {user.mustChangePassword && user.status === "active" && (
                        <span className="marker" data-testid="must-change-password">
                          <Icon name="key" size={12} />
                          {t("users.mustChangePassword")}
                        </span>
                      )}
                    </span>
                  </div>
                </th>
                <td data-label={t("user.role")}>
                  <RoleBadge role={user.role} />
                </td>
                <td data-label={t("user.agencies")} className="agencies-cell">
                  {user.agencyIds.map((agencyId) => agencyNames.get(agencyId) ?? "—").join(", ") || "—"}
                </td>
                <td data-label={t("user.mobile")} className="nowrap">
                  {user.mobile ? formatPhone(user.mobile) : "—"}
                </td>
                <td data-label={t("user.status")}>
                  <UserStatusBadge status={user.status} />
                </td>
                <td data-label={t("user.lastLogin")} className="nowrap text-muted">
                  {user.lastLoginAt ? dateTime(user.lastLoginAt) : t("users.neverLoggedIn")}
                </td>
                {manage && (
                  <td className="actions-cell">
                    {mayManage(me, user) && (
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setDialog({ kind: "edit", user })}
                          data-testid="user-edit"
                        >
                          {t("common.edit")}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setDialog({ kind: "status", user })}
                          data-testid={user.status === "active" ? "user-deactivate" : "user-reactivate"}
                        >
                          {t(user.status === "active" ? "users.deactivate" : "users.reactivate")}
                        </button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
        </section>
      ) : (
        <section id="panel-invitations" role="tabpanel" aria-labelledby="tab-invitations" className="stack">
          <InvitationsPanel resource={pending} agencyNames={agencyNames} manage={manage} />
        </section>
      )}

      {dialog?.kind === "invite" && (
        <InviteDialog
          me={me}
          agencies={agencies}
          onClose={() => setDialog(null)}
          onInvited={(invitation) => {
            setDialog(null);
            toast(
              t(invitation.channel === "sms" ? "users.invite.sentSms" : "users.invite.sentEmail", {
                to:
                  invitation.channel === "sms"
                    ? formatPhone(invitation.mobile ?? "")
                    : (invitation.email ?? ""),
              }),
            );
            void pending.reload();
          }}
        />
      )}
      {dialog?.kind === "create" && (
        <CreateDialog
          me={me}
          agencies={agencies}
          onClose={() => setDialog(null)}
          onCreated={() => void list.reload()}
        />
      )}
      {dialog?.kind === "import" && (
        <ImportWizard
          roles={grantableRoles(me.role)}
          onClose={() => setDialog(null)}
          onImported={() => {
            void list.reload();
            void pending.reload();
          }}
        />
      )}
      {dialog?.kind === "edit" && (
        <EditDialog
          me={me}
          user={dialog.user}
          agencies={agencies}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            replaceUser(saved);
            toast(t("users.edit.saved", { name: `${saved.firstName} ${saved.lastName}` }));
          }}
        />
      )}
      {dialog?.kind === "status" && (
        <StatusDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            replaceUser(saved);
            toast(
              t(saved.status === "active" ? "users.reactivate.done" : "users.deactivate.done", {
                name: `${saved.firstName} ${saved.lastName}`,
              }),
            );
          }}
        />
      )}
    </div>
  );
}
