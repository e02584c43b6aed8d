import { useI18n } from "../i18n/i18n";
import type { CampaignStatus } from "./client";

/** Programmé, En cours, Envoyé… as a badge (glossary words). */
export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-campaign-${status}`} data-status={status} data-testid="campaign-status">
      <span className="badge-dot" aria-hidden="true" />
      {t(`campaigns.status.${status}`)}
    </span>
  );
}

const messageStatuses = [
  "scheduled",
  "sending",
  "sent",
  "delivered",
  "undeliverable",
  "replied",
  "failed",
  "unsubscribed",
  "cancelled",
] as const;
type MessageStatus = (typeof messageStatuses)[number];

const isMessageStatus = (status: string): status is MessageStatus =>
  (messageStatuses as readonly string[]).includes(status);

export function MessageStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-message-${status}`} data-status={status}>
      {isMessageStatus(status) ? t(`campaigns.messageStatus.${status}`) : status}
    </span>
  );
}
