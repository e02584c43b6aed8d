import { useState } from "react";
import { errorText } from "../accounts/errors";
import type { Agency } from "../accounts/types";
import { ApiError } from "../api";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { navigate } from "../router";
import { HighlightedBody } from "../templates/highlighted-body";
import { campaigns, type Departure, type Draft, type Preview } from "./client";
import { formatEuros } from "./money";
import { browserZone, differsFromParis, formatInZone } from "./schedule";

/**
 * The last look before sending: who receives what by which channel, who is left out and why, units,
 * approximate cost and when it leaves. Confirming creates the campaign and opens its page.
 */
export function ReviewDialog({
  draft,
  preview,
  title,
  reference,
  agency,
  sendAt,
  attachmentIds,
  urgent,
  rejected,
  departure,
  onClose,
}: {
  draft: Draft;
  preview: Preview;
  title: string;
  reference: string;
  agency?: Agency;
  sendAt?: string;
  /** Files already in S3, sent with the campaign. */
  attachmentIds: string[];
  /** Leaves at once even in quiet hours. */
  urgent: boolean;
  /** Entries typed or pasted that are not numbers or emails: left out. */
  rejected: number;
  /** Set when quiet hours move the departure later than asked. */
  departure?: Departure;
  onClose: () => void;
}) {
  const { t, number, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { totals } = preview;
  const optedOut = preview.recipients.filter((recipient) => recipient.excludedReason === "opted_out").length;
  const unreachable = preview.recipients.filter(
    (recipient) => recipient.excludedReason === "unreachable",
  ).length;
  const zone = browserZone();
  const attachments = attachmentIds.length;

  const confirm = async () => {
    if (!agency) return;
    setBusy(true);
    setFailure(null);
    try {
      const { attachments: _count, ...content } = draft;
      const { campaign } = await campaigns.create({
        ...content,
        attachmentIds,
        urgent,
        title,
        reference: reference || undefined,
        agencyId: agency.agencyId,
        sendAt,
      });
      toast(t(sendAt ? "composer.review.scheduled" : "composer.review.sent", { title: campaign.title }));
      navigate(`/campaigns/${encodeURIComponent(campaign.campaignId)}`);
    } catch (error) {
      if (error instanceof ApiError && error.code === "template.variables_missing") {
        const names = (error.details.fields ?? []).map((field) => `%${field.path.replace(/^values\./, "")}%`);
        setFailure(t("composer.reason.variables", { names: names.join(", ") }));
      } else setFailure(errorText(t, error));
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      title={t("composer.review.title")}
      size="large"
      onClose={onClose}
      dismissable={!busy}
      testId="review-dialog"
      cancelLabel={t("composer.review.back")}
      cancelDisabled={busy}
      apart
      action={{
        label: t(sendAt ? "composer.review.confirmSchedule" : "composer.review.confirmNow", {
          count: number(totals.sms + totals.email),
        }),
        testId: "review-confirm",
        busy,
        disabled: !agency,
        icon: <Icon name={sendAt ? "clock" : "send"} />,
        onClick: () => void confirm(),
      }}
    >
      <dl className="review-facts" data-testid="review-facts">
        <div>
          <dt>{t("composer.field.title")}</dt>
          <dd data-testid="review-title">{title}</dd>
        </div>
        <div>
          <dt>{t("composer.review.kind")}</dt>
          <dd>{t(draft.kind === "yesno" ? "nav.newYesNo" : "nav.newInfo")}</dd>
        </div>
        <div>
          <dt>{t("composer.field.agency")}</dt>
          <dd>{agency?.name ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("composer.field.reference")}</dt>
          <dd>{reference || "—"}</dd>
        </div>
        <div className="review-wide">
          <dt>{t("composer.review.when")}</dt>
          <dd data-testid="review-when">
            {sendAt ? (
              <>
                {t("composer.review.at", { when: formatInZone(sendAt, "Europe/Paris") })}
                {differsFromParis(zone, new Date(sendAt)) && (
                  <span className="text-subtle">
                    {" "}
                    {t("composer.schedule.local", {
                      when: formatInZone(sendAt, zone),
                      zone: zone.replaceAll("_", " "),
                    })}
                  </span>
                )}
              </>
            ) : (
              t("composer.review.now")
            )}
            {departure && (
              <span className="review-deferred" data-testid="review-deferred">
                {" "}
                {t("composer.schedule.deferred", {
                  reason: t(`composer.schedule.quiet.${departure.quiet ?? "night"}`),
                  when: formatInZone(departure.leavesAt, "Europe/Paris"),
                })}
              </span>
            )}
          </dd>
        </div>
      </dl>

      <dl className="review-totals" data-testid="review-totals">
        <div>
          <dt>{t("composer.totals.recipients")}</dt>
          <dd data-testid="review-recipients">{number(totals.recipients)}</dd>
        </div>
        <div>
          <dt>
            <Icon name="sms" size={12} /> {t("composer.totals.sms")}
          </dt>
          <dd data-testid="review-sms">{number(totals.sms)}</dd>
        </div>
        <div>
          <dt>
            <Icon name="email" size={12} /> {t("composer.totals.email")}
          </dt>
          <dd data-testid="review-email">{number(totals.email)}</dd>
        </div>
        <div>
          <dt>{t("composer.totals.units")}</dt>
          <dd data-testid="review-units">{number(totals.smsUnits)}</dd>
        </div>
        <div>
          <dt>{t("composer.totals.cost")}</dt>
          <dd data-testid="review-cost">≈ {formatEuros(totals.costMillicents, locale)}</dd>
        </div>
        <div className={totals.excluded > 0 ? "total-bad" : undefined}>
          <dt>{t("composer.totals.excluded")}</dt>
          <dd data-testid="review-excluded">{number(totals.excluded)}</dd>
        </div>
      </dl>
      {(totals.excluded > 0 || rejected > 0 || attachments > 0) && (
        <ul className="review-notes">
          {optedOut > 0 && <li>{t("composer.review.optedOut", { count: number(optedOut) })}</li>}
          {unreachable > 0 && <li>{t("composer.review.unreachable", { count: number(unreachable) })}</li>}
          {rejected > 0 && (
            <li data-testid="review-rejected">
              {t("composer.review.rejected", { count: number(rejected) })}
            </li>
          )}
          {attachments > 0 && <li>{t("composer.review.attachments", { count: number(attachments) })}</li>}
        </ul>
      )}
      {draft.smsBody && totals.sms > 0 && (
        <div className="review-message">
          <p className="field-label">{t("composer.review.smsText")}</p>
          <HighlightedBody body={draft.smsBody ?? ""} />
        </div>
      )}
      {draft.emailHtml && totals.email > 0 && (
        <p className="text-muted">
          <Icon name="email" size={12} />{" "}
          {t("composer.review.emailSubject", { subject: draft.emailSubject || "—" })}
        </p>
      )}
      <p className="text-subtle">{t("composer.review.costNote")}</p>
      {failure && (
        <Notice tone="error" testId="review-error">
          <p>{failure}</p>
        </Notice>
      )}
    </ConfirmDialog>
  );
}
