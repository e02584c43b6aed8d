import "./staff.css";
import { type FormEvent, useId, useRef, useState } from "react";
import { errorCode, errorText } from "../accounts/errors";
import { ErrorNotice, FieldError } from "../components/notice";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { type GroupFileReport, groups } from "./client";

/** As core/staff-group/group-file.ts `fileLimits`. */
const maxBytes = 5 * 1024 * 1024;

type Line = { line: number; text: string };

/** A titled list of lines (« Ligne 4 : … »), scrolled when long so the page stays on one screen. */
function Lines({ title, lines, testId }: { title: string; lines: Line[]; testId: string }) {
  const { t, number } = useI18n();
  if (lines.length === 0) return null;
  return (
    <section data-testid={testId}>
      <h3 className="staff-lines-title">{title}</h3>
      <ul className="staff-lines">
        {lines.map((entry) => (
          <li key={`${entry.line}:${entry.text}`}>
            {t("staff.groups.file.line", { line: number(entry.line), text: entry.text })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** « Importer un fichier Excel »: a file whose Matricule, Mobile or E-mail column names employees. */
export function GroupFileImport({
  groupId,
  onImported,
}: {
  groupId: string;
  onImported: () => Promise<unknown>;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [report, setReport] = useState<GroupFileReport | null>(null);
  const problem = !file
    ? null
    : !/\.(xlsx|csv)$/i.test(file.name)
      ? t("staff.groups.file.type")
      : file.size > maxBytes
        ? t("staff.groups.file.tooLarge")
        : null;

  const issueText = (issue: GroupFileReport["issues"][number]) => {
    const key = `staff.groups.file.issue.${issue.code}`;
    return isMessageKey(key) ? t(key) : issue.message;
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || problem) return;
    setBusy(true);
    setFailure(null);
    setReport(null);
    try {
      setReport(await groups.importFile(groupId, file));
      setFile(null);
      if (inputRef.current) inputRef.current.value = "";
      await onImported();
    } catch (error) {
      setFailure(
        errorCode(error) === "spreadsheet.too_large" ? t("staff.groups.file.tooLarge") : errorText(t, error),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card card-padded form" onSubmit={(event) => void send(event)}>
      <label htmlFor={id}>{t("staff.groups.file.title")}</label>
      <input
        ref={inputRef}
        id={id}
        type="file"
        accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(event) => {
          setFile(event.target.files?.[0] ?? null);
          setFailure(null);
        }}
        data-testid="staff-group-file-input"
      />
      <p className="field-hint">{t("staff.groups.file.hint")}</p>
      {problem && <FieldError>{problem}</FieldError>}
      <button
        type="submit"
        className="button"
        disabled={!file || Boolean(problem) || busy}
        data-testid="staff-group-file-send"
      >
        {busy ? t("staff.groups.file.sending") : t("staff.groups.file.send")}
      </button>
      <ErrorNotice text={failure} testId="staff-group-file-error" />
      {report && (
        <div className="stack-sm" data-testid="staff-group-file-report">
          <p data-testid="staff-group-file-added">
            {t("staff.groups.file.added", { count: number(report.added) })}
          </p>
          <Lines
            title={t("staff.groups.file.unknown", { count: number(report.unknown.length) })}
            lines={report.unknown.map((entry) => ({ line: entry.line, text: entry.value }))}
            testId="staff-group-file-unknown"
          />
          <Lines
            title={t("staff.groups.file.notEmployees", { count: number(report.notEmployees.length) })}
            lines={report.notEmployees.map((entry) => ({ line: entry.line, text: entry.value }))}
            testId="staff-group-file-not-employees"
          />
          <Lines
            title={t("staff.groups.file.issues", { count: number(report.issues.length) })}
            lines={report.issues.map((issue) => ({ line: issue.line, text: issueText(issue) }))}
            testId="staff-group-file-issues"
          />
        </div>
      )}
    </form>
  );
}
