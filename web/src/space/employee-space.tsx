import { type ReactNode, useCallback, useEffect, useState } from "react";
import { ApiError } from "../api";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import {
  type CompanyContact,
  employee,
  type SpaceAnnouncement,
  type SpaceSurvey,
  type SurveyAnswer,
} from "./client";

const sections = ["messages", "advantages", "deals", "documents", "surveys", "contact"] as const;
type Section = (typeof sections)[number];
const typeOf: Record<"messages" | "advantages" | "deals", SpaceAnnouncement["type"][]> = {
  messages: ["message", "document"],
  advantages: ["advantage"],
  deals: ["deal"],
};

type Loaded = { announcements: SpaceAnnouncement[]; surveys: SpaceSurvey[]; contact: CompanyContact };

/**
 * An employee's space: Messages, Avantages, Bons plans, Documents, Sondages, Contact, one at a time
 * behind a row of tabs that scrolls sideways on a phone.
 */
export function EmployeeSpace({ documents, onSignedOut }: { documents: ReactNode; onSignedOut: () => void }) {
  const { t } = useI18n();
  const [section, setSection] = useState<Section>("messages");
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState(false);

  const load = useCallback(async () => {
    try {
      const [announcements, surveys, contact] = await Promise.all([
        employee.announcements(),
        employee.surveys(),
        employee.contact(),
      ]);
      setLoaded({ announcements: announcements.items, surveys: surveys.items, contact });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onSignedOut();
      else setFailure(true);
    }
  }, [onSignedOut]);

  useEffect(() => {
    void load();
  }, [load]);

  const unread = (kind: "messages" | "advantages" | "deals") =>
    loaded?.announcements.filter((item) => typeOf[kind].includes(item.type) && !item.read).length ?? 0;
  const pending = loaded?.surveys.filter((survey) => !survey.answered).length ?? 0;
  const badge = (name: Section) =>
    name === "surveys"
      ? pending
      : name === "messages" || name === "advantages" || name === "deals"
        ? unread(name)
        : 0;

  return (
    <div className="space-employee" data-testid="space-employee">
      <nav className="space-tabs" aria-label={t("space.employee.sections")}>
        {sections.map((name) => (
          <button
            key={name}
            type="button"
            className={`space-tab${section === name ? " is-current" : ""}`}
            aria-current={section === name ? "page" : undefined}
            onClick={() => setSection(name)}
            data-testid={`space-tab-${name}`}
          >
            {t(`space.employee.${name}` as MessageKey)}
            {badge(name) > 0 && <span className="space-badge">{badge(name)}</span>}
          </button>
        ))}
      </nav>
      {failure && (
        <p className="space-error" role="alert">
          {t("space.error.other")}
        </p>
      )}
      <PushOptIn />
      {section === "documents" && documents}
      {loaded && (section === "messages" || section === "advantages" || section === "deals") && (
        <Announcements
          items={loaded.announcements.filter((item) => typeOf[section].includes(item.type))}
          onRead={(read) =>
            setLoaded({
              ...loaded,
              announcements: loaded.announcements.map((item) =>
                item.announcementId === read.announcementId ? read : item,
              ),
            })
          }
        />
      )}
      {loaded && section === "surveys" && (
        <Surveys
          items={loaded.surveys}
          onAnswered={(answered) =>
            setLoaded({
              ...loaded,
              surveys: loaded.surveys.map((item) => (item.surveyId === answered.surveyId ? answered : item)),
            })
          }
        />
      )}
      {loaded && section === "contact" && <Contact contact={loaded.contact} />}
    </div>
  );
}

