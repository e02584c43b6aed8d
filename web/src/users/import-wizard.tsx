import { type ReactNode, useEffect, useId, useMemo, useState } from "react";
import { users } from "../accounts/client";
import { errorCode, errorText } from "../accounts/errors";
import type { ImportCheck, ImportInvite, ImportResult, Role } from "../accounts/types";
import { ApiError } from "../api";
import { DialogFooter } from "../components/confirm-dialog";
import { Modal } from "../components/modal";
import { Notice } from "../components/notice";
import { Stats } from "../components/stats";
import { FilePicker, ImportSteps, ProgressBar, useUpload } from "../components/upload";
import { UploadReport } from "../components/upload-report";
import { type Translate, useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";

const maxBytes = 10 * 1024 * 1024;
const accepted = [".xlsx", ".csv"];
export const importColumns = ["Prénom", "Nom", "Email", "Mobile", "Rôle", "Agences"];

type Step =
  | { kind: "pick" }
  | { kind: "report"; uploadId: string; check: ImportCheck }
  | { kind: "committing"; uploadId: string; check: ImportCheck }
  | { kind: "done"; result: ImportResult };

type Failure = { text: string; detail?: string };

/** A line error in the person's language, keeping the value the API quoted (agency name, number…). */
function lineErrorText(t: Translate, error: ImportCheck["errors"][number]): string {
  const key = `import.code.${error.code}`;
  if (!isMessageKey(key)) return error.message;
  const value = /"([^"]*)"/.exec(error.message)?.[1] ?? "";
  const line = /line (\d+)/.exec(error.message)?.[1] ?? "";
  return t(key, { value, line });
}

/** File-level refusals: our sentence, and the API's own words as detail for spreadsheet problems. */
function failureOf(t: Translate, error: unknown): Failure {
  if (error instanceof Error && error.message.startsWith("upload."))
    return { text: t("import.error.upload") };
  if (errorCode(error) === "import.has_errors") return { text: t("import.error.hasErrors") };
  const text = errorText(t, error);
  const detail =
    error instanceof ApiError && error.code.startsWith("spreadsheet.") ? error.message : undefined;
  return { text, detail: detail && detail !== text ? detail : undefined };
}

/** File-level refusals, with the API's own words under ours when they add something. */
function FailureNotice({ failure }: { failure: Failure | null }) {
  if (!failure) return null;
  return (
    <Notice tone="error" testId="import-error">
      <p>{failure.text}</p>
      {failure.detail && <p className="text-subtle">{failure.detail}</p>}
    </Notice>
  );
}

function fileProblem(file: File): "type" | "size" | "empty" | null {
  const name = file.name.toLowerCase();
  if (!accepted.some((extension) => name.endsWith(extension))) return "type";
  if (file.size === 0) return "empty";
  if (file.size > maxBytes) return "size";
  return null;
}

