import { type FormEvent, useState } from "react";
import { errorText } from "../accounts/errors";
import { api, unwrap } from "../api";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { Link, matchPath, navigate, usePathname } from "../router";
import { groups } from "./client";
import { GroupFileImport } from "./group-file-import";

/** « Groupes de salariés »: « Tous les salariés » (derived) first, then the company's own. */
export function StaffGroupsPage() {
  usePageTitle("staff.groups.title");
  const { t, number } = useI18n();
  const list = useResource(() => groups.list());
  const [name, setName] = useState("");
  const [failure, setFailure] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const created = await groups.create(name);
      navigate(`/staff/groups/${created.group.groupId}`);
    } catch (error) {
      setFailure(errorText(t, error));
    }
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("staff.groups.title")}</h1>
          <p className="page-subtitle">{t("staff.groups.subtitle")}</p>
        </div>
      </header>
      <form className="card card-padded inline-fields" onSubmit={(event) => void create(event)}>
        <input
          aria-label={t("staff.groups.name")}
          placeholder={t("staff.groups.name")}
          value={name}
          maxLength={80}
          onChange={(event) => setName(event.target.value)}
          data-testid="staff-group-name"
        />
        <button type="submit" className="button button-primary" disabled={!name.trim()}>
          {t("staff.groups.create")}
        </button>
      </form>
      <ErrorNotice text={failure} />
      <DataTable
        caption={t("staff.groups.title")}
        testId="staff-groups"
        busy={list.loading}
        error={list.error === undefined ? null : errorText(t, list.error)}
        columns={2}
        head={
          <>
            <th scope="col">{t("staff.groups.name")}</th>
            <th scope="col">{t("staff.groups.members")}</th>
          </>
        }
        empty={!list.data && t("app.loading")}
      >
        {list.data?.items.map((group) => (
          <tr key={group.groupId} data-testid="staff-group-row">
            <td>
              <Link href={`/staff/groups/${group.groupId}`}>{group.name}</Link>
              {group.builtIn && <span className="text-subtle"> · {t("staff.groups.builtIn")}</span>}
            </td>
            <td>{number(group.memberCount)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

type Found = { partnerId: string; name: string; matricule?: string };

/** One group: its employees, a search to add more, remove; « Tous les salariés » is read-only. */
export function StaffGroupPage() {
  const pathname = usePathname();
  const groupId = matchPath("/staff/groups/:groupId", pathname)?.groupId ?? "";
  usePageTitle("staff.groups.title");
  const { t, number } = useI18n();
  const group = useResource(() => groups.get(groupId), groupId);
  const [q, setQ] = useState("");
  const members = useResource(() => groups.members(groupId, q), `${groupId}:${q}`);
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<Found[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [pasted, setPasted] = useState("");
  const [pasteReport, setPasteReport] = useState<string | null>(null);
  const builtIn = group.data?.group.builtIn ?? true;

  const find = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await unwrap(api.api.partners.$get({ query: { q: search, limit: "20" } }));
    setFound(answer.items);
  };
  const add = async (partnerId: string) => {
    setFailure(null);
    try {
      await groups.add(groupId, [partnerId]);
      await Promise.all([group.reload(), members.reload()]);
    } catch (error) {
      setFailure(errorText(t, error));
    }
  };
  const importPasted = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const answer = await groups.paste(groupId, pasted);
      setPasteReport(
        t("staff.groups.pasteReport", {
          added: number(answer.added),
          unknown: answer.unknown.join(", ") || "—",
          notEmployees: answer.notEmployees.join(", ") || "—",
        }),
      );
      setPasted("");
      await Promise.all([group.reload(), members.reload()]);
    } catch (error) {
      setFailure(errorText(t, error));
    }
  };
  const remove = async (partnerId: string) => {
    await groups.removeMember(groupId, partnerId);
    await Promise.all([group.reload(), members.reload()]);
  };
  const drop = async () => {
    await groups.remove(groupId);
    toast(t("staff.groups.deleted"));
    navigate("/staff/groups");
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 data-testid="staff-group-title">{group.data?.group.name ?? "…"}</h1>
          <p className="page-subtitle">
            {builtIn
              ? t("staff.groups.allHint")
              : t("staff.groups.count", { count: number(group.data?.group.memberCount ?? 0) })}
          </p>
        </div>
        {!builtIn && (
          <button type="button" className="button button-danger" onClick={() => void drop()}>
            {t("staff.delete")}
          </button>
        )}
      </header>
      {!builtIn && (
        <form className="card card-padded inline-fields" onSubmit={(event) => void find(event)}>
          <input
            aria-label={t("staff.groups.search")}
            placeholder={t("staff.groups.search")}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="staff-group-search"
          />
          <button type="submit" className="button">
            {t("staff.groups.find")}
          </button>
        </form>
      )}
      {found.length > 0 && (
        <ul className="card card-padded stack-sm" data-testid="staff-group-found">
          {found.map((partner) => (
            <li key={partner.partnerId}>
              {partner.name} {partner.matricule && <span className="text-subtle">({partner.matricule})</span>}{" "}
              <button
                type="button"
                className="button button-small"
                onClick={() => void add(partner.partnerId)}
              >
                {t("staff.groups.add")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {!builtIn && (
        <div className="staff-columns">
          <form className="card card-padded form" onSubmit={(event) => void importPasted(event)}>
            <label htmlFor="staff-group-paste">{t("staff.groups.paste")}</label>
            <textarea
              id="staff-group-paste"
              rows={4}
              value={pasted}
              onChange={(event) => setPasted(event.target.value)}
              data-testid="staff-group-paste"
            />
            <p className="field-hint">{t("staff.groups.pasteHint")}</p>
            <button type="submit" className="button" disabled={!pasted.trim()}>
              {t("staff.groups.pasteAdd")}
            </button>
            {pasteReport && <p data-testid="staff-group-paste-report">{pasteReport}</p>}
          </form>
          <GroupFileImport
            groupId={groupId}
            onImported={() => Promise.all([group.reload(), members.reload()])}
          />
        </div>
      )}
      <ErrorNotice text={failure} />
      <input
        className="staff-filter"
        aria-label={t("staff.groups.filter")}
        placeholder={t("staff.groups.filter")}
        value={q}
        onChange={(event) => setQ(event.target.value)}
      />
      <DataTable
        caption={t("staff.groups.members")}
        testId="staff-group-members"
        busy={members.loading}
        error={members.error === undefined ? null : errorText(t, members.error)}
        columns={builtIn ? 3 : 4}
        head={
          <>
            <th scope="col">{t("staff.groups.name")}</th>
            <th scope="col">{t("staff.groups.matricule")}</th>
            <th scope="col">{t("staff.groups.address")}</th>
            {!builtIn && <th scope="col" />}
          </>
        }
        empty={members.data?.items.length === 0 ? t("staff.groups.empty") : !members.data && t("app.loading")}
      >
        {members.data?.items.map((member) => (
          <tr key={member.partnerId} data-testid="staff-member-row">
            <td>{member.name}</td>
            <td>{member.matricule ?? "—"}</td>
            <td>{member.mobile ?? member.email ?? "—"}</td>
            {!builtIn && (
              <td>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => void remove(member.partnerId)}
                >
                  {t("staff.groups.remove")}
                </button>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