function Announcements({
  items,
  onRead,
}: {
  items: SpaceAnnouncement[];
  onRead: (item: SpaceAnnouncement) => void;
}) {
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  if (items.length === 0) return <p className="space-card">{t("space.employee.none")}</p>;
  const toggle = async (item: SpaceAnnouncement) => {
    setOpen(open === item.announcementId ? null : item.announcementId);
    if (!item.read) onRead((await employee.open(item.announcementId)).announcement);
  };
  return (
    <section className="space-section">
      {items.map((item) => (
        <article
          key={item.announcementId}
          className={`space-announcement${item.read ? "" : " is-unread"}`}
          data-testid="space-announcement"
          data-read={item.read}
        >
          <button
            type="button"
            className="space-announcement-title"
            aria-expanded={open === item.announcementId}
            onClick={() => void toggle(item)}
          >
            <strong>{item.title}</strong>
            <span className="space-muted">
              {t(`space.employee.type.${item.type}` as MessageKey)} · {t("space.employee.until")}{" "}
              {dateTime(item.endsAt)}
            </span>
          </button>
          {open === item.announcementId && (
            <div className="space-announcement-body" data-testid="space-announcement-body">
              {item.imageWidths.length > 0 && (
                <img
                  className="space-image"
                  alt=""
                  src={employee.imageUrl(item.announcementId, item.imageWidths[0]!)}
                  srcSet={item.imageWidths
                    .map((width) => `${employee.imageUrl(item.announcementId, width)} ${width}w`)
                    .join(", ")}
                  sizes="(max-width: 600px) 100vw, 600px"
                />
              )}
              {item.description && <p className="space-pre">{item.description}</p>}
              {item.attachmentName && (
                <p>
                  <a
                    className="space-button"
                    href={employee.attachmentUrl(item.announcementId)}
                    data-testid="space-attachment"
                  >
                    {t("space.download")} {item.attachmentName}
                  </a>
                </p>
              )}
              {item.link && (
                <p>
                  <a href={item.link} target="_blank" rel="noopener noreferrer">
                    {t("space.employee.link")}
                  </a>
                </p>
              )}
            </div>
          )}
        </article>
      ))}
    </section>
  );
}

function Surveys({ items, onAnswered }: { items: SpaceSurvey[]; onAnswered: (survey: SpaceSurvey) => void }) {
  const { t } = useI18n();
  if (items.length === 0) return <p className="space-card">{t("space.employee.noSurvey")}</p>;
  return (
    <section className="space-section">
      {items.map((survey) => (
        <SurveyCard key={survey.surveyId} survey={survey} onAnswered={onAnswered} />
      ))}
    </section>
  );
}

