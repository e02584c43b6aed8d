import { type ReactNode, useEffect, useState } from "react";
import { errorText } from "../accounts/errors";
import { DialogFooter } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { Notice } from "../components/notice";
import { FilePicker, ProgressBar, useUpload } from "../components/upload";
import { UploadReport } from "../components/upload-report";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { type PartnerImportCheck, type PartnerImportProgress, partnerImports } from "./client";

const maxBytes = 10 * 1024 * 1024;
export const partnerColumns = [
  "Type",
  "Prénom",
  "Nom",
  "Raison sociale",
  "Matricule",
  "Catégories",
  "Mobile",
  "Email",
  "Canal",
  "Langue",
];

function fileProblem(file: File): "type" | "size" | "empty" | null {
  if (!/\.(xlsx|csv)$/i.test(file.name)) return "type";
  if (file.size === 0) return "empty";
  if (file.size > maxBytes) return "size";
  return null;
}

type Step =
  | { kind: "pick" }
  | { kind: "report"; importId: string; check: PartnerImportCheck }
  | { kind: "running"; progress: PartnerImportProgress };

/** Partners from Excel or CSV: the template, the dry run with every error by line, then the background import. */
export function PartnerImportDialog({
  onClose,
  onImported,
}: {
  onClose: () => void;
  onImported: () => void;
}) {
  const { t, number } = useI18n();
  const upload = useUpload(fileProblem);
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [failure, setFailure] = useState<string | null>(null);
  const [onlyValid, setOnlyValid] = useState(false);

  const running = step.kind === "running" ? step.progress : undefined;
  useEffect(() => {
    if (!running || running.status === "done") return;
    const timer = setTimeout(async () => {
      const progress = await partnerImports.progress(running.importId).catch(() => running);
      setStep({ kind: "running", progress });
      if (progress.status === "done") onImported();
    }, 800);
    return () => clearTimeout(timer);
  }, [running, onImported]);

  const send = async () => {
    setFailure(null);
    try {
      const sent = await upload.send(async (file) => {
        const target = await partnerImports.upload({ fileName: file.name, size: file.size });
        return {
          post: target,
          check: async () => ({
            importId: target.importId,
            check: await partnerImports.check(target.importId),
          }),
        };
      });
      if (sent) setStep({ kind: "report", ...sent });
    } catch (error) {
      setFailure(errorText(t, error));
    }
  };

  const start = async (importId: string, check: PartnerImportCheck) => {
    setFailure(null);
    try {
      const progress = await partnerImports.start(importId, check.errors.length > 0 && onlyValid);
      setStep({ kind: "running", progress });
    } catch (error) {
      setFailure(errorText(t, error));
    }
  };

  let body: ReactNode;
  let footer: ReactNode;
  if (step.kind === "pick") {
    const busy = upload.phase.kind !== "idle";
    body = (
      <div className="form form-tight">
        <p>{t("vault.import.intro")}</p>
        <ul className="column-list" aria-label={t("import.columns")}>
          {partnerColumns.map((column) => (
            <li key={column}>
              <code>{column}</code>
            </li>
          ))}
        </ul>
        <p className="text-subtle">{t("vault.import.rules")}</p>
        <a
          className="button template-link"
          href={partnerImports.templateUrl}
          download
          data-testid="partner-import-template"
        >
          <Icon name="download" />
          {t("import.template")}
        </a>
        {busy ? (
          <ProgressBar
            percent={upload.percent}
            busy={upload.phase.kind === "checking"}
            label={t("import.progress")}
            testId="partner-import-upload"
          />
        ) : (
          <FilePicker
            upload={upload}
            messages="import"
            problem={upload.problem && t(`import.file.${upload.problem}`)}
            onChoose={() => setFailure(null)}
            droppable
            testId="partner-import-file"
          />
        )}
      </div>
    );
    footer = (
      <DialogFooter
        onCancel={onClose}
        action={{
          label: t("import.uploadAndCheck"),
          testId: "partner-import-check",
          disabled: !upload.file || upload.problem !== null || busy,
          icon: <Icon name="upload" />,
          onClick: () => void send(),
        }}
      />
    );
  } else if (step.kind === "report") {
    const { check } = step;
    const importable = check.errors.length > 0 ? (onlyValid ? check.valid : 0) : check.valid;
    body = (
      <div className="form form-tight" data-testid="partner-import-report">
        <UploadReport
          messages="import"
          total={check.total}
          valid={check.valid}
          errorCount={check.errors.length}
          errors={check.errors.map((error) => {
            const key = `vault.import.code.${error.code}`;
            const value = /"([^"]*)"/.exec(error.message)?.[1] ?? "";
            const line = /line (\d+)/.exec(error.message)?.[1] ?? "";
            return {
              line: error.line,
              column: error.column,
              problem: isMessageKey(key) ? t(key, { value, line }) : error.message,
            };
          })}
          errorsNote={
            <label className="checkbox checkbox-block">
              <input
                type="checkbox"
                checked={onlyValid}
                disabled={check.valid === 0}
                data-testid="partner-import-only-valid"
                onChange={(event) => setOnlyValid(event.target.checked)}
              />
              <span>{t("import.onlyValid", { valid: number(check.valid) })}</span>
            </label>
          }
          preview={{
            summary: t("vault.import.preview", { count: number(check.valid) }),
            head: (
              <>
                <th scope="col">{t("vault.partner.name")}</th>
                <th scope="col">{t("vault.partner.matricule")}</th>
                <th scope="col">{t("vault.partner.mobile")}</th>
                <th scope="col">{t("vault.partner.email")}</th>
              </>
            ),
            rows: check.preview.map((line) => (
              <tr key={line.line}>
                <td className="num">{number(line.line)}</td>
                <td>{line.name}</td>
                <td>{line.matricule ?? "—"}</td>
                <td>{line.mobile ?? "—"}</td>
                <td>{line.email ?? "—"}</td>
              </tr>
            )),
          }}
        />
      </div>
    );
    footer = (
      <DialogFooter
        onCancel={onClose}
        action={{
          label: t("vault.import.commit", { count: number(importable) }),
          testId: "partner-import-start",
          disabled: importable === 0,
          onClick: () => void start(step.importId, check),
        }}
      />
    );
  } else {
    const { progress } = step;
    const percent = progress.total > 0 ? Math.round((progress.created / progress.total) * 100) : 0;
    const done = progress.status === "done";
    body = (
      <div className="form form-tight" aria-live="polite" data-testid="partner-import-progress">
        <p>
          {done ? t("vault.import.done", { count: number(progress.created) }) : t("vault.import.running")}
        </p>
        <ProgressBar
          percent={done ? 100 : percent}
          done={done}
          label={t("import.progress")}
          testId="partner-import-bar"
        />
        <p className="text-subtle">
          {number(progress.created)} / {number(progress.total)}
        </p>
      </div>
    );
    footer = (
      <button type="button" className="button button-primary" onClick={onClose} disabled={!done}>
        {t("common.done")}
      </button>
    );
  }

  return (
    <Modal
      title={t("vault.import.title")}
      size="large"
      onClose={onClose}
      testId="partner-import"
      footer={footer}
    >
      {body}
      {failure && (
        <Notice tone="error" testId="partner-import-error">
          <p>{failure}</p>
        </Notice>
      )}
    </Modal>
  );
}
