import "../composer/composer.css";
import "./recruitment.css";
import { useState } from "react";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { MessageStatusBadge } from "../composer/campaign-status";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, usePathname } from "../router";
import { campaigns, dossiers, inLocale } from "./client";
import { campaignHref, DossierStatusBadge, recruitmentErrorText } from "./recruitment-parts";
import { StatusDialog } from "./status-dialog";
import { useUserNames } from "./user-names";

/** One dossier: the candidate, answers and files, the evaluator, status history and the emails sent. */
export function DossierPage() {
  usePageTitle("recruitment.dossier.pageTitle");
  const { t, locale, dateTime, number } = useI18n();
  const params = matchPath("/recruitment/:campaignId/dossiers/:dossierId", usePathname());
  const campaignId = params?.campaignId ?? "";
  const dossierId = params?.dossierId ?? "";
  const campaign = useResource(() => campaigns.get(campaignId), campaignId);
  const details = useResource(() => dossiers.get(campaignId, dossierId), `${campaignId}/${dossierId}`);
  const names = useUserNames(campaign.data?.campaign.people);
  const [changing, setChanging] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const dossier = details.data?.dossier;
  const statuses = campaign.data?.campaign.statuses ?? [];
  const dash = <span className="text-subtle">—</span>;

  const assign = async (evaluatorId: string) => {
    setAssigning(true);
    try {
      await dossiers.assign(campaignId, dossierId, evaluatorId || null);
      toast(t("recruitment.dossier.assigned"));
      await details.reload();
    } catch (error) {
      toast(recruitmentErrorText(t, error), "error");
    } finally {
      setAssigning(false);
    }
  };

  const statusName = (statusId: string | undefined) => {
    const status = statuses.find((candidate) => candidate.statusId === statusId);
    return status ? inLocale(status.label, locale) : (statusId ?? "");
  };

  return (
    <div className="page page-wide">
      <Link href={campaignHref(campaignId)} className="back-link">
        <Icon name="chevronLeft" />
        {campaign.data?.campaign.title ?? t("recruitment.campaigns.title")}
      </Link>
      <ErrorNotice text={details.error ? recruitmentErrorText(t, details.error) : null} />
      {dossier && (
        <>
          <header className="page-header">
            <div>
              <h1 data-testid="dossier-name">{`${dossier.firstName} ${dossier.lastName}`}</h1>
              <p className="page-subtitle">
                <DossierStatusBadge statusId={dossier.statusId} statuses={statuses} />{" "}
                {dossier.submittedAt &&
                  t("recruitment.dossier.submittedOn", { date: dateTime(dossier.submittedAt) })}
              </p>
            </div>
            <div className="page-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={!campaign.data}
                onClick={() => setChanging(true)}
                data-testid="dossier-change-status"
              >
                <Icon name="edit" />
                {t("recruitment.status.change")}
              </button>
            </div>
          </header>

          <div className="recruitment-columns">
            <section className="card card-padded" aria-labelledby="dossier-answers">
              <h2 id="dossier-answers">{t("recruitment.dossier.answers")}</h2>
              <dl className="details-grid recruitment-answers">
                <div>
                  <dt>{t("recruitment.dossier.email")}</dt>
                  <dd>{dossier.email}</dd>
                </div>
                <div>
                  <dt>{t("recruitment.dossier.mobile")}</dt>
                  <dd className="tabular">{dossier.mobile ? formatPhone(dossier.mobile) : dash}</dd>
                </div>
                {dossier.answers.map((answer) => (
                  <div key={answer.fieldId} data-testid="dossier-answer" data-kind={answer.kind}>
                    <dt>{inLocale(answer.label, locale)}</dt>
                    <dd>
                      {answer.file ? (
                        <a href={answer.file.url} download={answer.file.fileName} data-testid="dossier-file">
                          <Icon name="download" />
                          {answer.file.fileName}
                          <span className="text-subtle">
                            {" "}
                            · {number(Math.max(1, Math.round(answer.file.size / 1024)))} Ko
                          </span>
                        </a>
                      ) : answer.value ? (
                        <span className="recruitment-answer">{answer.value}</span>
                      ) : (
                        dash
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
              {dossier.contactId && (
                <p>
                  <Link href={`/contacts/${encodeURIComponent(dossier.contactId)}/conversation`}>
                    {t("recruitment.dossier.contact")}
                  </Link>
                </p>
              )}
            </section>

            <div className="stack">
              <section className="card card-padded" aria-labelledby="dossier-evaluator">
                <h2 id="dossier-evaluator">{t("recruitment.dossier.evaluator")}</h2>
                <select
                  aria-labelledby="dossier-evaluator"
                  value={dossier.evaluatorId ?? ""}
                  disabled={assigning || !campaign.data}
                  onChange={(event) => void assign(event.target.value)}
                  data-testid="dossier-evaluator"
                >
                  <option value="">{t("recruitment.dossier.noEvaluator")}</option>
                  {(campaign.data?.campaign.evaluatorIds ?? []).map((userId) => (
                    <option key={userId} value={userId}>
                      {names.name(userId) ?? userId}
                    </option>
                  ))}
                </select>
              </section>

              <section className="card card-padded" aria-labelledby="dossier-history">
                <h2 id="dossier-history">{t("recruitment.dossier.history")}</h2>
                <ol className="recruitment-history" data-testid="dossier-history">
                  {dossier.history.map((step) => (
                    <li key={`${step.at}-${step.to}`}>
                      <span className="tabular text-muted">{dateTime(step.at)}</span>{" "}
                      {step.from
                        ? t("recruitment.dossier.moved", {
                            from: statusName(step.from),
                            to: statusName(step.to),
                          })
                        : statusName(step.to)}
                      {step.byName && <span className="text-muted"> · {step.byName}</span>}
                    </li>
                  ))}
                </ol>
              </section>
            </div>
          </div>

          <section className="card card-padded" aria-labelledby="dossier-emails">
            <h2 id="dossier-emails">{t("recruitment.dossier.emails")}</h2>
            {dossier.emails.length === 0 ? (
              <p className="text-muted">{t("recruitment.dossier.noEmails")}</p>
            ) : (
              <table className="table" data-testid="dossier-emails">
                <thead>
                  <tr>
                    <th scope="col">{t("recruitment.email.at")}</th>
                    <th scope="col">{t("recruitment.email.rule")}</th>
                    <th scope="col">{t("recruitment.email.to")}</th>
                    <th scope="col">{t("recruitment.email.subject")}</th>
                    <th scope="col">{t("recruitment.email.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {dossier.emails.map((email) => (
                    <tr key={email.messageId} data-testid="dossier-email" data-status={email.status}>
                      <td className="nowrap tabular">{dateTime(email.at)}</td>
                      <td>{email.ruleName ?? dash}</td>
                      <td>{email.to}</td>
                      <td>{email.subject ?? dash}</td>
                      <td>
                        <MessageStatusBadge status={email.status} />
                        {email.reason && <span className="text-subtle"> {email.reason}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
      {changing && campaign.data && (
        <StatusDialog
          campaign={campaign.data.campaign}
          dossierIds={[dossierId]}
          onClose={() => setChanging(false)}
          onChanged={() => {
            setChanging(false);
            void details.reload();
          }}
        />
      )}
    </div>
  );
}
