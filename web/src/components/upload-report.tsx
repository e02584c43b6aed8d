import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { Notice } from "./notice";
import { Stats } from "./stats";
import type { ImportMessages } from "./upload";

/** One refused cell: where it is, why, in words, and the value found there when the API quotes it. */
export type ReportError = { line: number; column?: string; problem: string; value?: string };

/**
 * The dry run of an import, before anything is written: lines, valid ones and errors counted, then every
 * error by line and column (or « all valid »), then the valid lines as a preview. The page brings what
 * only it knows: `notes` under the counts, `errorsNote` under the errors, the preview's columns.
 */
export function UploadReport({
  messages,
  total,
  valid,
  errorCount,
  errors,
  valueLabel,
  tall = false,
  notes,
  errorsNote,
  preview,
}: {
  messages: ImportMessages;
  total: number;
  valid: number;
  /** Every error of the file; `errors` may hold fewer. */
  errorCount: number;
  errors: ReportError[];
  /** The header of a column showing each refused value; no such column without it. */
  valueLabel?: string;
  tall?: boolean;
  notes?: ReactNode;
  errorsNote?: ReactNode;
  /** The valid lines, shown folded; nothing when there are none. */
  preview?: { summary: string; head: ReactNode; rows: ReactNode[] };
}) {
  const { t, number } = useI18n();
  const hasErrors = errorCount > 0;
  return (
    <>
      <Stats
        items={[
          { label: t(`${messages}.report.total`), value: total, testId: "import-total" },
          { label: t(`${messages}.report.valid`), value: valid, testId: "import-valid", tone: "ok" },
          {
            label: t(`${messages}.report.errors`),
            value: errorCount,
            testId: "import-error-count",
            tone: hasErrors ? "bad" : undefined,
          },
        ]}
      />
      {notes}
      {hasErrors ? (
        <>
          <div className={tall ? "scroll-table scroll-table-tall" : "scroll-table"}>
            <table className="table" data-testid="import-errors">
              <caption className="visually-hidden">{t(`${messages}.report.errorsCaption`)}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t(`${messages}.report.line`)}
                  </th>
                  <th scope="col">{t(`${messages}.report.column`)}</th>
                  <th scope="col">{t(`${messages}.report.problem`)}</th>
                  {valueLabel && <th scope="col">{valueLabel}</th>}
                </tr>
              </thead>
              <tbody>
                {errors.map((error, index) => (
                  <tr
                    // biome-ignore lint/suspicious/noArrayIndexKey: a line can hold several errors of one column
                    key={`${error.line}-${error.column}-${index}`}
                    data-testid="import-error-row"
                    data-line={error.line}
                  >
                    <td className="num tabular">{number(error.line)}</td>
                    <td>{error.column || "—"}</td>
                    <td>{error.problem}</td>
                    {valueLabel && (
                      <td className="error-value">
                        {error.value ? <code>{error.value}</code> : <span className="text-subtle">—</span>}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {errorsNote}
        </>
      ) : (
        <Notice tone="success">
          <p>{t(`${messages}.report.allValid`, { valid: number(valid) })}</p>
        </Notice>
      )}
      {preview && preview.rows.length > 0 && (
        <details className="preview">
          <summary>{preview.summary}</summary>
          <div className="scroll-table">
            <table className="table" data-testid="import-preview">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t(`${messages}.report.line`)}
                  </th>
                  {preview.head}
                </tr>
              </thead>
              <tbody>{preview.rows}</tbody>
            </table>
          </div>
        </details>
      )}
    </>
  );
}
