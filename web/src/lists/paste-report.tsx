import { Stats } from "../components/stats";
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
