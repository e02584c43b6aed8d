import { useState } from "react";
import { errorText } from "../accounts/errors";
import { ApiError } from "../api";
import type { Translate } from "../i18n/i18n";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { type CampaignState, inLocale, type Status } from "./client";

export const campaignHref = (campaignId: string) => `/recruitment/${encodeURIComponent(campaignId)}`;
export const dossierHref = (campaignId: string, dossierId: string) =>
  `${campaignHref(campaignId)}/dossiers/${encodeURIComponent(dossierId)}`;

/** API errors of recruitment in the person's language (`recruitment.error.<code>`), else the console's text. */
export function recruitmentErrorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `recruitment.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
  }
  return errorText(t, error);
}

/** Programmée, Ouverte, Close. */
export function CampaignStateBadge({ state }: { state: CampaignState }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-recruitment-${state}`} data-state={state} data-testid="recruitment-state">
      <span className="badge-dot" aria-hidden="true" />
      {t(`recruitment.state.${state}`)}
    </span>
  );
}

/** A dossier's status by its campaign's label; an unknown id (a status since removed) as is. */
export function DossierStatusBadge({ statusId, statuses }: { statusId: string; statuses: Status[] }) {
  const { locale } = useI18n();
  const status = statuses.find((candidate) => candidate.statusId === statusId);
  const position = statuses.findIndex((candidate) => candidate.statusId === statusId);
  return (
    <span
      className={`badge badge-dossier badge-dossier-${statusId}`}
      data-status={statusId}
      data-position={position}
      data-testid="dossier-status"
    >
      {status ? inLocale(status.label, locale) : statusId}
    </span>
  );
}

/** The public form's address with a « Copier » button; the address stays selectable without a clipboard. */
export function CopyLink({ url, compact = false }: { url: string; compact?: boolean }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      // no clipboard (insecure origin): the address is shown and selectable
    }
  };
  return (
    <span className={compact ? "copy-link copy-link-compact" : "copy-link"}>
      <a href={url} target="_blank" rel="noreferrer" className="mono copy-link-url" data-testid="public-link">
        {compact ? url.replace(/^https?:\/\/[^/]+/, "") : url}
      </a>
      <button
        type="button"
        className="button button-small"
        onClick={() => void copy()}
        aria-label={t("recruitment.link.copy")}
        data-testid="public-link-copy"
      >
        <Icon name={copied ? "check" : "copy"} />
        {copied ? t("common.copied") : t("common.copy")}
      </button>
    </span>
  );
}
