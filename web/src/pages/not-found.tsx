import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";

export function NotFoundPage() {
  usePageTitle("notFound.title");
  const t = useT();
  return (
    <div className="page">
      <div className="card empty-state">
        <span className="empty-icon">
          <Icon name="info" size={22} />
        </span>
        <h1>{t("notFound.title")}</h1>
        <p className="text-muted">{t("notFound.body")}</p>
        <Link href="/" className="button">
          {t("notFound.back")}
        </Link>
      </div>
    </div>
  );
}
