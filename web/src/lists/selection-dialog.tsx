import "./lists.css";
import { type FormEvent, useId, useState } from "react";
import type { Agency } from "../accounts/types";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice, FieldError } from "../components/notice";
import { useResource } from "../components/use-resource";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { navigate } from "../router";
import { type DistributionList, lists } from "./client";

/**
 * The contacts ticked on the contacts page, into a new list (« Créer une liste ») or an existing one.
 * A new list opens once created.
 */
export function SelectionListDialog({
  mode,
  contactIds,
  agencies,
  onClose,
  onDone,
}: {
  mode: "create" | "add";
  contactIds: string[];
  agencies: Agency[];
  onClose: () => void;
  onDone: (list: DistributionList, added: number) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const [name, setName] = useState("");
  const [agencyId, setAgencyId] = useState(agencies[0]?.agencyId ?? "");
  const [listId, setListId] = useState("");
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const existing = useResource(() =>
    mode === "add" ? lists.list() : Promise.resolve({ items: [] as DistributionList[], cursor: undefined }),
  );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (busy) return;
    if (mode === "create" && (!name.trim() || !agencyId)) return;
    if (mode === "add" && !listId) return;
    setBusy(true);
    setFailure(null);
    try {
      if (mode === "create") {
        const created = await lists.create({ name: name.trim(), agencyId, contactIds });
        onDone(created.list, created.added?.added ?? 0);
        navigate(`/lists/${encodeURIComponent(created.list.listId)}`);
      } else {
        const answer = await lists.addMembers(listId, contactIds);
        onDone(answer.list, answer.result.added);
      }
    } catch (error) {
      setFailure(contactsErrorText(t, error));
      setBusy(false);
    }
  };

  const formId = `${id}-form`;
  return (
    <ConfirmDialog
      title={t(mode === "create" ? "lists.selection.createTitle" : "lists.selection.addTitle")}
      description={t("lists.selection.subtitle", { count: number(contactIds.length) })}
      size="medium"
      onClose={onClose}
      testId="selection-list-dialog"
      action={{
        label: t(mode === "create" ? "lists.selection.create" : "lists.selection.add", {
          count: number(contactIds.length),
        }),
        testId: "selection-list-submit",
        form: formId,
        busy,
      }}
    >
      <form id={formId} className="form form-tight" noValidate onSubmit={submit}>
        {mode === "create" ? (
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-name`}>{t("lists.field.name")}</label>
              <input
                id={`${id}-name`}
                value={name}
                maxLength={120}
                data-testid="selection-list-name"
                aria-invalid={attempted && !name.trim() ? true : undefined}
                onChange={(event) => setName(event.target.value)}
              />
              {attempted && !name.trim() && <FieldError>{t("lists.field.nameMissing")}</FieldError>}
            </div>
            <div className="field">
              <label htmlFor={`${id}-agency`}>{t("lists.field.agency")}</label>
              <select
                id={`${id}-agency`}
                value={agencyId}
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
        ) : (
          <div className="field">
            <label htmlFor={`${id}-list`}>{t("lists.selection.list")}</label>
            <select
              id={`${id}-list`}
              value={listId}
              data-testid="selection-list-pick"
              aria-invalid={attempted && !listId ? true : undefined}
              onChange={(event) => setListId(event.target.value)}
            >
              <option value="">{existing.loading ? t("app.loading") : t("lists.selection.pick")}</option>
              {(existing.data?.items ?? []).map((list) => (
                <option key={list.listId} value={list.listId}>
                  {list.name} ({number(list.memberCount)})
                </option>
              ))}
            </select>
            {attempted && !listId && <FieldError>{t("lists.selection.pickMissing")}</FieldError>}
          </div>
        )}
        <ErrorNotice text={failure} />
      </form>
    </ConfirmDialog>
  );
}
