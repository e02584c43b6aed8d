import type { LocalLinks } from "../api";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon, type IconName } from "../icons";
import { useLocalLinks } from "../local-links";
import { usePageTitle } from "../page-title";

type Tool = { link: keyof LocalLinks; icon: IconName; title: MessageKey; body: MessageKey };

const tools: Tool[] = [
  { link: "mailbox", icon: "email", title: "dev.mailbox.title", body: "dev.mailbox.body" },
  { link: "phone", icon: "phone", title: "dev.phone.title", body: "dev.phone.body" },
  { link: "schedules", icon: "calendar", title: "dev.schedules.title", body: "dev.schedules.body" },
];

export function DevPage() {
  usePageTitle("dev.title");
  const t = useT();
  const local = useLocalLinks();

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("dev.title")}</h1>
          <p className="page-subtitle">{t("dev.subtitle")}</p>
        </div>
      </header>
      {local.status === "loading" && (
        <p className="text-subtle" role="status">
          {t("app.loading")}
        </p>
      )}
      {local.status === "ready" && !local.links && (
        <div className="card empty-state" data-testid="dev-unavailable">
          <span className="empty-icon">
            <Icon name="dev" size={22} />
          </span>
          <h2>{t("dev.unavailable")}</h2>
          <p className="text-muted">{t("dev.unavailableDetail")}</p>
        </div>
      )}
      {local.status === "ready" && local.links && (
        <ul className="tool-grid">
          {tools.map((tool) => {
            const url = local.links?.[tool.link];
            if (!url) return null;
            return (
              <li key={tool.link} className="card tool" data-testid={`tool-${tool.link}`}>
                <div className="tool-head">
                  <span className="dep-icon">
                    <Icon name={tool.icon} />
                  </span>
                  <h2>{t(tool.title)}</h2>
                </div>
                <p className="text-muted">{t(tool.body)}</p>
                <div className="tool-foot">
                  <code className="tool-url">{url}</code>
                  <a className="button" href={url} target="_blank" rel="noopener noreferrer">
                    {t("dev.open")}
                    <Icon name="external" size={14} />
                    <span className="visually-hidden"> {t("dev.newTab")}</span>
                  </a>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
