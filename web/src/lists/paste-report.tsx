import { Stats } from "../components/stats";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import type { PasteColumn, PasteRejection, PasteReport } from "./client";

/** Why an entry was refused, in the person's language when the code is known. */
export function rejectionText(t: ReturnType<typeof useI18n>["t"], rejection: PasteRejection): string {
  const key = `lists.paste.code.${rejection.code}`;
  return isMessageKey(key) ? t(key) : rejection.message;
}

type T = ReturnType<typeof useI18n>["t"];

/** « Date RDV → champ Date_RDV », « Immat → ignorée ». */
function targetText(t: T, column: PasteColumn): string {
  if (column.target === "field" || column.target === "newField")
    return t(`lists.paste.target.${column.target}`, { field: column.field ?? "" });
  return t(`lists.paste.target.${column.target}`);
}

/** The columns of a pasted block and what each fills, shown before the person confirms and after. */
export function PasteColumnsView({ columns }: { columns: PasteColumn[] }) {
  const { t, number } = useI18n();
  return (
    <div className="scroll-table">
      <table className="table paste-columns" data-testid="paste-columns">
        <caption className="visually-hidden">{t("lists.paste.columns.caption")}</caption>
        <tbody>
          {columns.map((column) => (
            <tr
              key={column.index}
              data-testid="paste-column"
              className={column.target === "ignored" ? "text-subtle" : undefined}
            >
              <th scope="row">
                {column.header || t("lists.paste.columns.unnamed", { index: number(column.index + 1) })}
                {!column.header && column.sample && (
                  <span className="text-subtle">
                    {" "}
                    ({t("lists.paste.columns.example", { sample: column.sample })})
                  </span>
                )}
              </th>
              <td aria-hidden="true">→</td>
              <td data-testid="paste-column-target">
                <strong>{targetText(t, column)}</strong>
                {column.reason && (
                  <span className="text-subtle"> · {t(`lists.paste.reason.${column.reason}`)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a paste did: every count, and each refused entry in red with its reason; nothing dropped silently. */
export function PasteReportView({ report }: { report: PasteReport }) {
  const { t, number } = useI18n();
  return (
    <div className="stack" data-testid="paste-report">
      {report.layout === "rows" && <PasteColumnsView columns={report.columns} />}
      <Stats
        items={[
          { label: t("lists.paste.added"), value: report.added, testId: "paste-added", tone: "ok" },
          { label: t("lists.paste.created"), value: report.contactsCreated, testId: "paste-created" },
          { label: t("lists.paste.already"), value: report.alreadyMembers + report.duplicates },
          {
            label: t("lists.paste.invalid"),
            value: report.invalid.length,
            testId: "paste-invalid-count",
            tone: report.invalid.length > 0 ? "bad" : undefined,
          },
        ]}
      />
      {report.duplicates > 0 && (
        <p className="text-subtle">{t("lists.paste.duplicates", { count: number(report.duplicates) })}</p>
      )}
      {report.invalid.length > 0 && (
        <div className="scroll-table">
          <table className="table" data-testid="paste-invalid">
            <caption className="visually-hidden">{t("lists.paste.invalidCaption")}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t(report.layout === "rows" ? "lists.paste.line" : "lists.paste.position")}
                </th>
                <th scope="col">{t("lists.paste.entry")}</th>
                <th scope="col">{t("lists.paste.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {report.invalid.map((rejection) => (
                <tr
                  key={`${rejection.position}-${rejection.entry}`}
                  className="row-invalid"
                  data-testid="paste-invalid-row"
                >
                  <td className="num tabular">{number(rejection.position)}</td>
                  <td className="invalid-entry">
                    <code>{rejection.entry}</code>
                  </td>
                  <td className="invalid-reason">{rejectionText(t, rejection)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
