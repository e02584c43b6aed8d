import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link } from "../router";

/** A page the signed-in role may not open (the API would answer 403 `auth.forbidden`). */
export function ForbiddenPage() {
  usePageTitle("forbidden.title");
  const t = useT();
  return (
    <div className="page">
      <div className="card empty-state" data-testid="forbidden">
        <span className="empty-icon">
          <Icon name="ban" size={22} />
        </span>
        <h1>{t("forbidden.title")}</h1>
        <p className="text-muted">{t("forbidden.body")}</p>
        <Link href="/" className="button">
          {t("forbidden.back")}
        </Link>
      </div>
    </div>
  );
}
