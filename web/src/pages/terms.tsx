import { AuthLayout } from "../components/auth-layout";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { usePageTitle } from "../page-title";

const sections: [MessageKey, MessageKey][] = [
  ["terms.service.title", "terms.service.body"],
  ["terms.account.title", "terms.account.body"],
  ["terms.messages.title", "terms.messages.body"],
  ["terms.data.title", "terms.data.body"],
  ["terms.availability.title", "terms.availability.body"],
];

/** The short terms of use that an invited person accepts when registering. */
export function TermsPage() {
  usePageTitle("terms.title");
  const t = useT();
  return (
    <AuthLayout wide>
      <article className="terms" data-testid="terms">
        <h1>{t("terms.title")}</h1>
        <p className="page-subtitle">{t("terms.updated")}</p>
        {sections.map(([title, body]) => (
          <section key={title}>
            <h2>{t(title)}</h2>
            <p>{t(body)}</p>
          </section>
        ))}
      </article>
    </AuthLayout>
  );
}
