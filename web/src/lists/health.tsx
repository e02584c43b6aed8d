import { useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { type ListHealth, lists } from "./client";

/** The three parts a list's members fall into: reachable, duplicate of another member, unreachable. */
function parts(health: ListHealth) {
  const duplicates = Math.min(health.duplicates, health.valid);
  return [
    { key: "valid", value: health.valid - duplicates, className: "seg-valid" },
    { key: "duplicates", value: duplicates, className: "seg-duplicates" },
    { key: "invalid", value: health.invalid, className: "seg-invalid" },
  ] as const;
}

/** A stacked bar drawn in SVG on a 0–100 grid, stretched to its box. */
function StackedBar({ health, height, label }: { health: ListHealth; height: number; label: string }) {
  const total = Math.max(health.total, 1);
  let x = 0;
  return (
    <svg
      className="stacked-bar"
      width="100%"
      height={height}
      viewBox={`0 0 100 ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      <rect x="0" y="0" width="100" height={height} className="seg-empty" rx={height / 2} />
      {health.total > 0 &&
        parts(health).map((part) => {
          const width = (part.value / total) * 100;
          const rect = (
            <rect key={part.key} x={x} y="0" width={width} height={height} className={part.className} />
          );
          x += width;
          return rect;
        })}
    </svg>
  );
}

/**
 * The list's health for the list page: one bar of who can be reached, then a bar per channel and per
 * opt-out, each with its count and share. People would rather look than read.
 */
export function HealthChart({ health }: { health: ListHealth }) {
  const { t, number } = useI18n();
  const total = health.total;
  const share = (value: number) =>
    total > 0 ? number((value / total) * 100, { maximumFractionDigits: 0 }) : number(0);
  const summary = t("lists.health.summary", {
    total: number(total),
    valid: number(health.valid),
    invalid: number(health.invalid),
    duplicates: number(health.duplicates),
  });
  const rows: { key: string; label: MessageKey; value: number; tone: string }[] = [
    { key: "sms", label: "lists.health.smsCapable", value: health.smsCapable, tone: "bar-sms" },
    { key: "email", label: "lists.health.emailCapable", value: health.emailCapable, tone: "bar-email" },
    { key: "optSms", label: "lists.health.optedOutSms", value: health.optedOut.sms, tone: "bar-optout" },
    {
      key: "optEmail",
      label: "lists.health.optedOutEmail",
      value: health.optedOut.email,
      tone: "bar-optout",
    },
  ];
  return (
    <div className="health-chart" data-testid="health-chart" data-total={total}>
      <StackedBar health={health} height={14} label={summary} />
      <ul className="health-legend">
        {parts(health).map((part) => (
          <li key={part.key} data-testid={`health-${part.key}`} data-value={part.value}>
            <span className={`legend-dot ${part.className}`} aria-hidden="true" />
            <span>{t(`lists.health.${part.key}`)}</span>
            <strong className="tabular">{number(part.value)}</strong>
            <span className="text-subtle tabular">{share(part.value)} %</span>
          </li>
        ))}
      </ul>
      <div className="health-bars">
        {rows.map((row) => (
          <div
            className="health-bar-row"
            key={row.key}
            data-testid={`health-${row.key}`}
            data-value={row.value}
          >
            <span className="health-bar-label">{t(row.label)}</span>
            <svg
              className="health-bar"
              width="100%"
              height="8"
              viewBox="0 0 100 8"
              preserveAspectRatio="none"
              aria-hidden="true"
            >
              <rect x="0" y="0" width="100" height="8" className="seg-empty" />
              <rect
                x="0"
                y="0"
                width={total > 0 ? (row.value / total) * 100 : 0}
                height="8"
                className={row.tone}
              />
            </svg>
            <span className="health-bar-value tabular">
              {number(row.value)} <span className="text-subtle">· {share(row.value)} %</span>
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** The compact version for the lists table: a thin bar and the counts that need attention. */
export function HealthPills({ health }: { health: ListHealth | undefined }) {
  const { t, number } = useI18n();
  if (!health)
    return (
      <span className="health-pending">
        <span className="visually-hidden">{t("app.loading")}</span>
      </span>
    );
  if (health.total === 0) return <span className="text-subtle">{t("lists.health.emptyList")}</span>;
  const summary = t("lists.health.summary", {
    total: number(health.total),
    valid: number(health.valid),
    invalid: number(health.invalid),
    duplicates: number(health.duplicates),
  });
  const optedOut = health.optedOut.sms + health.optedOut.email;
  return (
    <div className="health-pills" data-testid="list-health">
      <div className="health-mini">
        <StackedBar health={health} height={6} label={summary} />
      </div>
      <span className="pill-set">
        <span className="hp hp-valid" title={t("lists.health.valid")}>
          {t("lists.health.pill.valid", { count: number(health.valid) })}
        </span>
        {health.invalid > 0 && (
          <span className="hp hp-invalid" title={t("lists.health.invalid")}>
            {t("lists.health.pill.invalid", { count: number(health.invalid) })}
          </span>
        )}
        {optedOut > 0 && (
          <span
            className="hp hp-optout"
            title={t("lists.health.optedOutHint", {
              sms: number(health.optedOut.sms),
              email: number(health.optedOut.email),
            })}
          >
            {t("lists.health.pill.optedOut", { count: number(optedOut) })}
          </span>
        )}
        {health.duplicates > 0 && (
          <span className="hp hp-duplicates" title={t("lists.health.duplicates")}>
            {t("lists.health.pill.duplicates", { count: number(health.duplicates) })}
          </span>
        )}
        <span className="hp" title={t("lists.health.smsCapable")}>
          {t("lists.health.pill.sms", { count: number(health.smsCapable) })}
        </span>
        <span className="hp" title={t("lists.health.emailCapable")}>
          {t("lists.health.pill.email", { count: number(health.emailCapable) })}
        </span>
      </span>
    </div>
  );
}

/**
 * Health summaries for the rows shown, fetched a few at a time (each reads the whole list), kept until
 * `forget` says a list changed.
 */
export function useHealthOf(listIds: string[]) {
  const [known, setKnown] = useState<Map<string, ListHealth>>(new Map());
  const [version, setVersion] = useState(0);
  const asked = useRef(new Set<string>());
  const key = listIds.join(",");

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `listIds`, `version` for `forget`
  useEffect(() => {
    let live = true;
    const queue = listIds.filter((listId) => !asked.current.has(listId));
    const pending = new Set(queue);
    for (const listId of queue) asked.current.add(listId);
    const worker = async () => {
      for (let next = queue.shift(); next && live; next = queue.shift()) {
        const listId = next;
        try {
          const { health } = await lists.health(listId);
          if (!live) return;
          pending.delete(listId);
          setKnown((current) => new Map(current).set(listId, health));
        } catch {
          // left in `pending`: asked again next time
        }
      }
    };
    void Promise.all([worker(), worker(), worker()]);
    return () => {
      live = false;
      for (const listId of pending) asked.current.delete(listId);
    };
  }, [key, version]);

  const forget = (listId: string) => {
    asked.current.delete(listId);
    setKnown((current) => {
      const next = new Map(current);
      next.delete(listId);
      return next;
    });
    setVersion((current) => current + 1);
  };
  return { health: known, forget };
}
