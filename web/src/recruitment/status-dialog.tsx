import { useEffect, useId, useState } from "react";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ErrorNotice, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { type Campaign, dossiers, inLocale, type StatusPreview } from "./client";
import { recruitmentErrorText } from "./recruitment-parts";

/** Staff never move a dossier back to the candidate's draft. */
const draftStatus = "brouillon";

/**
 * « Changer le statut » of one dossier or a selection. Once a status is picked the API says how many
 * dossiers change and how many emails go; when some go, the dialog warns and shows one before « Confirmer ».
 */
export function StatusDialog({
  campaign,
  dossierIds,
  onClose,
  onChanged,
}: {
  campaign: Campaign;
  dossierIds: string[];
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t, locale, number } = useI18n();
  const id = useId();
  const [statusId, setStatusId] = useState("");
  const [preview, setPreview] = useState<StatusPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const choices = campaign.statuses.filter((status) => status.statusId !== draftStatus);
  const chosen = choices.find((status) => status.statusId === statusId);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the selection is fixed while the dialog is open
  useEffect(() => {
    if (!statusId) return;
    let live = true;
    setPreview(null);
    setPreviewing(true);
    setFailure(null);
    dossiers.preview(campaign.campaignId, { dossierIds, statusId }).then(
      (answer) => {
        if (!live) return;
        setPreview(answer);
        setPreviewing(false);
      },
      (error: unknown) => {
        if (!live) return;
        setFailure(recruitmentErrorText(t, error));
        setPreviewing(false);
      },
    );
    return () => {
      live = false;
    };
  }, [statusId, campaign.campaignId]);

  const confirm = async () => {
    if (!chosen || !preview) return;
    setBusy(true);
    setFailure(null);
    try {
      const done = await dossiers.changeStatus(campaign.campaignId, { dossierIds, statusId });
      toast(
        t(done.emails > 0 ? "recruitment.status.doneWithEmails" : "recruitment.status.done", {
          count: number(done.changed),
          status: inLocale(chosen.label, locale),
          emails: number(done.emails),
        }),
      );
      onChanged();
    } catch (error) {
      setFailure(recruitmentErrorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("recruitment.status.title", { count: number(dossierIds.length) })}
      size="medium"
      onClose={onClose}
      testId="status-dialog"
      action={{
        label: t("recruitment.status.confirm"),
        testId: "status-confirm",
        busy,
        disabled: !preview || previewing || preview.dossiers === 0,
        onClick: () => void confirm(),
      }}
    >
      <div className="form form-tight">
        <div className="field">
          <label htmlFor={`${id}-status`}>{t("recruitment.status.new")}</label>
          <select
            id={`${id}-status`}
            value={statusId}
            onChange={(event) => setStatusId(event.target.value)}
            data-testid="status-choice"
          >
            <option value="" disabled>
              {t("recruitment.status.choose")}
            </option>
            {choices.map((status) => (
              <option key={status.statusId} value={status.statusId}>
                {inLocale(status.label, locale)}
              </option>
            ))}
          </select>
        </div>
        {previewing && (
          <p className="text-muted" role="status">
            {t("recruitment.status.previewing")}
          </p>
        )}
        <ErrorNotice text={failure} />
        {preview && preview.dossiers < dossierIds.length && (
          <p className="text-muted" data-testid="status-unchanged">
            {t("recruitment.status.unchanged", { count: number(dossierIds.length - preview.dossiers) })}
          </p>
        )}
        {preview && preview.emails > 0 && (
          <Notice tone="warning" testId="status-warning">
            <p>
              <strong>{t("recruitment.status.warning")}</strong>
            </p>
            <p data-testid="status-email-count" data-count={preview.emails}>
              {t("recruitment.status.emailCount", { count: number(preview.emails) })}
            </p>
          </Notice>
        )}
        {preview && preview.emails === 0 && preview.dossiers > 0 && (
          <p className="text-muted" data-testid="status-no-email">
            {t("recruitment.status.noEmail", { count: number(preview.dossiers) })}
          </p>
        )}
        {preview?.preview && (
          <figure className="email-preview" data-testid="status-preview">
            <figcaption className="text-muted">{t("recruitment.status.previewOf")}</figcaption>
            <dl className="email-preview-head">
              <dt>{t("recruitment.email.to")}</dt>
              <dd>{preview.preview.to}</dd>
              <dt>{t("recruitment.email.subject")}</dt>
              <dd data-testid="status-preview-subject">{preview.preview.subject}</dd>
            </dl>
            <pre className="email-preview-body">{preview.preview.text}</pre>
          </figure>
        )}
      </div>
    </ConfirmDialog>
  );
}
