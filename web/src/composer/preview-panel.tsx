import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { EncodingBadge } from "../templates/sms-body-field";
import type { Preview, PreviewRecipient } from "./client";
import { formatEuros } from "./money";
import { displayValue } from "./recipients-field";

export const recipientLabel = (recipient: PreviewRecipient) =>
  recipient.name || displayValue(recipient.mobile ?? recipient.email ?? recipient.key.slice(2));

/** Recipients by channel, SMS units, approximate cost and exclusions. */
export function Totals({ preview, stale }: { preview?: Preview; stale: boolean }) {
  const { t, number, locale } = useI18n();
  const totals = preview?.totals;
  const cell = (label: string, value: ReactNode, testId: string, tone?: "bad") => (
    <div className={tone === "bad" ? "total total-bad" : "total"}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <dl className={stale ? "totals is-stale" : "totals"} data-testid="composer-totals" aria-busy={stale}>
      {cell(t("composer.totals.recipients"), totals ? number(totals.recipients) : "—", "total-recipients")}
      {cell(t("composer.totals.sms"), totals ? number(totals.sms) : "—", "total-sms")}
      {cell(t("composer.totals.email"), totals ? number(totals.email) : "—", "total-email")}
      {cell(t("composer.totals.units"), totals ? number(totals.smsUnits) : "—", "total-units")}
      {cell(
        t("composer.totals.cost"),
        totals ? `≈ ${formatEuros(totals.costMillicents, locale)}` : "—",
        "total-cost",
      )}
      {cell(
        t("composer.totals.excluded"),
        totals ? number(totals.excluded) : "—",
        "total-excluded",
        totals && totals.excluded > 0 ? "bad" : undefined,
      )}
    </dl>
  );
}

/** One recipient's message as it will arrive: an SMS bubble with its figures, or the email. */
export function RecipientPreview({
  preview,
  selectedKey,
  onSelect,
  attachments,
}: {
  preview?: Preview;
  selectedKey?: string;
  onSelect: (key: string) => void;
  attachments: number;
}) {
  const { t, number } = useI18n();
  const recipients = preview?.recipients ?? [];
  const selected = recipients.find((recipient) => recipient.key === selectedKey) ?? recipients[0];

  if (!preview || recipients.length === 0) {
    return (
      <div className="preview-empty" data-testid="preview-empty">
        <Icon name="sms" size={24} />
        <p>{t("composer.preview.empty")}</p>
      </div>
    );
  }

  return (
    <div className="recipient-preview" data-testid="recipient-preview">
      <label className="field preview-select">
        <span className="field-label">{t("composer.preview.for")}</span>
        <select
          value={selected?.key ?? ""}
          onChange={(event) => onSelect(event.target.value)}
          data-testid="preview-recipient"
        >
          {recipients.map((recipient) => (
            <option key={recipient.key} value={recipient.key}>
              {recipientLabel(recipient)}
              {recipient.channel === "sms"
                ? ` · SMS · ${t(recipient.sms?.units === 1 ? "templates.sms.unit" : "templates.sms.units", { count: number(recipient.sms?.units ?? 0) })}`
                : recipient.channel === "email"
                  ? ` · ${t("composer.channel.email")}`
                  : ` · ${t(`composer.excluded.short.${recipient.excludedReason ?? "unreachable"}`)}`}
            </option>
          ))}
        </select>
        {preview.truncated && <span className="field-hint">{t("composer.preview.truncated")}</span>}
      </label>
      {selected && <OneRecipient recipient={selected} attachments={attachments} />}
    </div>
  );
}

function OneRecipient({ recipient, attachments }: { recipient: PreviewRecipient; attachments: number }) {
  const { t, number } = useI18n();
  const to = recipient.channel === "email" ? recipient.email : recipient.mobile;
  return (
    <div className="one-recipient" data-testid="preview-one" data-channel={recipient.channel ?? "none"}>
      <div className="preview-to">
        <span className="person-name">{recipientLabel(recipient)}</span>
        {to && recipient.name && <span className="text-subtle">{displayValue(to)}</span>}
        <span className={`badge badge-channel-${recipient.channel ?? "none"}`}>
          <Icon name={recipient.channel === "email" ? "email" : "sms"} size={12} />
          {recipient.channel
            ? t(`composer.channel.${recipient.channel}`)
            : t(`composer.excluded.short.${recipient.excludedReason ?? "unreachable"}`)}
        </span>
      </div>
      {!recipient.channel && (
        <p className="preview-excluded" data-testid="preview-excluded">
          {t(`composer.excluded.${recipient.excludedReason ?? "unreachable"}`)}
        </p>
      )}
      {recipient.missing && recipient.missing.length > 0 && (
        <p className="preview-missing" data-testid="preview-missing">
          <Icon name="warning" size={14} />
          {t("composer.preview.missing", { names: recipient.missing.map((name) => `%${name}%`).join(", ") })}
        </p>
      )}
      {recipient.channel === "sms" && (
        <>
          <div className="phone">
            <div className="bubble" data-testid="preview-text">
              {attachments > 0 ? <WithLink text={recipient.text ?? ""} /> : recipient.text}
            </div>
            {attachments > 0 && (
              <p className="field-hint">
                <Icon name="file" size={12} />{" "}
                {t("composer.preview.attachmentLink", {
                  count: number(attachments),
                  units: number(recipient.sms?.linkUnits ?? 0),
                })}
              </p>
            )}
          </div>
          {recipient.sms && (
            <div className="sms-meter" data-testid="preview-sms-meter">
              <EncodingBadge encoding={recipient.sms.encoding} testId="preview-encoding" />
              <span>{t("templates.sms.characters", { count: number(recipient.sms.characters) })}</span>
              <span aria-hidden="true">·</span>
              <span>{t("templates.sms.segments", { count: number(recipient.sms.segments) })}</span>
              <span className="sms-units" data-testid="preview-units" data-units={recipient.sms.units}>
                {t(recipient.sms.units === 1 ? "templates.sms.unit" : "templates.sms.units", {
                  count: number(recipient.sms.units),
                })}
              </span>
            </div>
          )}
        </>
      )}
      {recipient.channel === "email" && (
        <div className="email-preview">
          <p className="email-subject" data-testid="preview-subject">
            {recipient.subject || <span className="text-subtle">{t("composer.preview.noSubject")}</span>}
          </p>
          <iframe
            className="email-frame"
            title={t("composer.preview.emailFrame")}
            sandbox=""
            srcDoc={`<!doctype html><meta charset="utf-8"><style>body{font:14px/1.45 system-ui,sans-serif;margin:12px;color:#101828}</style>${recipient.html ?? ""}`}
            data-testid="preview-email"
          />
          {attachments > 0 && (
            <p className="text-subtle">
              <Icon name="file" size={12} />{" "}
              {t("composer.preview.attachments", { count: number(attachments) })}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** The SMS text with its last line, the attachments' link (a placeholder until sent), set apart. */
function WithLink({ text }: { text: string }) {
  const cut = text.lastIndexOf("\n");
  return (
    <>
      {text.slice(0, cut)}
      {"\n"}
      <span className="bubble-link-text">{text.slice(cut + 1)}</span>
    </>
  );
}
