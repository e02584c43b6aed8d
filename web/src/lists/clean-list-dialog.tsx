import { useEffect, useState } from "react";
import { ApiError } from "../api";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice, Notice } from "../components/notice";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import {
  type CleanCategory,
  type CleanPreview,
  cleanCategories,
  type DistributionList,
  lists,
} from "./client";
import { ContactLine } from "./contact-line";

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
                            <ContactLine contact={member.contact} hidden={member.hidden} />
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
