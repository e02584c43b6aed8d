import { useCallback, useEffect, useRef, useState } from "react";
import { errorText } from "../accounts/errors";
import { download as downloadFile } from "../api";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { Link, navigate } from "../router";
import { MessageStatusBadge } from "./campaign-status";
import {
  type Answer,
  type AnswerFilter,
  type CampaignCounts,
  type CampaignRecipient,
  campaigns,
  type Timeline,
} from "./client";
import { displayValue } from "./recipients-field";
import { ReplyRule } from "./reply-rule";
import { formatInZone, parisToIso, parisZone, todayInParis } from "./schedule";

/** Counts, recipients and chart of one campaign, read again every 3 s while it is live. */

const pollMs = 3_000;
/** Replies to a yes/no question keep coming for a while after the last SMS left. */
const repliesWindowMs = 24 * 3_600_000;

export function isLive(status: string | undefined, kind: string | undefined, sendAt: string | undefined) {
  if (status === "sending") return true;
  if (status === "sent" && kind === "yesno" && sendAt)
    return Date.now() - Date.parse(sendAt) < repliesWindowMs;
  return false;
}

/** Calls `tick` every 3 s while `active` and the tab is visible. */
export function usePoll(active: boolean, tick: () => void) {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") tickRef.current();
    }, pollMs);
    return () => window.clearInterval(timer);
  }, [active]);
}

const answers: Answer[] = ["yes", "no", "other"];

/** The three bubbles: green Oui, orange Non, blue Autre. */
export function AnswerBubbles({
  counts,
  onPick,
}: {
  counts: CampaignCounts;
  onPick: (answer: Answer) => void;
}) {
  const { t, number } = useI18n();
  return (
    <div className="answer-bubbles" data-testid="answer-bubbles">
      {answers.map((answer) => (
        <button
          key={answer}
          type="button"
          className={`answer-bubble answer-${answer}`}
          data-testid={`bubble-${answer}`}
          onClick={() => onPick(answer)}
        >
          <span className="answer-bubble-count" data-testid={`bubble-${answer}-count`}>
            {number(counts[answer])}
          </span>
          <span className="answer-bubble-label">{t(`campaign.answer.${answer}`)}</span>
        </button>
      ))}
    </div>
  );
}

const statusCounts = ["sent", "delivered", "replied", "undeliverable", "failed", "unsubscribed"] as const;

