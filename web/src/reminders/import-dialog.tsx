import { type ReactNode, useEffect, useId, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { DialogFooter } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { Notice } from "../components/notice";
import { FilePicker, ProgressBar, useUpload } from "../components/upload";
import { UploadReport } from "../components/upload-report";
import { useResource } from "../components/use-resource";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { type CustomerImportCheck, type CustomerImportProgress, customerImports } from "./client";
import { remindersErrorText, showDay } from "./reminder-text";

const maxBytes = 10 * 1024 * 1024;
/** The template's headers (core/reminder/import.ts), in its order. */
export const customerColumns = [
  "Civilité",
  "Nom",
  "Prénom",
  "Mobile",
  "Email",
  "Immatriculation",
  "Marque",
  "Modèle",
  "Date de livraison",
  "Km livraison",
  "Date dernière intervention",
  "Km dernière intervention",
  "Scénarios",
  "Date de relance",
];

function fileProblem(file: File): "type" | "size" | "empty" | null {
  if (!/\.(xlsx|csv)$/i.test(file.name)) return "type";
  if (file.size === 0) return "empty";
  if (file.size > maxBytes) return "size";
  return null;
}

type Step =
  | { kind: "pick" }
  | { kind: "report"; importId: string; check: CustomerImportCheck }
  | { kind: "running"; progress: CustomerImportProgress };

/**
 * « Importer des clients »: the template, the dry run with every error by line and column, the agency the
 * customers join, then the background import with its progress and what it made.
 */
export function CustomerImportDialog({
  onClose,
  onImported,
}: {
  onClose: () => void;
  onImported: () => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const upload = useUpload(fileProblem);
  const agencyList = useResource(() => agenciesApi.list());
  const usableAgencies = (agencyList.data?.items ?? []).filter((agency) => !agency.archived);
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [failure, setFailure] = useState<string | null>(null);
  const [onlyValid, setOnlyValid] = useState(false);
  const [chosenAgency, setAgencyId] = useState("");
  const agencyId = chosenAgency || usableAgencies[0]?.agencyId || "";

  const running = step.kind === "running" ? step.progress : undefined;
  useEffect(() => {
    if (!running || running.status === "done") return;
    const timer = setTimeout(async () => {
      const progress = await customerImports.progress(running.importId).catch(() => running);
      setStep({ kind: "running", progress });
      if (progress.status === "done") onImported();
    }, 800);
    return () => clearTimeout(timer);
  }, [running, onImported]);

  const send = async () => {
    setFailure(null);
    try {
      const sent = await upload.send(async (file) => {
        const target = await customerImports.upload({ fileName: file.name, size: file.size });
        return {
          post: target,
          check: async () => ({
            importId: target.importId,
            check: await customerImports.check(target.importId),
          }),
        };
      });
      if (sent) setStep({ kind: "report", ...sent });
    } catch (error) {
      setFailure(remindersErrorText(t, error));
    }
  };

  const start = async (importId: string, check: CustomerImportCheck) => {
    setFailure(null);
    try {
      const progress = await customerImports.start(importId, {
        agencyId,
        onlyValid: check.errors.length > 0 && onlyValid,
      });
      setStep({ kind: "running", progress });
    } catch (error) {
      setFailure(remindersErrorText(t, error));
    }
  };

  let body: ReactNode;
  let footer: ReactNode;
  if (step.kind === "pick") {
    const busy = upload.phase.kind !== "idle";
    body = (
      <div className="form form-tight">
        <p>{t("reminders.import.intro")}</p>
        <ul className="column-list" aria-label={t("import.columns")}>
          {customerColumns.map((column) => (
            <li key={column}>
              <code>{column}</code>
            </li>
          ))}
        </ul>
        <p className="text-subtle">{t("reminders.import.rules")}</p>
        <a
          className="button template-link"
          href={customerImports.templateUrl}
          download
          data-testid="customer-import-template"
        >
          <Icon name="download" />
          {t("import.template")}
        </a>
        {busy ? (
          <ProgressBar
            percent={upload.percent}
            busy={upload.phase.kind === "checking"}
            label={t("import.progress")}
            testId="customer-import-upload"
          />
        ) : (
          <FilePicker
            upload={upload}
            messages="import"
            problem={upload.problem && t(`import.file.${upload.problem}`)}
            onChoose={() => setFailure(null)}
            droppable
            testId="customer-import-file"
          />
        )}
      </div>
    );
    footer = (
      <DialogFooter
        onCancel={onClose}
        action={{
          label: t("import.uploadAndCheck"),
          testId: "customer-import-check",
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
      <div className="form form-tight" data-testid="customer-import-report">
        <UploadReport
          messages="import"
          total={check.total}
          valid={check.valid}
          errorCount={check.errors.length}
          errors={check.errors.map((error) => {
            const key = `reminders.import.code.${error.code}`;
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
                data-testid="customer-import-only-valid"
                onChange={(event) => setOnlyValid(event.target.checked)}
              />
              <span>{t("import.onlyValid", { valid: number(check.valid) })}</span>
            </label>
          }
          preview={{
            summary: t("reminders.import.preview", { count: number(check.valid) }),
            head: (
              <>
                <th scope="col">{t("reminders.list.customer")}</th>
                <th scope="col">{t("reminders.list.mobile")}</th>
                <th scope="col">{t("reminders.list.plate")}</th>
                <th scope="col">{t("reminders.import.scenarios")}</th>
                <th scope="col">{t("reminders.list.day")}</th>
              </>
            ),
            rows: check.preview.map((line) => (
              <tr key={line.line}>
                <td className="num">{number(line.line)}</td>
                <td>{line.name}</td>
                <td>{formatPhone(line.mobile)}</td>
                <td>{line.plate}</td>
                <td>{line.scenarios.join(", ") || "—"}</td>
                <td>
                  {line.dueOn
                    ? showDay(line.dueOn)
                    : line.scenarios.length > 0
                      ? t("reminders.import.defaultDelay")
                      : "—"}
                </td>
              </tr>
            )),
          }}
        />
        <div className="field">
          <label htmlFor={`${id}-agency`}>{t("reminders.import.agency")}</label>
          <select
            id={`${id}-agency`}
            value={agencyId}
            data-testid="customer-import-agency"
            onChange={(event) => setAgencyId(event.target.value)}
          >
            {!agencyId && <option value="">—</option>}
            {usableAgencies.map((agency) => (
              <option key={agency.agencyId} value={agency.agencyId}>
                {agency.name}
              </option>
            ))}
          </select>
        </div>
      </div>
    );
    footer = (
      <DialogFooter
        onCancel={onClose}
        action={{
          label: t("reminders.import.commit", { count: number(importable) }),
          testId: "customer-import-start",
          disabled: importable === 0 || !agencyId,
          onClick: () => void start(step.importId, check),
        }}
      />
    );
  } else {
    const { progress } = step;
    const percent = progress.total > 0 ? Math.round((progress.processed / progress.total) * 100) : 0;
    const done = progress.status === "done";
    body = (
      <div className="form form-tight" aria-live="polite" data-testid="customer-import-progress">
        <p>{done ? t("reminders.import.done") : t("reminders.import.running")}</p>
        <ProgressBar
          percent={done ? 100 : percent}
          done={done}
          label={t("import.progress")}
          testId="customer-import-bar"
        />
        <p className="text-subtle">
          {number(progress.processed)} / {number(progress.total)}
        </p>
        {done && (
          <ul data-testid="customer-import-summary">
            <li>{t("reminders.import.customers", { count: number(progress.customers) })}</li>
            <li>{t("reminders.import.vehicles", { count: number(progress.vehicles) })}</li>
            <li>{t("reminders.import.reminders", { count: number(progress.reminders) })}</li>
            <li>{t("reminders.import.skipped", { count: number(progress.skipped) })}</li>
          </ul>
        )}
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
      title={t("reminders.import.title")}
      size="large"
      onClose={onClose}
      testId="customer-import"
      footer={footer}
    >
      {body}
      {failure && (
        <Notice tone="error" testId="customer-import-error">
          <p>{failure}</p>
        </Notice>
      )}
    </Modal>
  );
}
