import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import type { PasteRejection, PasteReport } from "./client";

/** Why an entry was refused, in the person's language when the code is known. */
export function rejectionText(t: ReturnType<typeof useI18n>["t"], rejection: PasteRejection): string {
  const key = `lists.paste.code.${rejection.code}`;
  return isMessageKey(key) ? t(key) : rejection.message;
}

/** What a paste did: every count, and each refused entry in red with its reason; nothing dropped silently. */
export function PasteReportView({ report }: { report: PasteReport }) {
  const { t, number } = useI18n();
  return (
    <div className="stack" data-testid="paste-report">
      <dl className="stats stats-4">
        <div className="stat-ok">
          <dt>{t("lists.paste.added")}</dt>
          <dd data-testid="paste-added">{number(report.added)}</dd>
        </div>
        <div>
          <dt>{t("lists.paste.created")}</dt>
          <dd data-testid="paste-created">{number(report.contactsCreated)}</dd>
        </div>
        <div>
          <dt>{t("lists.paste.already")}</dt>
          <dd>{number(report.alreadyMembers + report.duplicates)}</dd>
        </div>
        <div className={report.invalid.length > 0 ? "stat-bad" : undefined}>
          <dt>{t("lists.paste.invalid")}</dt>
          <dd data-testid="paste-invalid-count">{number(report.invalid.length)}</dd>
        </div>
      </dl>
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
                  {t("lists.paste.position")}
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
