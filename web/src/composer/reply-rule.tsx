import { useI18n } from "../i18n/i18n";
import type { CampaignRecipient } from "./client";

export type ReplyRuleCode = NonNullable<CampaignRecipient["rule"]>;

/** Why a reply reads yes / no / other: the rule that decided, or « Reclassé à la main ». */
export function ReplyRule({ rule }: { rule: ReplyRuleCode | undefined }) {
  const { t } = useI18n();
  if (!rule) return null;
  return (
    <span className="reply-rule" data-testid="reply-rule" data-rule={rule}>
      {t(`campaign.rule.${rule}`)}
    </span>
  );
}
