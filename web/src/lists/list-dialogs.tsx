import { type FormEvent, useEffect, useId, useState } from "react";
import type { Agency } from "../accounts/types";
import { ApiError } from "../api";
import { ConfirmDialog, DialogFooter } from "../components/confirm-dialog";
import { SearchBox } from "../components/filter-bar";
import { Modal } from "../components/modal";
import { ErrorNotice, FieldError, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useDebounced } from "../components/use-debounced";
import { type Contact, contacts as contactsApi } from "../contacts/client";
import { contactsErrorText, displayName, searchQuery } from "../contacts/contact-text";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import {
  type CleanCategory,
  type CleanPreview,
  cleanCategories,
  type DistributionList,
  type ListMember,
  lists,
  type PasteReport,
  pastedEntries,
} from "./client";
import { type FieldDraft, FieldsEditor, fieldProblems } from "./fields-editor";
import { PasteReportView } from "./paste-report";

/** A textarea for a block copied from Excel, counting the entries it sees as the person pastes. */
function PasteBox({
  id,
  value,
  onChange,
  disabled,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  const { t, number } = useI18n();
  const count = pastedEntries(value).length;
  return (
    <div className="field">
      <label htmlFor={id}>{t("lists.paste.label")}</label>
      <textarea
        id={id}
        className="paste-box"
        rows={6}
        value={value}
        disabled={disabled}
        spellCheck={false}
        placeholder={t("lists.paste.placeholder")}
        data-testid="paste-text"
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="field-hint" id={`${id}-hint`}>
        {count > 0 ? t("lists.paste.detected", { count: number(count) }) : t("lists.paste.hint")}
      </p>
    </div>
  );
}

/**
 * A new list: empty, or filled by pasting numbers and emails copied from Excel. After a paste the report
 * stays on screen (refused entries in red with their reason) until the person opens the list.
 */
export function CreateListDialog({
  agencies,
  onClose,
  onCreated,
}: {
  agencies: Agency[];
  onClose: () => void;
  onCreated: (list: DistributionList) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState("");
  const [agencyId, setAgencyId] = useState(agencies[0]?.agencyId ?? "");
  const [source, setSource] = useState<"empty" | "paste">("paste");
  const [text, setText] = useState("");
  const [fields, setFields] = useState<FieldDraft[]>([]);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<{ list: DistributionList; report: PasteReport } | null>(null);

  const nameMissing = !name.trim();
  const fieldsInvalid = fieldProblems(fields).some(Boolean);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (nameMissing || !agencyId || fieldsInvalid || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await lists.create({
        name: name.trim(),
        agencyId,
        fields: fields.map((field) => field.name.trim()),
        paste: source === "paste" && text.trim() ? text : undefined,
      });
      if (created.paste) setDone({ list: created.list, report: created.paste });
      else onCreated(created.list);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Modal
        title={t("lists.create.doneTitle", { name: done.list.name })}
        size="large"
        onClose={() => onCreated(done.list)}
        testId="list-create-dialog"
        footer={
          <button
            type="button"
            className="button button-primary"
            onClick={() => onCreated(done.list)}
            data-testid="list-create-open"
          >
            {t("lists.create.open")}
          </button>
        }
      >
        <PasteReportView report={done.report} />
      </Modal>
    );
  }

  const formId = `${id}-form`;
  return (
    <ConfirmDialog
      title={t("lists.create.title")}
      description={t("lists.create.subtitle")}
      size="large"
      onClose={onClose}
      testId="list-create-dialog"
      action={{ label: t("lists.create.submit"), testId: "list-create-submit", form: formId, busy }}
    >
      <form id={formId} className="form form-tight" noValidate onSubmit={submit}>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
            <input
              id={`${id}-name`}
              value={name}
              maxLength={120}
              autoComplete="off"
              data-testid="list-name"
              aria-invalid={attempted && nameMissing ? true : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            {attempted && nameMissing && <FieldError>{t("lists.field.nameMissing")}</FieldError>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("lists.field.agency")}</label>
            <select
              id={`${id}-agency`}
              value={agencyId}
              data-testid="list-agency"
              onChange={(event) => setAgencyId(event.target.value)}
            >
              {agencies.map((agency) => (
                <option key={agency.agencyId} value={agency.agencyId}>
                  {agency.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="field">
          <legend className="field-label">{t("lists.create.source")}</legend>
          <div className="choice-cards">
            {(["paste", "empty"] as const).map((option) => (
              <label key={option} className={source === option ? "choice-card is-selected" : "choice-card"}>
                <input
                  type="radio"
                  name={`${id}-source`}
                  checked={source === option}
                  data-testid={`list-source-${option}`}
                  onChange={() => setSource(option)}
                />
                <Icon name={option === "paste" ? "copy" : "file"} className="choice-icon" />
                <span>
                  <strong>{t(`lists.create.source.${option}`)}</strong>
                  <span className="text-subtle">{t(`lists.create.source.${option}.hint`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {source === "paste" && (
          <PasteBox id={`${id}-paste`} value={text} onChange={setText} disabled={busy} />
        )}
        <details className="preview">
          <summary>{t("lists.create.fields", { count: fields.length })}</summary>
          <FieldsEditor value={fields} onChange={setFields} disabled={busy} />
        </details>
        <ErrorNotice text={failure} testId="list-create-error" />
      </form>
    </ConfirmDialog>
  );
}

/** « Modifier »: rename, move to another agency, edit the custom variables. */
export function EditListDialog({
  list,
  agencies,
  onClose,
  onSaved,
}: {
  list: DistributionList;
  agencies: Agency[];
  onClose: () => void;
  onSaved: (list: DistributionList) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState(list.name);
  const [agencyId, setAgencyId] = useState(list.agencyId);
  const [fields, setFields] = useState<FieldDraft[]>(list.fields);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const fieldsChanged = JSON.stringify(fields) !== JSON.stringify(list.fields);
  const removed = list.fields.filter((field) => !fields.some((kept) => kept.id === field.id));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim() || fieldProblems(fields).some(Boolean) || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const { list: saved } = await lists.update(list.listId, {
        name: name.trim() !== list.name ? name.trim() : undefined,
        agencyId: agencyId !== list.agencyId ? agencyId : undefined,
        ...(fieldsChanged
          ? {
              fields: fields.map((field) => ({ id: field.id, name: field.name.trim() })),
              fieldsVersion: list.fieldsVersion,
            }
          : {}),
      });
      onSaved(saved);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  const formId = `${id}-form`;
  return (
    <ConfirmDialog
      title={t("lists.edit.title", { name: list.name })}
      size="large"
      onClose={onClose}
      testId="list-edit-dialog"
      action={{ label: t("common.save"), testId: "list-edit-submit", form: formId, busy }}
    >
      <form id={formId} className="form form-tight" noValidate onSubmit={submit}>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
            <input
              id={`${id}-name`}
              value={name}
              maxLength={120}
              data-testid="list-name"
              aria-invalid={!name.trim() ? true : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            {!name.trim() && <FieldError>{t("lists.field.nameMissing")}</FieldError>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-agency`}>{t("lists.field.agency")}</label>
            <select
              id={`${id}-agency`}
              value={agencyId}
              onChange={(event) => setAgencyId(event.target.value)}
            >
              {agencies
                .filter((agency) => !agency.archived || agency.agencyId === list.agencyId)
                .map((agency) => (
                  <option key={agency.agencyId} value={agency.agencyId}>
                    {agency.name}
                  </option>
                ))}
            </select>
          </div>
        </div>
        <fieldset className="field">
          <legend className="field-label">{t("lists.fields.title")}</legend>
          <FieldsEditor value={fields} onChange={setFields} disabled={busy} />
        </fieldset>
        {removed.length > 0 && (
          <Notice tone="warning">
            <p>
              {t("lists.fields.removeWarning", {
                names: removed.map((field) => `%${field.name}%`).join(", "),
              })}
            </p>
          </Notice>
        )}
        <ErrorNotice text={failure} testId="list-edit-error" />
      </form>
    </ConfirmDialog>
  );
}

/** « Dupliquer »: same agency, variables, members and values, under a new name. */
export function DuplicateListDialog({
  list,
  onClose,
  onDuplicated,
}: {
  list: DistributionList;
  onClose: () => void;
  onDuplicated: (list: DistributionList) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const [name, setName] = useState(t("lists.duplicate.defaultName", { name: list.name }).slice(0, 120));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const { list: copy } = await lists.duplicate(list.listId, name.trim());
      onDuplicated(copy);
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("lists.duplicate.title")}
      description={t("lists.duplicate.subtitle", { count: number(list.memberCount) })}
      onClose={onClose}
      testId="list-duplicate-dialog"
      action={{
        label: t("lists.action.duplicate"),
        testId: "list-duplicate-submit",
        form: `${id}-form`,
        busy,
        disabled: !name.trim(),
      }}
    >
      <form id={`${id}-form`} className="form form-tight" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={120}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <ErrorNotice text={failure} />
      </form>
    </ConfirmDialog>
  );
}

/** « Supprimer »: the list and its memberships go; the contacts stay. */
export function DeleteListDialog({
  list,
  onClose,
  onDeleted,
}: {
  list: DistributionList;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t, number } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await lists.remove(list.listId);
      onDeleted();
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("lists.delete.title", { name: list.name })}
      onClose={onClose}
      testId="list-delete-dialog"
      action={{
        label: t("lists.action.delete"),
        testId: "list-delete-confirm",
        tone: "danger",
        busy,
        onClick: () => void remove(),
      }}
    >
      <div className="stack">
        <p>{t("lists.delete.body", { count: number(list.memberCount) })}</p>
        <p className="text-subtle">{t("lists.delete.contactsStay")}</p>
        <ErrorNotice text={failure} />
      </div>
    </ConfirmDialog>
  );
}

/** A contact's name, then how to reach it (without repeating a number used as the name). */
function ContactLine({ contact }: { contact: ListMember["contact"] | Contact }) {
  const { t } = useI18n();
  if (!contact) return <span className="text-subtle">{t("lists.member.erased")}</span>;
  const name = displayName(contact, t);
  const reach = [contact.mobile ? formatPhone(contact.mobile) : "", contact.email ?? ""].filter(
    (bit) => bit && bit !== name,
  );
  return (
    <span className="member-line">
      <strong>{name}</strong>
      {reach.length > 0 && <span className="text-subtle">{reach.join(" · ")}</span>}
    </span>
  );
}

/**
 * « Nettoyer »: the preview first (how many, and who, per category), then the removal of exactly those
 * members. If the list changed meanwhile the API refuses, and a fresh preview is shown.
 */
export function CleanListDialog({
  list,
  onClose,
  onCleaned,
}: {
  list: DistributionList;
  onClose: () => void;
  onCleaned: (list: DistributionList, removed: number) => void;
}) {
  const { t, number } = useI18n();
  const [preview, setPreview] = useState<CleanPreview | null>(null);
  const [chosen, setChosen] = useState<Set<CleanCategory>>(new Set());
  const [busy, setBusy] = useState(true);
  const [failure, setFailure] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);

  const load = async () => {
    setBusy(true);
    try {
      const answer = await lists.cleanPreview(list.listId);
      setPreview(answer);
      setChosen(new Set(cleanCategories.filter((category) => answer.counts[category] > 0)));
    } catch (error) {
      setFailure(contactsErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the preview is read once, when the dialog opens
  useEffect(() => {
    void load();
  }, []);

  const confirm = async () => {
    if (!preview || chosen.size === 0) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = await lists.clean(list.listId, preview.token, [...chosen]);
      const removed = answer.removed.invalid + answer.removed.optedOut + answer.removed.duplicates;
      onCleaned(answer.list, removed);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        setChanged(true);
        await load();
        return;
      }
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  const concerned = preview
    ? cleanCategories
        .filter((category) => chosen.has(category))
        .flatMap((category) => preview.members[category].map((member) => ({ category, member })))
    : [];
  const removing = preview
    ? cleanCategories
        .filter((category) => chosen.has(category))
        .reduce((sum, category) => sum + preview.counts[category], 0)
    : 0;

  return (
    <ConfirmDialog
      title={t("lists.clean.title", { name: list.name })}
      description={t("lists.clean.subtitle")}
      size="large"
      onClose={onClose}
      testId="list-clean-dialog"
      action={{
        label: t("lists.clean.confirm", { count: number(removing) }),
        testId: "list-clean-confirm",
        // while the preview loads, the button waits without a spinner of its own
        busy: busy && preview !== null,
        disabled: busy || !preview || removing === 0,
        onClick: () => void confirm(),
      }}
    >
      {!preview ? (
        <p className="loading-line">
          {busy && <span className="spinner spinner-dark" aria-hidden="true" />}
          {busy ? t("lists.clean.loading") : null}
        </p>
      ) : (
        <div className="stack" data-testid="list-clean-preview">
          {changed && (
            <Notice tone="info">
              <p>{t("lists.clean.changed")}</p>
            </Notice>
          )}
          {preview.counts.total === 0 ? (
            <Notice tone="success" testId="list-clean-nothing">
              <p>{t("lists.clean.nothing")}</p>
            </Notice>
          ) : (
            <>
              <div className="clean-categories">
                {cleanCategories.map((category) => (
                  <label key={category} className={`clean-card clean-${category}`}>
                    <input
                      type="checkbox"
                      checked={chosen.has(category)}
                      disabled={preview.counts[category] === 0}
                      data-testid={`clean-${category}`}
                      onChange={(event) =>
                        setChosen((current) => {
                          const next = new Set(current);
                          if (event.target.checked) next.add(category);
                          else next.delete(category);
                          return next;
                        })
                      }
                    />
                    <span>
                      <strong className="tabular" data-testid={`clean-count-${category}`}>
                        {number(preview.counts[category])}
                      </strong>
                      <span>{t(`lists.clean.category.${category}`)}</span>
                      <span className="text-subtle">{t(`lists.clean.category.${category}.hint`)}</span>
                    </span>
                  </label>
                ))}
              </div>
              {concerned.length > 0 && (
                <div className="scroll-table">
                  <table className="table" data-testid="list-clean-members">
                    <caption className="visually-hidden">{t("lists.clean.members")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("lists.member.contact")}</th>
                        <th scope="col">{t("lists.clean.reason")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {concerned.map(({ category, member }) => (
                        <tr key={`${category}-${member.contactId}`}>
                          <td>
                            <ContactLine contact={member.contact} />
                          </td>
                          <td>
                            <span className={`badge badge-clean-${category}`}>
                              {t(`lists.clean.category.${category}`)}
                            </span>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
          <ErrorNotice text={failure} />
        </div>
      )}
      {!preview && <ErrorNotice text={failure} />}
    </ConfirmDialog>
  );
}

/**
 * « Écrire à cette liste »: add contacts found by search (ticked one by one), or paste numbers and
 * emails; a paste ends on its report, refused entries in red.
 */
export function WriteToListDialog({
  list,
  onClose,
  onAdded,
}: {
  list: DistributionList;
  onClose: () => void;
  onAdded: (list: DistributionList) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const [tab, setTab] = useState<"search" | "paste">("search");
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<Contact[]>([]);
  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<Map<string, Contact>>(new Map());
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [report, setReport] = useState<PasteReport | null>(null);
  const debounced = useDebounced(searchQuery(search), 250);

  useEffect(() => {
    let live = true;
    setSearching(true);
    contactsApi.search({ query: debounced || undefined }, 20).then(
      (answer) => {
        if (!live) return;
        setFound(answer.items);
        setSearching(false);
      },
      (error: unknown) => {
        if (!live) return;
        setFailure(contactsErrorText(t, error));
        setSearching(false);
      },
    );
    return () => {
      live = false;
    };
  }, [debounced, t]);

  const add = async () => {
    setBusy(true);
    setFailure(null);
    try {
      if (tab === "search") {
        const answer = await lists.addMembers(list.listId, [...picked.keys()]);
        onAdded(answer.list);
        toast(t("lists.write.added", { count: number(answer.result.added) }));
        onClose();
      } else {
        const answer = await lists.paste(list.listId, text);
        setReport(answer.report);
        onAdded(answer.list);
        setBusy(false);
      }
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  const count = tab === "search" ? picked.size : pastedEntries(text).length;
  return (
    <Modal
      title={t("lists.write.title", { name: list.name })}
      description={t("lists.write.subtitle")}
      size="large"
      onClose={onClose}
      testId="list-write-dialog"
      footer={
        report ? (
          <button
            type="button"
            className="button button-primary"
            onClick={onClose}
            data-testid="list-write-close"
          >
            {t("common.done")}
          </button>
        ) : (
          <DialogFooter
            onCancel={onClose}
            action={{
              label: t(tab === "search" ? "lists.write.addPicked" : "lists.write.addPasted", {
                count: number(count),
              }),
              testId: "list-write-submit",
              busy,
              disabled: count === 0,
              onClick: () => void add(),
            }}
          />
        )
      }
    >
      {report ? (
        <PasteReportView report={report} />
      ) : (
        <div className="stack">
          <div className="tabs" role="tablist" aria-label={t("lists.write.title", { name: list.name })}>
            {(["search", "paste"] as const).map((option) => (
              <button
                key={option}
                type="button"
                role="tab"
                className="tab"
                aria-selected={tab === option}
                data-testid={`list-write-tab-${option}`}
                onClick={() => setTab(option)}
              >
                <Icon name={option === "search" ? "search" : "copy"} />
                {t(`lists.write.tab.${option}`)}
              </button>
            ))}
          </div>
          {tab === "search" ? (
            <div className="stack">
              <SearchBox
                label={t("contacts.search")}
                placeholder={t("contacts.searchPlaceholder")}
                value={search}
                onChange={setSearch}
                testId="list-write-search"
                wide
              />
              <ul className="pick-list" aria-busy={searching} data-testid="list-write-results">
                {found.length === 0 && !searching && (
                  <li className="text-subtle">{t("contacts.emptyFiltered")}</li>
                )}
                {found.map((contact) => (
                  <li key={contact.contactId}>
                    <label className="checkbox pick-item">
                      <input
                        type="checkbox"
                        checked={picked.has(contact.contactId)}
                        onChange={(event) =>
                          setPicked((current) => {
                            const next = new Map(current);
                            if (event.target.checked) next.set(contact.contactId, contact);
                            else next.delete(contact.contactId);
                            return next;
                          })
                        }
                      />
                      <ContactLine contact={contact} />
                    </label>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <PasteBox id={`${id}-paste`} value={text} onChange={setText} disabled={busy} />
          )}
          <ErrorNotice text={failure} />
        </div>
      )}
    </Modal>
  );
}
