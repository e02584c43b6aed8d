import type { Contact } from "../contacts/client";
import { displayName } from "../contacts/contact-text";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import type { ListMember } from "./client";

/** A contact's name, then how to reach it (without repeating a number used as the name). */
export function ContactLine({
  contact,
  hidden,
}: {
  contact: ListMember["contact"] | Contact;
  hidden?: boolean;
}) {
  const { t } = useI18n();
  if (!contact)
    return <span className="text-subtle">{t(hidden ? "lists.member.hidden" : "lists.member.erased")}</span>;
  const name = displayName(contact, t);
  const reach = [contact.mobile ? formatPhone(contact.mobile) : "", contact.email ?? ""].filter(
    (bit) => bit && bit !== name,
  );
  return (
    <span className="member-line">
      <strong>{name}</strong>
      {reach.length > 0 && <span className="text-subtle">{reach.join(" · ")}</span>}
    </span>
  );
}
