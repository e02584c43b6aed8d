import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import { uploadToPresignedPost, users } from "../../accounts/client";
import { errorCode, errorText } from "../../accounts/errors";
import type { ImportCheck, ImportInvite, ImportResult, Role } from "../../accounts/types";
import { ApiError } from "../../api";
import { Modal } from "../../components/modal";
import { Notice } from "../../components/notice";
import { type Translate, useI18n } from "../../i18n/i18n";
import { isMessageKey } from "../../i18n/messages";
import { Icon } from "../../icons";

const maxBytes = 10 * 1024 * 1024;
const accepted = [".xlsx", ".csv"];
export const importColumns = ["Prénom", "Nom", "Email", "Mobile", "Rôle", "Agences"];

type Step =
  | { kind: "pick" }
  | { kind: "uploading"; fraction: number }
  | { kind: "checking" }
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
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [file, setFile] = useState<File | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [onlyValid, setOnlyValid] = useState(false);
  const [invite, setInvite] = useState<ImportInvite>("none");

  const problem = file ? fileProblem(file) : null;

  const close = () => {
    abortRef.current?.abort();
    onClose();
  };

  const start = async () => {
    if (!file || problem) return;
    setFailure(null);
    const controller = new AbortController();
    abortRef.current = controller;
    setStep({ kind: "uploading", fraction: 0 });
    try {
      const target = await users.importUpload({ fileName: file.name, size: file.size });
      await uploadToPresignedPost(
        target,
        file,
        (fraction) => setStep({ kind: "uploading", fraction }),
        controller.signal,
      );
      setStep({ kind: "checking" });
      const check = await users.importCheck(target.uploadId);
      setOnlyValid(false);
      setStep({ kind: "report", uploadId: target.uploadId, check });
    } catch (error) {
      if (controller.signal.aborted) return;
      setFailure(failureOf(t, error));
      setStep({ kind: "pick" });
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
    setFile(null);
    setFailure(null);
    setStep({ kind: "pick" });
    if (inputRef.current) inputRef.current.value = "";
  };

  const stepIndex = { pick: 0, uploading: 1, checking: 1, report: 2, committing: 2, done: 3 }[step.kind];
  const stepLabels = [
    t("import.step.file"),
    t("import.step.upload"),
    t("import.step.check"),
    t("import.step.done"),
  ];

  let body: ReactNode;
  let footer: ReactNode;

  if (step.kind === "pick") {
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
        <div className="field">
          <label htmlFor={`${id}-file`} className="dropzone">
            <Icon name="file" size={22} className="dropzone-icon" />
            <span>
              {file ? (
                <>
                  <strong>{file.name}</strong>
                  <span className="text-subtle">
                    {" "}
                    · {t("import.size", { size: number(file.size / 1024, { maximumFractionDigits: 0 }) })}
                  </span>
                </>
              ) : (
                t("import.choose")
              )}
            </span>
            <span className="text-subtle">{t("import.accepted")}</span>
          </label>
          <input
            ref={inputRef}
            id={`${id}-file`}
            className="visually-hidden"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="import-file"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setFailure(null);
            }}
          />
          {problem && (
            <p className="field-error">
              <Icon name="warning" size={14} />
              {t(`import.file.${problem}`)}
            </p>
          )}
        </div>
        {failure && (
          <Notice tone="error" testId="import-error">
            <p>{failure.text}</p>
            {failure.detail && <p className="text-subtle">{failure.detail}</p>}
          </Notice>
        )}
      </div>
    );
    footer = (
      <>
        <button type="button" className="button" onClick={close}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!file || problem !== null}
          onClick={() => void start()}
          data-testid="import-upload"
        >
          <Icon name="upload" />
          {t("import.uploadAndCheck")}
        </button>
      </>
    );
  } else if (step.kind === "uploading" || step.kind === "checking") {
    const percent = step.kind === "uploading" ? Math.round(step.fraction * 100) : 100;
    body = (
      <div className="form form-tight" aria-live="polite">
        <p>
          {step.kind === "uploading"
            ? t("import.uploading", { name: file?.name ?? "" })
            : t("import.checking")}
        </p>
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-label={t("import.progress")}
          data-testid="import-progress"
        >
          <div
            className={step.kind === "checking" ? "progress-bar is-busy" : "progress-bar"}
            style={{ width: `${percent}%` }}
          />
        </div>
        <p className="text-subtle">{t("import.percent", { percent })}</p>
      </div>
    );
    footer = (
      <button type="button" className="button" onClick={close}>
        {t("common.cancel")}
      </button>
    );
  } else if (step.kind === "report" || step.kind === "committing") {
    const { check } = step;
    const hasErrors = check.errors.length > 0;
    const importable = hasErrors ? (onlyValid ? check.valid : 0) : check.valid;
    body = (
      <div className="form form-tight" data-testid="import-report">
        <dl className="stats">
          <div>
            <dt>{t("import.report.total")}</dt>
            <dd data-testid="import-total">{number(check.total)}</dd>
          </div>
          <div className="stat-ok">
            <dt>{t("import.report.valid")}</dt>
            <dd data-testid="import-valid">{number(check.valid)}</dd>
          </div>
          <div className={hasErrors ? "stat-bad" : undefined}>
            <dt>{t("import.report.errors")}</dt>
            <dd data-testid="import-error-count">{number(check.errors.length)}</dd>
          </div>
        </dl>
        {hasErrors ? (
          <>
            <div className="scroll-table">
              <table className="table" data-testid="import-errors">
                <caption className="visually-hidden">{t("import.report.errorsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t("import.report.line")}
                    </th>
                    <th scope="col">{t("import.report.column")}</th>
                    <th scope="col">{t("import.report.problem")}</th>
                  </tr>
                </thead>
                <tbody>
                  {check.errors.map((error, index) => {
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a line can hold several errors of one code
                      <tr key={`${error.line}-${index}`}>
                        <td className="num">{number(error.line)}</td>
                        <td>{error.column ?? "—"}</td>
                        <td>{lineErrorText(t, error)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
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
          </>
        ) : (
          <Notice tone="success">
            <p>{t("import.report.allValid", { valid: number(check.valid) })}</p>
          </Notice>
        )}
        {check.preview.length > 0 && (
          <details className="preview">
            <summary>{t("import.preview", { count: number(check.valid) })}</summary>
            <div className="scroll-table">
              <table className="table" data-testid="import-preview">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t("import.report.line")}
                    </th>
                    <th scope="col">{t("user.name")}</th>
                    <th scope="col">{t("login.email")}</th>
                    <th scope="col">{t("user.role")}</th>
                    <th scope="col">{t("user.agencies")}</th>
                  </tr>
                </thead>
                <tbody>
                  {check.preview.map((line) => (
                    <tr key={line.line}>
                      <td className="num">{number(line.line)}</td>
                      <td>
                        {line.firstName} {line.lastName}
                      </td>
                      <td>{line.email}</td>
                      <td>{t(`role.${line.role}`)}</td>
                      <td>{line.agencies.join(", ") || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
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
        {failure && (
          <Notice tone="error" testId="import-error">
            <p>{failure.text}</p>
            {failure.detail && <p className="text-subtle">{failure.detail}</p>}
          </Notice>
        )}
      </div>
    );
    footer = (
      <>
        <button
          type="button"
          className="button button-quiet"
          onClick={reset}
          disabled={step.kind === "committing"}
        >
          {t("import.otherFile")}
        </button>
        <span className="footer-spacer" />
        <button type="button" className="button" onClick={close}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={importable === 0 || step.kind === "committing"}
          onClick={() => void commit(step.uploadId, check)}
          data-testid="import-commit"
        >
          {step.kind === "committing" && <span className="spinner" aria-hidden="true" />}
          {t("import.commit", { count: number(importable) })}
        </button>
      </>
    );
  } else {
    const { result } = step;
    const passwords = result.temporaryPasswords ?? [];
    body = (
      <div className="form form-tight" data-testid="import-done">
        <Notice tone="success">
          <p>{t("import.done")}</p>
        </Notice>
        <dl className="stats">
          <div className="stat-ok">
            <dt>{t("import.result.created")}</dt>
            <dd data-testid="import-created">{number(result.created)}</dd>
          </div>
          <div>
            <dt>{t("import.result.skipped")}</dt>
            <dd data-testid="import-skipped">{number(result.skipped)}</dd>
          </div>
          <div>
            <dt>{t("import.result.invited")}</dt>
            <dd data-testid="import-invited">{number(result.invited)}</dd>
          </div>
        </dl>
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
      description={
        <ol className="steps" aria-label={t("import.steps")}>
          {stepLabels.map((label, index) => (
            <li
              key={label}
              className={index === stepIndex ? "is-current" : index < stepIndex ? "is-done" : undefined}
              aria-current={index === stepIndex ? "step" : undefined}
            >
              <span className="step-number">
                {index < stepIndex ? <Icon name="check" size={12} /> : index + 1}
              </span>
              {label}
            </li>
          ))}
        </ol>
      }
      footer={footer}
    >
      {body}
    </Modal>
  );
}