/** The temporary passwords of accounts created without invitation: shown once, to copy or download. */
function TemporaryPasswords({ passwords }: { passwords: { email: string; password: string }[] }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const text = passwords.map(({ email, password }) => `${email}\t${password}`).join("\n");
  const csv = `email;password\n${passwords.map(({ email, password }) => `${email};${password}`).join("\n")}\n`;
  const download = useMemo(() => URL.createObjectURL(new Blob([csv], { type: "text/csv" })), [csv]);
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  return (
    <div className="stack" data-testid="import-passwords">
      <Notice tone="warning">
        <p>{t("import.passwords.onlyOnce")}</p>
      </Notice>
      <div className="scroll-table">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("login.email")}</th>
              <th scope="col">{t("password.temporary")}</th>
            </tr>
          </thead>
          <tbody>
            {passwords.map(({ email, password }) => (
              <tr key={email}>
                <td>{email}</td>
                <td>
                  <code>{password}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions form-actions-start">
        <button
          type="button"
          className="button"
          onClick={() =>
            void navigator.clipboard.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          <Icon name={copied ? "check" : "copy"} />
          {t(copied ? "common.copied" : "import.passwords.copy")}
        </button>
        <a className="button" href={download} download="mots-de-passe-temporaires.csv">
          <Icon name="download" />
          {t("import.passwords.download")}
        </a>
      </div>
    </div>
  );
}

/**
 * Import in four steps: choose a file (template offered), upload it with progress, read the dry-run
 * report (every error with its line and column), then import with or without invitations.
 */
export function ImportWizard({
  roles,
  onClose,
  onImported,
}: {
  roles: Role[];
  onClose: () => void;
  onImported: (result: ImportResult) => void;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const upload = useUpload(fileProblem);
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [failure, setFailure] = useState<Failure | null>(null);
  const [onlyValid, setOnlyValid] = useState(false);
  const [invite, setInvite] = useState<ImportInvite>("none");

  const close = () => {
    upload.reset();
    onClose();
  };

  const start = async () => {
    setFailure(null);
    try {
      const sent = await upload.send(async (chosen) => {
        const target = await users.importUpload({ fileName: chosen.name, size: chosen.size });
        const { uploadId } = target;
        return { post: target, check: async () => ({ uploadId, check: await users.importCheck(uploadId) }) };
      });
      if (!sent) return;
      setOnlyValid(false);
      setStep({ kind: "report", ...sent });
    } catch (error) {
      setFailure(failureOf(t, error));
    }
  };

  const commit = async (uploadId: string, check: ImportCheck) => {
    setFailure(null);
    setStep({ kind: "committing", uploadId, check });
    try {
      const result = await users.importCommit(uploadId, {
        onlyValid: check.errors.length > 0 && onlyValid,
        invite,
      });
      setStep({ kind: "done", result });
      onImported(result);
    } catch (error) {
      setFailure(failureOf(t, error));
      setStep({ kind: "report", uploadId, check });
    }
  };

  const reset = () => {
    upload.reset();
    setFailure(null);
    setStep({ kind: "pick" });
  };

  const sending = step.kind === "pick" && upload.phase.kind !== "idle";
  const stepIndex = sending ? 1 : { pick: 0, report: 2, committing: 2, done: 3 }[step.kind];
  const stepLabels = [
    t("import.step.file"),
    t("import.step.upload"),
    t("import.step.check"),
    t("import.step.done"),
  ];

  let body: ReactNode;
  let footer: ReactNode;

  if (step.kind === "pick" && !sending) {
    body = (
      <div className="form form-tight">
        <p>{t("import.intro")}</p>
        <ul className="column-list" aria-label={t("import.columns")}>
          {importColumns.map((column) => (
            <li key={column}>
              <code>{column}</code>
            </li>
          ))}
        </ul>
        <p className="text-subtle">{t("import.rules")}</p>
        {!roles.includes("admin") && (
          <Notice tone="info">
            <p>{t("import.managerNote")}</p>
          </Notice>
        )}
        <a
          className="button template-link"
          href={users.importTemplateUrl}
          download
          data-testid="import-template"
        >
          <Icon name="download" />
          {t("import.template")}
        </a>
        <FilePicker
          upload={upload}
          messages="import"
          problem={upload.problem && t(`import.file.${upload.problem}`)}
          onChoose={() => setFailure(null)}
          droppable
          testId="import-file"
        />
        <FailureNotice failure={failure} />
      </div>
    );
    footer = (
      <DialogFooter
        onCancel={close}
        action={{
          label: t("import.uploadAndCheck"),
          testId: "import-upload",
          disabled: !upload.file || upload.problem !== null,
          icon: <Icon name="upload" />,
          onClick: () => void start(),
        }}
      />
    );
  } else if (step.kind === "pick") {
    const checking = upload.phase.kind === "checking";
    body = (
      <div className="form form-tight" aria-live="polite">
        <p>{checking ? t("import.checking") : t("import.uploading", { name: upload.file?.name ?? "" })}</p>
        <ProgressBar
          percent={upload.percent}
          busy={checking}
          label={t("import.progress")}
          testId="import-progress"
        />
        <p className="text-subtle">{t("import.percent", { percent: upload.percent })}</p>
      </div>
    );
    footer = <DialogFooter onCancel={close} />;
  } else if (step.kind === "report" || step.kind === "committing") {
    const { check } = step;
    const hasErrors = check.errors.length > 0;
    const importable = hasErrors ? (onlyValid ? check.valid : 0) : check.valid;
    body = (
      <div className="form form-tight" data-testid="import-report">
        <UploadReport
          messages="import"
          total={check.total}
          valid={check.valid}
          errorCount={check.errors.length}
          errors={check.errors.map((error) => ({
            line: error.line,
            column: error.column,
            problem: lineErrorText(t, error),
          }))}
          errorsNote={
            <label className="checkbox checkbox-block">
              <input
                type="checkbox"
                checked={onlyValid}
                disabled={check.valid === 0}
                data-testid="import-only-valid"
                onChange={(event) => setOnlyValid(event.target.checked)}
              />
              <span>
                {t("import.onlyValid", { valid: number(check.valid) })}
                <span className="text-subtle"> — {t("import.onlyValidHint")}</span>
              </span>
            </label>
          }
          preview={{
            summary: t("import.preview", { count: number(check.valid) }),
            head: (
              <>
                <th scope="col">{t("user.name")}</th>
                <th scope="col">{t("login.email")}</th>
                <th scope="col">{t("user.role")}</th>
                <th scope="col">{t("user.agencies")}</th>
              </>
            ),
            rows: check.preview.map((line) => (
              <tr key={line.line}>
                <td className="num">{number(line.line)}</td>
                <td>
                  {line.firstName} {line.lastName}
                </td>
                <td>{line.email}</td>
                <td>{t(`role.${line.role}`)}</td>
                <td>{line.agencies.join(", ") || "—"}</td>
              </tr>
            )),
          }}
        />
        <fieldset className="field">
          <legend className="field-label">{t("import.invite")}</legend>
          <div className="radio-row">
            {(["none", "email", "sms"] as const).map((option) => (
              <label key={option} className="checkbox">
                <input
                  type="radio"
                  name={`${id}-invite`}
                  value={option}
                  checked={invite === option}
                  data-testid={`import-invite-${option}`}
                  onChange={() => setInvite(option)}
                />
                <span>{t(`import.invite.${option}`)}</span>
              </label>
            ))}
          </div>
          <p className="field-hint">{t(`import.invite.${invite}.hint`)}</p>
        </fieldset>
        <FailureNotice failure={failure} />
      </div>
    );
    footer = (
      <DialogFooter
        onCancel={close}
        start={
          <button
            type="button"
            className="button button-quiet"
            onClick={reset}
            disabled={step.kind === "committing"}
          >
            {t("import.otherFile")}
          </button>
        }
        action={{
          label: t("import.commit", { count: number(importable) }),
          testId: "import-commit",
          busy: step.kind === "committing",
          disabled: importable === 0,
          onClick: () => void commit(step.uploadId, check),
        }}
      />
    );
  } else {
    const { result } = step;
    const passwords = result.temporaryPasswords ?? [];
    body = (
      <div className="form form-tight" data-testid="import-done">
        <Notice tone="success">
          <p>{t("import.done")}</p>
        </Notice>
        <Stats
          items={[
            {
              label: t("import.result.created"),
              value: result.created,
              testId: "import-created",
              tone: "ok",
            },
            { label: t("import.result.skipped"), value: result.skipped, testId: "import-skipped" },
            { label: t("import.result.invited"), value: result.invited, testId: "import-invited" },
          ]}
        />
        {passwords.length > 0 && <TemporaryPasswords passwords={passwords} />}
      </div>
    );
    footer = (
      <button type="button" className="button button-primary" onClick={close}>
        {t("common.done")}
      </button>
    );
  }

  return (
    <Modal
      title={t("import.title")}
      size="large"
      onClose={close}
      testId="import-wizard"
      description={<ImportSteps messages="import" labels={stepLabels} current={stepIndex} />}
      footer={footer}
    >
      {body}
    </Modal>
  );
}
