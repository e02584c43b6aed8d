import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import type { ContactType } from "./client";
import { initialsOf } from "./contact-text";

/** Initials on the colour of the contact's type; a phone when only a number is known. */
export function ContactAvatar({
  contact,
}: {
  contact: { type: ContactType; firstName?: string; lastName?: string; email?: string } | null;
}) {
  const initials =
    contact && (contact.firstName || contact.lastName || contact.email) ? initialsOf(contact) : "";
  return (
    <span className={`avatar avatar-lg avatar-${contact?.type ?? "none"}`} aria-hidden="true">
      {initials || <Icon name={contact ? "phone" : "user"} size={14} />}
    </span>
  );
}

export function ContactTypeBadge({ type }: { type: ContactType }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-contact-${type}`} data-type={type}>
      {t(`contacts.type.${type}`)}
    </span>
  );
}

/** « Désabonné SMS » / « Désabonné e-mail », with the date in the tooltip. */
export function OptOutBadges({ optOut }: { optOut: { sms?: string; email?: string } }) {
  const { t, dateTime } = useI18n();
  const channels = (["sms", "email"] as const).filter((channel) => optOut[channel]);
  if (channels.length === 0) return <span className="text-subtle">—</span>;
  return (
    <span className="badge-row">
      {channels.map((channel) => (
        <span
          key={channel}
          className="badge badge-optout"
          data-testid={`optout-${channel}`}
          title={t("contacts.optOut.since", { date: dateTime(optOut[channel] ?? "") })}
        >
          <Icon name="ban" size={12} />
          {t(`contacts.optOut.badge.${channel}`)}
        </span>
      ))}
    </span>
  );
}

/** A landline or special number: stored, but SMS cannot reach it. */
export function NotSmsMarker() {
  const { t } = useI18n();
  return (
    <span className="marker" title={t("contacts.notSmsHint")} data-testid="not-sms">
      <Icon name="warning" size={12} />
      {t("contacts.notSms")}
    </span>
  );
}
