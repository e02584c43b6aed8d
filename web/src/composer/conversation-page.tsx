import "./composer.css";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { api, unwrap } from "../api";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, usePathname } from "../router";
import { MessageStatusBadge } from "./campaign-status";
import { displayValue } from "./recipients-field";
import { ReplyRule } from "./reply-rule";

type Conversation = Awaited<ReturnType<typeof load>>;
const load = (contactId: string) =>
  unwrap(api.api.conversations[":contactId"].$get({ param: { contactId } }, { init: { cache: "no-store" } }));

type Entry =
  | { kind: "out"; at: string; id: string; message: Conversation["messages"][number] }
  | { kind: "in"; at: string; id: string; reply: Conversation["replies"][number] };

/**
 * One contact's conversation (`/contacts/:contactId/conversation`): what we sent on the right with its
 * status, their replies on the left with the answer read, both channels, and a box to write back.
 * Polls every 5 s so replies appear while the page is open.
 */
export function ConversationPage() {
  usePageTitle("conversation.title");
  const { t, dateTime } = useI18n();
  const id = useId();
  const contactId = matchPath("/contacts/:contactId/conversation", usePathname())?.contactId ?? "";
  const [data, setData] = useState<Conversation | null>(null);
  const [error, setError] = useState<unknown>();
  const [text, setText] = useState("");
  const [channel, setChannel] = useState<"sms" | "email">("sms");
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(
    () =>
      load(contactId).then(
        (loaded) => {
          setData(loaded);
          setError(undefined);
        },
        (caught: unknown) => setError(caught),
      ),
    [contactId],
  );
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 5000);
    return () => clearInterval(timer);
  }, [refresh]);
  useEffect(() => {
    if (data && !data.contact.mobile && data.contact.email) setChannel("email");
  }, [data]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      const { campaign } = await unwrap(
        api.api.conversations[":contactId"].messages.$post({
          param: { contactId },
          json: { body: text, channel },
        }),
      );
      setText("");
      const later = new Date(campaign.sendAt).getTime() > Date.now() + 60_000;
      toast(later ? t("conversation.deferred", { when: dateTime(campaign.sendAt) }) : t("conversation.sent"));
      void refresh();
    } catch (caught) {
      toast(errorText(t, caught), "error");
    } finally {
      setBusy(false);
    }
  };

  const entries: Entry[] = data
    ? [
        ...data.messages.map((message) => ({
          kind: "out" as const,
          at: message.sentAt ?? message.createdAt,
          id: message.messageId,
          message,
        })),
        ...data.replies.map((reply) => ({
          kind: "in" as const,
          at: reply.receivedAt,
          id: reply.replyId,
          reply,
        })),
      ].sort((a, b) => a.at.localeCompare(b.at))
    : [];
  const canSms = Boolean(data?.contact.mobile) && !data?.contact.optedOutSms;
  const canEmail = Boolean(data?.contact.email) && !data?.contact.optedOutEmail;
  const blocked = channel === "sms" ? !canSms : !canEmail;

  return (
    <div className="page conversation-page" data-testid="conversation">
      <header className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/contacts">{t("nav.contacts")}</Link>
          </p>
          <h1>{data?.contact.name || t("conversation.title")}</h1>
          {data && (
            <p className="page-subtitle">
              {[data.contact.mobile && displayValue(data.contact.mobile), data.contact.email]
                .filter(Boolean)
                .join(" · ")}
            </p>
          )}
        </div>
      </header>
      {error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, error)}</p>
        </Notice>
      )}
      <section className="card card-padded thread" aria-live="polite" data-testid="thread">
        {data && entries.length === 0 && <p className="text-subtle">{t("conversation.empty")}</p>}
        {entries.map((entry) =>
          entry.kind === "out" ? (
            <div className="thread-row thread-out" key={entry.id} data-testid="thread-out">
              <div className="thread-bubble">
                <div className="thread-body">{entry.message.body}</div>
                <div className="thread-meta">
                  <Icon name={entry.message.channel === "sms" ? "sms" : "email"} size={12} />
                  {dateTime(entry.at)}
                  <MessageStatusBadge status={entry.message.status} />
                  <Link href={`/campaigns/${encodeURIComponent(entry.message.campaignId)}`}>
                    {t("conversation.campaign")}
                  </Link>
                </div>
              </div>
            </div>
          ) : (
            <div className="thread-row thread-in" key={entry.id} data-testid="thread-in">
              <div className="thread-bubble">
                <div className="thread-body">{entry.reply.body}</div>
                <div className="thread-meta">
                  <Icon name={entry.reply.channel === "sms" ? "sms" : "email"} size={12} />
                  {dateTime(entry.at)}
                  <span className={`answer-tag answer-${entry.reply.classification}`}>
                    {t(`campaign.answer.${entry.reply.classification}`)}
                  </span>
                  <ReplyRule rule={entry.reply.rule} />
                </div>
              </div>
            </div>
          ),
        )}
      </section>
      <form className="card card-padded form form-flush reply-box" onSubmit={send} data-testid="reply-box">
        <label htmlFor={`${id}-reply`} className="visually-hidden">
          {t("conversation.reply")}
        </label>
        <textarea
          id={`${id}-reply`}
          rows={3}
          maxLength={1600}
          value={text}
          placeholder={t("conversation.placeholder")}
          onChange={(event) => setText(event.target.value)}
          data-testid="reply-text"
        />
        <div className="reply-actions">
          <fieldset className="segmented" aria-label={t("conversation.channel")}>
            {(["sms", "email"] as const).map((option) => (
              <button
                key={option}
                type="button"
                className="segmented-option"
                aria-pressed={channel === option}
                disabled={option === "sms" ? !canSms : !canEmail}
                onClick={() => setChannel(option)}
              >
                {t(`composer.channel.${option}`)}
              </button>
            ))}
          </fieldset>
          {blocked && data && <span className="text-subtle">{t("conversation.unreachable")}</span>}
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || !text.trim() || blocked}
            data-testid="reply-send"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            <Icon name="send" size={14} />
            {t("conversation.send")}
          </button>
        </div>
      </form>
    </div>
  );
}
