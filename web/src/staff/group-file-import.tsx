import "./staff.css";
import { type FormEvent, useState } from "react";
import { errorCode, errorText } from "../accounts/errors";
import { ErrorNotice } from "../components/notice";
import { FilePicker, ProgressBar, useUpload } from "../components/upload";
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
  const upload = useUpload((file) =>
    !/\.(xlsx|csv)$/i.test(file.name) ? "type" : file.size > maxBytes ? "tooLarge" : null,
  );
  const [failure, setFailure] = useState<string | null>(null);
  const [report, setReport] = useState<GroupFileReport | null>(null);
  const problem = upload.problem ? t(`staff.groups.file.${upload.problem}`) : null;
  const busy = upload.phase.kind !== "idle";

  const issueText = (issue: GroupFileReport["issues"][number]) => {
    const key = `staff.groups.file.issue.${issue.code}`;
    return isMessageKey(key) ? t(key) : issue.message;
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setReport(null);
    try {
      const imported = await upload.send(async (file) => {
        const post = await groups.fileUpload(groupId, file);
        return { post, check: () => groups.importUpload(groupId, post.uploadId) };
      });
      if (!imported) return;
      setReport(imported);
      upload.reset();
      await onImported();
    } catch (error) {
      setFailure(
        errorCode(error) === "spreadsheet.too_large" ? t("staff.groups.file.tooLarge") : errorText(t, error),
      );
    }
  };

  return (
    <form className="card card-padded form" onSubmit={(event) => void send(event)}>
      <h2 className="staff-lines-title">{t("staff.groups.file.title")}</h2>
      <FilePicker
        upload={upload}
        messages="staff.groups.file"
        problem={problem}
        onChoose={() => setFailure(null)}
        droppable
        testId="staff-group-file-input"
      />
      <p className="field-hint">{t("staff.groups.file.hint")}</p>
      {busy && (
        <ProgressBar
          percent={upload.percent}
          label={t("staff.groups.file.sending")}
          testId="staff-group-file-progress"
          busy={upload.phase.kind === "checking"}
        />
      )}
      <button
        type="submit"
        className="button"
        disabled={!upload.file || Boolean(problem) || busy}
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
