import { useEffect, useId, useMemo, useState } from "react";
import { DialogFooter } from "../components/confirm-dialog";
import { SearchBox } from "../components/filter-bar";
import { Modal } from "../components/modal";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useDebounced } from "../components/use-debounced";
import { type Contact, contacts as contactsApi } from "../contacts/client";
import { contactsErrorText, searchQuery } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { type DistributionList, lists, type PastePreview, type PasteReport, pastedEntries } from "./client";
import { ContactLine } from "./contact-line";
import { PasteBox } from "./paste-box";
import { PasteReportView } from "./paste-report";

/**
 * « Ajouter des membres »: add contacts found by search (ticked one by one), or paste numbers and
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
  const [preview, setPreview] = useState<PastePreview | null>(null);
  const fieldNames = useMemo(() => list.fields.map((field) => field.name), [list.fields]);
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

  const count = tab === "search" ? picked.size : (preview?.valid ?? pastedEntries(text).length);
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
            <PasteBox
              id={`${id}-paste`}
              value={text}
              onChange={setText}
              disabled={busy}
              fields={fieldNames}
              onPreview={setPreview}
            />
          )}
          <ErrorNotice text={failure} />
        </div>
      )}
    </Modal>
  );
}
