import "../contacts/contacts.css";
import "./lists.css";
import { useEffect, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import type { Agency } from "../accounts/types";
import { LoadMore } from "../components/data-table";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { SendMenu } from "../composer/send-menu";
import { ContactAvatar, ContactTypeBadge, NotSmsMarker, OptOutBadges } from "../contacts/contact-badges";
import { contactsErrorText, displayName } from "../contacts/contact-text";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, navigate, usePathname } from "../router";
import { type DistributionList, type ListHealth, type ListMember, lists as listsApi } from "./client";
import { FieldChips, type FieldDraft, FieldsEditor, fieldProblems } from "./fields-editor";
import { HealthChart } from "./health";
import { type ListDialog, ListDialogs, useListActions } from "./list-actions";
import { RowMenu } from "./row-menu";

type Members = { items: ListMember[]; cursor?: string; loading: boolean; error?: unknown };

/**
 * One list (« Gérer »): its health as a chart, its custom variables, and its members with their values
 * editable in place.
 */
export function ListPage() {
  usePageTitle("lists.page.title");
  const { t, number, dateTime } = useI18n();
  const pathname = usePathname();
  const listId = matchPath("/lists/:listId", pathname)?.listId ?? "";
  const [list, setList] = useState<DistributionList | null>(null);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [health, setHealth] = useState<ListHealth | null>(null);
  const [members, setMembers] = useState<Members>({ items: [], loading: true });
  const [dialog, setDialog] = useState<ListDialog | null>(null);
  const [version, setVersion] = useState(0);
  const actions = useListActions(setDialog);
  const agencyList = useResource(() => agenciesApi.list(true));
  const agencies: Agency[] = agencyList.data?.items ?? [];

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a fresh read after a change
  useEffect(() => {
    let live = true;
    listsApi.get(listId).then(
      (answer) => live && setList(answer.list),
      (error: unknown) => live && setFailure(error),
    );
    listsApi.health(listId).then(
      (answer) => live && setHealth(answer.health),
      () => undefined,
    );
    setMembers((current) => ({ ...current, loading: true }));
    listsApi.members(listId).then(
      (answer) => live && setMembers({ items: answer.items, cursor: answer.cursor, loading: false }),
      (error: unknown) => live && setMembers({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [listId, version]);

  useEffect(() => {
    if (list) document.title = `${list.name} · ${t("app.name")}`;
  }, [list, t]);

  const more = async () => {
    if (!members.cursor) return;
    setMembers((current) => ({ ...current, loading: true }));
    try {
      const answer = await listsApi.members(listId, members.cursor);
      setMembers((current) => ({
        items: [...current.items, ...answer.items],
        cursor: answer.cursor,
        loading: false,
      }));
    } catch (error) {
      setMembers((current) => ({ ...current, loading: false, error }));
    }
  };

  const refresh = (saved?: DistributionList) => {
    if (saved) setList(saved);
    setVersion((value) => value + 1);
  };

  const removeMember = async (member: ListMember) => {
    try {
      await listsApi.removeMember(listId, member.contactId);
      setMembers((current) => ({
        ...current,
        items: current.items.filter((item) => item.contactId !== member.contactId),
      }));
      setList((current) =>
        current ? { ...current, memberCount: Math.max(0, current.memberCount - 1) } : current,
      );
      listsApi.health(listId).then(
        (answer) => setHealth(answer.health),
        () => undefined,
      );
      toast(
        t("lists.member.removed", {
          name: member.contact
            ? displayName(member.contact, t)
            : t(member.hidden ? "lists.member.hidden" : "lists.member.erased"),
        }),
      );
    } catch (error) {
      toast(contactsErrorText(t, error), "error");
    }
  };

  if (failure !== undefined) {
    return (
      <div className="page page-wide">
        <Link href="/lists" className="back-link page-back">
          <Icon name="chevronLeft" />
          {t("lists.title")}
        </Link>
        <Notice tone="error" testId="list-error">
          <p>{contactsErrorText(t, failure)}</p>
        </Notice>
      </div>
    );
  }

  if (!list) {
    return (
      <div className="page page-wide">
        <p className="loading-line" role="status">
          <span className="spinner spinner-dark" aria-hidden="true" />
          {t("app.loading")}
        </p>
      </div>
    );
  }

  const agencyName = agencies.find((agency) => agency.agencyId === list.agencyId)?.name ?? "";
  const menu = actions(list).filter(
    (action) => action.testId !== "list-action-clean" && action.testId !== "list-action-export",
  );
  const [exportAction] = actions(list).filter((action) => action.testId === "list-action-export");

  return (
    <div className="page page-wide" data-testid="list-page" data-id={list.listId}>
      <Link href="/lists" className="back-link page-back">
        <Icon name="chevronLeft" />
        {t("lists.title")}
      </Link>
      <header className="page-header">
        <div>
          <h1 data-testid="list-title">{list.name}</h1>
          <p className="page-subtitle">
            {[
              agencyName,
              t("lists.page.members", { count: number(list.memberCount) }),
              list.createdBy?.name
                ? t("lists.page.createdBy", { name: list.createdBy.name, date: dateTime(list.createdAt) })
                : "",
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button"
            onClick={() => setDialog({ kind: "clean", list })}
            data-testid="list-clean"
          >
            <Icon name="refresh" />
            {t("lists.action.clean")}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => exportAction?.onSelect()}
            data-testid="list-export"
          >
            <Icon name="download" />
            {t("lists.action.export")}
          </button>
          <RowMenu
            label={t("lists.moreActions", { name: list.name })}
            actions={menu}
            testId="list-menu"
            triggerClassName="button"
            trigger={
              <>
                {t("lists.page.more")}
                <Icon name="chevronDown" size={14} />
              </>
            }
          />
          <button
            type="button"
            className="button"
            onClick={() => setDialog({ kind: "write", list })}
            data-testid="list-write"
          >
            <Icon name="plus" />
            {t("lists.action.write")}
          </button>
          <SendMenu
            label="lists.action.send"
            testId="list-send"
            triggerClassName="button button-primary"
            onPick={(kind) => navigate(`/compose/${kind}?list=${encodeURIComponent(list.listId)}`)}
          />
        </div>
      </header>

      <div className="list-overview">
        <section className="card card-padded" aria-labelledby="health-title">
          <div className="card-title-row">
            <h2 id="health-title" className="card-title">
              {t("lists.health.title")}
            </h2>
            {health && (health.invalid > 0 || health.duplicates > 0) && (
              <button
                type="button"
                className="button button-small"
                onClick={() => setDialog({ kind: "clean", list })}
              >
                {t("lists.health.cleanSuggestion")}
              </button>
            )}
          </div>
          {health ? (
            <HealthChart health={health} />
          ) : (
            <p className="loading-line">
              <span className="spinner spinner-dark" aria-hidden="true" />
              {t("app.loading")}
            </p>
          )}
        </section>
        <VariablesCard list={list} onSaved={(saved) => refresh(saved)} />
      </div>

      <section className="stack" aria-labelledby="members-title">
        <h2 id="members-title" className="section-title">
          {t("lists.members.title")}
        </h2>
        {members.error !== undefined && (
          <Notice tone="error">
            <p>{contactsErrorText(t, members.error)}</p>
          </Notice>
        )}
        <div className="card table-card">
          <div className="table-scroll">
            <table className="table members-table" data-testid="members-table" aria-busy={members.loading}>
              <caption className="visually-hidden">{t("lists.members.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("lists.member.contact")}</th>
                  <th scope="col">{t("contacts.field.mobile")}</th>
                  <th scope="col">{t("contacts.field.email")}</th>
                  <th scope="col">{t("contacts.column.optOut")}</th>
                  {list.fields.map((field) => (
                    <th scope="col" key={field.id} className="var-col">
                      %{field.name}%
                    </th>
                  ))}
                  <th scope="col" className="actions-col">
                    <span className="visually-hidden">{t("common.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.items.length === 0 && (
                  <tr>
                    <td colSpan={5 + list.fields.length} className="empty-cell">
                      {members.loading ? (
                        t("app.loading")
                      ) : (
                        <span className="empty-inline">
                          {t("lists.members.empty")}
                          <button
                            type="button"
                            className="button button-small"
                            onClick={() => setDialog({ kind: "write", list })}
                          >
                            {t("lists.action.write")}
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                )}
                {members.items.map((member) => (
                  <MemberRow
                    key={member.contactId}
                    list={list}
                    member={member}
                    onChanged={(saved) =>
                      setMembers((current) => ({
                        ...current,
                        items: current.items.map((item) =>
                          item.contactId === saved.contactId ? saved : item,
                        ),
                      }))
                    }
                    onRemove={() => void removeMember(member)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </div>
        {members.cursor && (
          <LoadMore label={t("contacts.more")} loading={members.loading} onMore={() => void more()} />
        )}
      </section>

      <ListDialogs
        dialog={dialog}
        agencies={agencies}
        onClose={() => setDialog(null)}
        onChanged={(saved) => refresh(saved)}
        onDeleted={() => navigate("/lists")}
      />
    </div>
  );
}

/** The list's custom variables as `%chips%`, editable in place (at most 15). */
function VariablesCard({
  list,
  onSaved,
}: {
  list: DistributionList;
  onSaved: (list: DistributionList) => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<FieldDraft[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const save = async () => {
    if (!editing || fieldProblems(editing).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      const { list: saved } = await listsApi.update(list.listId, {
        fields: editing.map((field) => ({ id: field.id, name: field.name.trim() })),
        fieldsVersion: list.fieldsVersion,
      });
      setEditing(null);
      onSaved(saved);
      toast(t("lists.fields.saved"));
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const removed = editing ? list.fields.filter((field) => !editing.some((kept) => kept.id === field.id)) : [];
  return (
    <section
      className="card card-padded variables-card"
      aria-labelledby="variables-title"
      data-testid="list-variables"
    >
      <div className="card-title-row">
        <h2 id="variables-title" className="card-title">
          {t("lists.fields.title")}
        </h2>
        {!editing && (
          <button
            type="button"
            className="button button-small"
            onClick={() => setEditing(list.fields)}
            data-testid="fields-edit"
          >
            <Icon name="edit" />
            {t("lists.fields.edit")}
          </button>
        )}
      </div>
      {editing ? (
        <div className="stack">
          <FieldsEditor value={editing} onChange={setEditing} disabled={busy} />
          {removed.length > 0 && (
            <Notice tone="warning">
              <p>
                {t("lists.fields.removeWarning", {
                  names: removed.map((field) => `%${field.name}%`).join(", "),
                })}
              </p>
            </Notice>
          )}
          {failure && (
            <Notice tone="error">
              <p>{failure}</p>
            </Notice>
          )}
          <div className="form-actions form-actions-start">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void save()}
              data-testid="fields-save"
            >
              {busy && <span className="spinner" aria-hidden="true" />}
              {t("common.save")}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setEditing(null)}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      ) : (
        <>
          <FieldChips fields={list.fields} />
          <p className="field-hint variables-usage">
            {list.fields[0]
              ? t("lists.fields.usage", { example: `%${list.fields[0].name}%` })
              : t("lists.fields.usageEmpty")}
          </p>
        </>
      )}
    </section>
  );
}

/** A member, with one input per variable saved on Enter or when leaving it. */
function MemberRow({
  list,
  member,
  onChanged,
  onRemove,
}: {
  list: DistributionList;
  member: ListMember;
  onChanged: (member: ListMember) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const contact = member.contact;
  const name = contact
    ? displayName(contact, t)
    : t(member.hidden ? "lists.member.hidden" : "lists.member.erased");
  return (
    <tr data-testid="member-row" data-id={member.contactId} className={contact ? undefined : "row-muted"}>
      <th scope="row">
        <div className="person">
          <ContactAvatar contact={contact} />
          <span className="person-text">
            <span className="person-name">{name}</span>
            {contact && <ContactTypeBadge type={contact.type} />}
          </span>
        </div>
      </th>
      <td className="nowrap">
        {contact?.mobile ? (
          <span className="phone-cell">
            <span className="tabular">{formatPhone(contact.mobile)}</span>
            {!contact.smsCapable && <NotSmsMarker />}
          </span>
        ) : (
          <span className="text-subtle">—</span>
        )}
      </td>
      <td className="email-cell" title={contact?.email}>
        {contact?.email ?? <span className="text-subtle">—</span>}
      </td>
      <td>{contact ? <OptOutBadges optOut={contact.optOut} /> : <span className="text-subtle">—</span>}</td>
      {list.fields.map((field) => (
        <td key={field.id} className="var-cell">
          <ValueInput
            listId={list.listId}
            member={member}
            field={field.name}
            label={t("lists.member.valueLabel", { field: field.name, name })}
            onSaved={onChanged}
          />
        </td>
      ))}
      <td className="actions-cell">
        <button
          type="button"
          className="icon-button"
          aria-label={t("lists.member.remove", { name })}
          title={t("lists.member.removeShort")}
          onClick={onRemove}
          data-testid="member-remove"
        >
          <Icon name="close" />
        </button>
      </td>
    </tr>
  );
}

function ValueInput({
  listId,
  member,
  field,
  label,
  onSaved,
}: {
  listId: string;
  member: ListMember;
  field: string;
  label: string;
  onSaved: (member: ListMember) => void;
}) {
  const { t } = useI18n();
  const stored = member.fields[field] ?? "";
  const [value, setValue] = useState(stored);
  const [state, setState] = useState<"idle" | "saving" | "saved" | "error">("idle");

  useEffect(() => setValue(stored), [stored]);

  const save = async () => {
    if (value.trim() === stored) return;
    setState("saving");
    try {
      const { member: saved } = await listsApi.updateMember(listId, member.contactId, {
        [field]: value.trim() || null,
      });
      onSaved(saved);
      setState("saved");
      window.setTimeout(() => setState((current) => (current === "saved" ? "idle" : current)), 1500);
    } catch (error) {
      setState("error");
      toast(contactsErrorText(t, error), "error");
    }
  };

  return (
    <span className={`value-input value-${state}`}>
      <input
        aria-label={label}
        value={value}
        maxLength={500}
        data-testid="member-value"
        data-field={field}
        onChange={(event) => {
          setValue(event.target.value);
          if (state !== "saving") setState("idle");
        }}
        onBlur={() => void save()}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            void save();
          } else if (event.key === "Escape") {
            setValue(stored);
          }
        }}
      />
      {state === "saving" && <span className="spinner spinner-dark value-state" aria-hidden="true" />}
      {state === "saved" && (
        <span className="value-state value-ok" role="status" aria-label={t("lists.member.saved")}>
          <Icon name="check" size={14} />
        </span>
      )}
    </span>
  );
}
