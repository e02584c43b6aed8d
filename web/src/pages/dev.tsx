import "./pages.css";
import { type FormEvent, useState } from "react";
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
      {local.status === "ready" && local.links && <EmailReplyCard />}
    </div>
  );
}

/** Answers the newest email sent to an address, as its mail client would (SES receipt, emulated). */
function EmailReplyCard() {
  const t = useT();
  const [from, setFrom] = useState("");
  const [text, setText] = useState("");
  const [state, setState] = useState<"idle" | "busy" | "sent" | "none">("idle");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState("busy");
    const answer = await fetch("/local/inbound-email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from, text }),
    });
    setState(answer.status === 202 ? "sent" : "none");
  };
  return (
    <form className="card card-padded form form-flush" onSubmit={submit} data-testid="email-reply-tool">
      <h2>{t("dev.emailReply.title")}</h2>
      <p className="text-muted">{t("dev.emailReply.body")}</p>
      <div className="field">
        <label htmlFor="dev-reply-from">{t("dev.emailReply.from")}</label>
        <input
          id="dev-reply-from"
          type="email"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="dev-reply-text">{t("dev.emailReply.text")}</label>
        <textarea
          id="dev-reply-text"
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="form-actions">
        {state === "sent" && <span className="text-subtle">{t("dev.emailReply.sent")}</span>}
        {state === "none" && <span className="text-subtle">{t("dev.emailReply.none")}</span>}
        <button type="submit" className="button button-primary" disabled={state === "busy" || !from || !text}>
          {t("dev.emailReply.send")}
        </button>
      </div>
    </form>
  );
}