export function StatusCounts({ counts }: { counts: CampaignCounts }) {
  const { t, number } = useI18n();
  // what has not left is waiting, or will never leave once the campaign is cancelled
  const rest = counts.status === "cancelled" ? ("cancelled" as const) : ("waiting" as const);
  return (
    <dl className="totals totals-status" data-testid="status-counts">
      {[...statusCounts, rest].map((key) => (
        <div
          key={key}
          className={
            (key === "undeliverable" || key === "failed") && counts[key] > 0 ? "total total-bad" : "total"
          }
        >
          <dt>{t(`campaign.count.${key}`)}</dt>
          <dd data-testid={`status-count-${key}`}>{number(counts[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Deliveries (bars) and replies (line) per bucket, drawn as inline SVG. */
export function TimelineChart({ timeline }: { timeline: Timeline | undefined }) {
  const { t } = useI18n();
  const points = timeline?.points ?? [];
  if (points.length === 0) {
    return <p className="text-subtle chart-empty">{t("campaign.chart.empty")}</p>;
  }
  const width = 640;
  const height = 180;
  const pad = { left: 30, right: 10, top: 10, bottom: 24 };
  const max = Math.max(1, ...points.map((point) => Math.max(point.delivered, point.replied)));
  const step = (width - pad.left - pad.right) / points.length;
  const y = (value: number) => pad.top + (height - pad.top - pad.bottom) * (1 - value / max);
  const x = (index: number) => pad.left + step * index + step / 2;
  const label = (at: string) => {
    const text = formatInZone(at, parisZone);
    return timeline?.bucket === "hour" ? `${text.slice(0, 5)} ${text.slice(11, 13)}h` : text.slice(11);
  };
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const line = points.map((point, index) => `${x(index)},${y(point.replied)}`).join(" ");
  return (
    <figure className="chart" data-testid="campaign-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t("campaign.chart.title")}>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        <text x={pad.left - 6} y={y(max) + 4} className="chart-tick" textAnchor="end">
          {max}
        </text>
        <text x={pad.left - 6} y={y(0) + 4} className="chart-tick" textAnchor="end">
          0
        </text>
        {points.map((point, index) => (
          <g key={point.at}>
            <rect
              className="chart-bar"
              x={x(index) - Math.min(step * 0.35, 14)}
              width={Math.min(step * 0.7, 28)}
              y={y(point.delivered)}
              height={y(0) - y(point.delivered)}
            >
              <title>{`${label(point.at)} · ${t("campaign.chart.delivered")} ${point.delivered} · ${t("campaign.chart.replied")} ${point.replied}`}</title>
            </rect>
            {index % labelEvery === 0 && (
              <text x={x(index)} y={height - 6} className="chart-tick" textAnchor="middle">
                {label(point.at)}
              </text>
            )}
          </g>
        ))}
        <polyline className="chart-line" points={line} fill="none" />
        {points.map((point, index) => (
          <circle key={point.at} className="chart-dot" cx={x(index)} cy={y(point.replied)} r={3} />
        ))}
      </svg>
      <figcaption className="chart-legend">
        <span className="chart-key chart-key-delivered">{t("campaign.chart.delivered")}</span>
        <span className="chart-key chart-key-replied">{t("campaign.chart.replied")}</span>
      </figcaption>
    </figure>
  );
}

const filters: AnswerFilter[] = ["yes", "no", "other", "none"];

/** Who answered what: filter chips, status with reason, the reply in its colour and a select to correct it. */
export function RecipientsTable({
  campaignId,
  filter,
  onFilter,
  refreshKey,
  onChanged,
  question,
}: {
  /** A Yes/No question: answers can be filtered and reclassified; an info campaign's cannot. */
  question: boolean;
  campaignId: string;
  filter: AnswerFilter | undefined;
  onFilter: (filter: AnswerFilter | undefined) => void;
  refreshKey: number;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [page, setPage] = useState<{ items: CampaignRecipient[]; cursor?: string }>();
  const [extra, setExtra] = useState<{ items: CampaignRecipient[]; cursor?: string }>({ items: [] });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const answer = await campaigns.recipients(campaignId, filter);
      if (mine !== generation.current) return;
      setPage(answer);
      setError(undefined);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    }
  }, [campaignId, filter]);

  // a new filter starts from the first page again
  // biome-ignore lint/correctness/useExhaustiveDependencies: resets when the filter changes
  useEffect(() => {
    setPage(undefined);
    setExtra({ items: [] });
  }, [campaignId, filter]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refreshKey` asks for a new read
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const items = [
    ...(page?.items ?? []),
    ...extra.items.filter((item) => !page?.items.some((one) => one.messageId === item.messageId)),
  ];
  const cursor = extra.items.length > 0 ? extra.cursor : page?.cursor;

  const more = async () => {
    if (!cursor) return;
    setBusy(true);
    const next = await campaigns.recipients(campaignId, filter, cursor).catch(() => null);
    setBusy(false);
    if (next) setExtra((current) => ({ items: [...current.items, ...next.items], cursor: next.cursor }));
  };

  const reclassify = async (messageId: string, classification: Answer) => {
    try {
      const { recipient } = await campaigns.reclassify(campaignId, messageId, classification);
      const swap = (list: CampaignRecipient[]) =>
        list.map((item) => (item.messageId === messageId ? recipient : item));
      setPage((current) => current && { ...current, items: swap(current.items) });
      setExtra((current) => ({ ...current, items: swap(current.items) }));
      toast(t("campaign.reclassified"));
      onChanged();
    } catch (caught) {
      toast(errorText(t, caught), "error");
    }
  };

  return (
    <section className="stack">
      <div className="section-head">
        <h2>{t("campaign.recipients")}</h2>
        {question && (
          <fieldset className="filter-chips" aria-label={t("campaign.filter")}>
            {filters.map((one) => (
              <button
                key={one}
                type="button"
                className={`filter-chip filter-chip-${one}${filter === one ? " is-active" : ""}`}
                aria-pressed={filter === one}
                data-testid={`filter-${one}`}
                onClick={() => onFilter(filter === one ? undefined : one)}
              >
                {t(`campaign.filter.${one}`)}
              </button>
            ))}
          </fieldset>
        )}
      </div>
      <DataTable
        caption={t("campaign.recipients")}
        testId="messages-table"
        busy={!page}
        error={error === undefined ? null : errorText(t, error)}
        columns={question ? 5 : 4}
        head={
          <>
            <th scope="col">{t("campaigns.col.recipient")}</th>
            <th scope="col">{t("campaign.col.number")}</th>
            <th scope="col">{t("campaigns.col.status")}</th>
            <th scope="col">{t("campaign.col.answer")}</th>
            {question && <th scope="col">{t("campaign.col.classify")}</th>}
          </>
        }
        empty={page && items.length === 0 && t("campaigns.noMessages")}
        foot={
          cursor && (
            <div className="table-foot">
              <button type="button" className="button" onClick={more} disabled={busy}>
                {t("campaigns.more")}
              </button>
            </div>
          )
        }
      >
        {items.map((item) => (
          <tr
            key={item.messageId}
            data-testid="message-row"
            data-status={item.status}
            data-answer={item.classification ?? "none"}
          >
            <th scope="row">
              <span className="channel">
                <Icon name={item.channel === "sms" ? "sms" : "email"} size={14} />
                {item.contactId ? (
                  <Link href={`/contacts/${encodeURIComponent(item.contactId)}/conversation`}>
                    {item.name || "—"}
                  </Link>
                ) : (
                  item.name || "—"
                )}
              </span>
            </th>
            <td className="nowrap tabular">{displayValue(item.to)}</td>
            <td>
              <MessageStatusBadge status={item.status} />
              {item.statusReason && <span className="person-detail"> · {item.statusReason}</span>}
            </td>
            <td>
              {item.classification ? (
                <span className={`answer-tag answer-${item.classification}`}>
                  {t(`campaign.answer.${item.classification}`)}
                </span>
              ) : (
                <span className="text-subtle">{t("campaign.filter.none")}</span>
              )}
              {item.reply && <span className="reply-text">« {item.reply} »</span>}
              {item.classification && <ReplyRule rule={item.rule} />}
            </td>
            {question && (
              <td>
                {item.reply !== undefined && (
                  <select
                    className="select-small"
                    aria-label={t("campaign.col.classify")}
                    data-testid="classify"
                    value={item.classification ?? ""}
                    onChange={(event) => void reclassify(item.messageId, event.target.value as Answer)}
                  >
                    {!item.classification && <option value="">—</option>}
                    {answers.map((answer) => (
                      <option key={answer} value={answer}>
                        {t(`campaign.answer.${answer}`)}
                      </option>
                    ))}
                  </select>
                )}
              </td>
            )}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** Annuler (with confirmation), Reprogrammer (Paris date and time) and Rapport Excel. */
export function CampaignActions({
  campaignId,
  status,
  sendAt,
  onChanged,
  followUp,
}: {
  campaignId: string;
  status: string;
  sendAt: string;
  onChanged: () => void;
  /** Who « Relancer » can reach: the unanswered (questions only) and the undelivered. */
  followUp?: { noAnswer?: number; notDelivered: number };
}) {
  const { t, number } = useI18n();
  const [dialog, setDialog] = useState<"cancel" | "reschedule" | "resend">();
  const [audience, setAudience] = useState<"no_answer" | "not_delivered">("no_answer");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const current = formatInZone(sendAt, parisZone);
  const [date, setDate] = useState("");
  const [time, setTime] = useState("");
  const cancellable = status === "scheduled" || status === "paused" || status === "sending";

  const canResend =
    followUp &&
    status !== "scheduled" &&
    status !== "cancelled" &&
    ((followUp.noAnswer ?? 0) > 0 || followUp.notDelivered > 0);
  const resend = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { campaign } = await campaigns.resend(campaignId, audience);
      toast(t("campaign.resend.done"));
      navigate(`/campaigns/${encodeURIComponent(campaign.campaignId)}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const open = (which: "cancel" | "reschedule") => {
    setError(undefined);
    setDate(`${current.slice(6, 10)}-${current.slice(3, 5)}-${current.slice(0, 2)}`);
    setTime(current.slice(11, 16));
    setDialog(which);
  };

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      toast(done);
      setDialog(undefined);
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setBusy(true);
    try {
      await downloadFile(campaigns.reportPath(campaignId), `rapport-${campaignId}.xlsx`);
    } catch (caught) {
      toast(errorText(t, caught), "error");
    } finally {
      setBusy(false);
    }
  };

  const iso = parisToIso(date, time);
  const failure = error === undefined ? null : errorText(t, error);
  // the three dialogs wait for their answer: no closing meanwhile, and « Retour » away from the action
  const closing = {
    onClose: () => setDialog(undefined),
    dismissable: !busy,
    cancelLabel: t("campaign.back"),
    cancelDisabled: busy,
    apart: true,
  };
  return (
    <div className="campaign-actions">
      {status === "scheduled" && (
        <button type="button" className="button" data-testid="reschedule" onClick={() => open("reschedule")}>
          <Icon name="calendar" size={14} />
          {t("campaign.reschedule")}
        </button>
      )}
      {cancellable && (
        <button
          type="button"
          className="button button-danger"
          data-testid="cancel"
          onClick={() => open("cancel")}
        >
          <Icon name="ban" size={14} />
          {t("campaign.cancel")}
        </button>
      )}
      {canResend && (
        <button
          type="button"
          className="button"
          data-testid="resend"
          onClick={() => {
            setError(undefined);
            setAudience((followUp.noAnswer ?? 0) > 0 ? "no_answer" : "not_delivered");
            setDialog("resend");
          }}
        >
          <Icon name="send" size={14} />
          {t("campaign.resend")}
        </button>
      )}
      <button type="button" className="button" data-testid="report" onClick={download} disabled={busy}>
        <Icon name="download" size={14} />
        {t("campaign.report")}
      </button>
      {dialog === "cancel" && (
        <ConfirmDialog
          {...closing}
          title={t("campaign.cancel.title")}
          description={t("campaign.cancel.text")}
          testId="cancel-dialog"
          action={{
            label: t("campaign.cancel.confirm"),
            testId: "cancel-confirm",
            tone: "danger",
            disabled: busy,
            onClick: () => void run(() => campaigns.cancel(campaignId), t("campaign.cancelled")),
          }}
        >
          {failure && <ErrorNotice text={failure} />}
        </ConfirmDialog>
      )}
      {dialog === "resend" && followUp && (
        <ConfirmDialog
          {...closing}
          title={t("campaign.resend.title")}
          description={t("campaign.resend.text")}
          testId="resend-dialog"
          action={{
            label: t("campaign.resend.confirm"),
            testId: "resend-confirm",
            disabled: busy,
            onClick: () => void resend(),
          }}
        >
          <fieldset className="field">
            {followUp.noAnswer !== undefined && (
              <label className="checkbox">
                <input
                  type="radio"
                  name="resend-audience"
                  checked={audience === "no_answer"}
                  disabled={followUp.noAnswer === 0}
                  onChange={() => setAudience("no_answer")}
                  data-testid="resend-no-answer"
                />
                {t("campaign.resend.noAnswer", { count: number(followUp.noAnswer) })}
              </label>
            )}
            <label className="checkbox">
              <input
                type="radio"
                name="resend-audience"
                checked={audience === "not_delivered"}
                disabled={followUp.notDelivered === 0}
                onChange={() => setAudience("not_delivered")}
                data-testid="resend-not-delivered"
              />
              {t("campaign.resend.notDelivered", { count: number(followUp.notDelivered) })}
            </label>
          </fieldset>
          <ErrorNotice text={failure} />
        </ConfirmDialog>
      )}
      {dialog === "reschedule" && (
        <ConfirmDialog
          {...closing}
          title={t("campaign.reschedule.title")}
          testId="reschedule-dialog"
          action={{
            label: t("campaign.reschedule.confirm"),
            testId: "reschedule-confirm",
            disabled: busy || !iso,
            onClick: () =>
              iso && void run(() => campaigns.reschedule(campaignId, iso), t("campaign.rescheduled")),
          }}
        >
          <div className="schedule-when">
            <div className="field">
              <label htmlFor="reschedule-date">{t("composer.schedule.date")}</label>
              <input
                id="reschedule-date"
                type="date"
                min={todayInParis()}
                value={date}
                onChange={(event) => setDate(event.target.value)}
                data-testid="reschedule-date"
              />
            </div>
            <div className="field">
              <label htmlFor="reschedule-time">{t("composer.schedule.time")}</label>
              <input
                id="reschedule-time"
                type="time"
                step={300}
                value={time}
                onChange={(event) => setTime(event.target.value)}
                data-testid="reschedule-time"
              />
            </div>
          </div>
          <p className="text-subtle">{t("composer.schedule.paris")}</p>
          <ErrorNotice text={failure} />
        </ConfirmDialog>
      )}
    </div>
  );
}