function SurveyCard({
  survey,
  onAnswered,
}: {
  survey: SpaceSurvey;
  onAnswered: (survey: SpaceSurvey) => void;
}) {
  const { t, dateTime } = useI18n();
  const [answer, setAnswer] = useState<SurveyAnswer>(survey.answer ?? {});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const final = survey.anonymous && survey.answered;

  const submit = async (value: SurveyAnswer) => {
    setBusy(true);
    setFailure(null);
    try {
      onAnswered((await employee.answer(survey.surveyId, value)).survey);
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.code === "survey.closed"
          ? t("space.employee.closed")
          : t("space.error.other"),
      );
    } finally {
      setBusy(false);
    }
  };

  const pick = (choiceId: string, checked: boolean) => {
    const current = answer.choiceIds ?? [];
    setAnswer({
      choiceIds: survey.multiple
        ? checked
          ? [...current, choiceId]
          : current.filter((id) => id !== choiceId)
        : [choiceId],
    });
  };

  return (
    <article className="space-card space-survey" data-testid="space-survey" data-answered={survey.answered}>
      <h3>{survey.question}</h3>
      {survey.description && <p className="space-pre">{survey.description}</p>}
      <p className="space-muted">
        {t("space.employee.until")} {dateTime(survey.endsAt)}
        {survey.anonymous ? ` · ${t("space.employee.anonymous")}` : ""}
      </p>
      {survey.answered && (
        <p className="space-done" role="status" data-testid="space-survey-answered">
          {final ? t("space.employee.answeredFinal") : t("space.employee.answered")}
        </p>
      )}
      {!final && survey.type === "yesno" && (
        <div className="space-choices">
          <button
            type="button"
            className={`space-button${answer.yes === true ? " is-picked" : ""}`}
            disabled={busy}
            onClick={() => {
              setAnswer({ yes: true });
              void submit({ yes: true });
            }}
          >
            {t("space.employee.yes")}
          </button>
          <button
            type="button"
            className={`space-button${answer.yes === false ? " is-picked" : ""}`}
            disabled={busy}
            onClick={() => {
              setAnswer({ yes: false });
              void submit({ yes: false });
            }}
          >
            {t("space.employee.no")}
          </button>
        </div>
      )}
      {!final && survey.type !== "yesno" && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit(answer);
          }}
        >
          {survey.type === "text" ? (
            <textarea
              className="space-input"
              aria-label={survey.question}
              maxLength={2000}
              rows={3}
              value={answer.text ?? ""}
              onChange={(event) => setAnswer({ text: event.target.value })}
            />
          ) : (
            <fieldset className="space-choices-list">
              <legend className="space-muted">
                {survey.multiple ? t("space.employee.several") : t("space.employee.one")}
              </legend>
              {survey.choices.map((choice) => (
                <label key={choice.choiceId} className="space-choice">
                  <input
                    type={survey.multiple ? "checkbox" : "radio"}
                    name={`survey-${survey.surveyId}`}
                    checked={(answer.choiceIds ?? []).includes(choice.choiceId)}
                    onChange={(event) => pick(choice.choiceId, event.target.checked)}
                  />
                  {choice.label}
                </label>
              ))}
            </fieldset>
          )}
          <button type="submit" className="space-button" disabled={busy} data-testid="space-survey-submit">
            {survey.answered ? t("space.employee.change") : t("space.employee.send")}
          </button>
        </form>
      )}
      {failure && (
        <p className="space-error" role="alert">
          {failure}
        </p>
      )}
    </article>
  );
}

function Contact({ contact }: { contact: CompanyContact }) {
  const { t } = useI18n();
  const empty = !contact.phone && !contact.email && !contact.hours;
  return (
    <section className="space-card space-contact" data-testid="space-contact">
      {empty && <p>{t("space.employee.noContact")}</p>}
      {contact.hours && <p className="space-pre">{contact.hours}</p>}
      {contact.phone && (
        <a
          className="space-button"
          href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}
          data-testid="space-call"
        >
          {t("space.employee.call", { phone: contact.phone })}
        </a>
      )}
      {contact.email && (
        <a className="space-button" href={`mailto:${contact.email}`} data-testid="space-mail">
          {t("space.employee.mail", { email: contact.email })}
        </a>
      )}
    </section>
  );
}

const base64url = (value: string) => {
  const padded = value
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(value.length / 4) * 4, "=");
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
};

/** « Recevoir les notifications »: registers the service worker and hands its push subscription to the API. */
function PushOptIn() {
  const { t } = useI18n();
  const supported = typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window;
  const [state, setState] = useState<"idle" | "on" | "denied" | "failed">(
    supported && Notification.permission === "denied" ? "denied" : "idle",
  );
  if (!supported) return null;
  const enable = async () => {
    try {
      const { publicKey } = await employee.pushKey();
      if (!publicKey || (await Notification.requestPermission()) !== "granted") {
        setState("denied");
        return;
      }
      const registration = await navigator.serviceWorker.register("/sw.js");
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64url(publicKey),
      });
      const json = subscription.toJSON();
      await employee.subscribe({
        endpoint: subscription.endpoint,
        keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
      });
      setState("on");
    } catch {
      setState("failed");
    }
  };
  return (
    <p className="space-push" data-testid="space-push">
      {state === "idle" && (
        <button type="button" className="space-link" onClick={() => void enable()}>
          {t("space.employee.push")}
        </button>
      )}
      {state === "on" && <span className="space-done">{t("space.employee.pushOn")}</span>}
      {state === "denied" && <span className="space-muted">{t("space.employee.pushDenied")}</span>}
      {state === "failed" && <span className="space-muted">{t("space.employee.pushFailed")}</span>}
    </p>
  );
}
