import "./health.css";
import { useState } from "react";
import type { Dependency, DependencyKind } from "../api";
import { type Translate, useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon, type IconName } from "../icons";
import { usePageTitle } from "../page-title";
import { useMe } from "../session/session-store";
import { type HealthFailure, type HealthState, useHealth } from "./use-health";

const kindIcon: Record<DependencyKind, IconName> = {
  table: "table",
  queue: "queue",
  topic: "topic",
  bucket: "bucket",
  email: "email",
  sms: "sms",
  scheduler: "scheduler",
};

/** Latency from which a dependency that answers is still flagged as slow. */
const slowMs = 1000;

function dependencyLabel(t: Translate, name: string): string | null {
  const key = `health.dep.${name}`;
  return isMessageKey(key) ? t(key) : null;
}

function failureReason(t: Translate, failure: HealthFailure): string {
  switch (failure.kind) {
    case "network":
      return t("health.reason.network");
    case "http":
      return t("health.reason.http", { status: failure.status });
    case "invalid":
      return t("health.reason.invalid");
  }
}

function StatusBanner({ state }: { state: HealthState }) {
  const { t, number, time } = useI18n();
  const { report, failure, checkedAt } = state;
  const detailed = report?.dependencies !== undefined;
  const dependencies = report?.dependencies ?? [];
  const down = dependencies.filter((dependency) => !dependency.up).length;
  const slowest = Math.max(0, ...dependencies.map((dependency) => dependency.latencyMs));

  let tone: "ok" | "bad" | "neutral";
  let icon: IconName;
  let title: string;
  let detail: string;
  if (failure) {
    tone = "bad";
    icon = "warning";
    title = t("health.banner.unreachable");
    detail = t("health.banner.unreachableDetail", { reason: failureReason(t, failure) });
    if (checkedAt) detail += ` ${t("health.banner.stale", { time: time(checkedAt) })}`;
  } else if (!report) {
    tone = "neutral";
    icon = "refresh";
    title = t("health.banner.checking");
    detail = t("health.banner.checkingDetail");
  } else if (report.up) {
    tone = "ok";
    icon = "up";
    title = t("health.banner.allUp");
    detail = t("health.banner.allUpDetail");
  } else {
    tone = "bad";
    icon = "down";
    title = t("health.banner.someDown");
    detail = detailed
      ? t("health.banner.someDownDetail", { down: number(down), total: number(dependencies.length) })
      : t("health.banner.downDetail");
  }

  const overall = failure ? "unknown" : report ? (report.up ? "up" : "down") : "checking";

  return (
    <section className={`banner banner-${tone}`} data-testid="health-banner" data-status={overall}>
      <div className="banner-main" role="status">
        <span className="banner-icon">
          <Icon name={icon} size={20} />
        </span>
        <div>
          <p className="banner-title">{title}</p>
          <p className="banner-detail">{detail}</p>
        </div>
      </div>
      {report && detailed && (
        <dl className="banner-stats">
          <div>
            <dt>{t("health.stat.up")}</dt>
            <dd>{number(dependencies.length - down)}</dd>
          </div>
          <div>
            <dt>{t("health.stat.down")}</dt>
            <dd className={down > 0 ? "text-bad" : undefined}>{number(down)}</dd>
          </div>
          <div>
            <dt>{t("health.stat.slowest")}</dt>
            <dd>{t("health.latency", { ms: number(slowest) })}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

function DependencyRow({ dependency }: { dependency: Dependency }) {
  const { t, number } = useI18n();
  const label = dependencyLabel(t, dependency.name);
  const status = dependency.up ? "up" : "down";
  const slow = dependency.up && dependency.latencyMs >= slowMs;
  return (
    <tr data-testid={`dep-${dependency.name}`} data-status={status} className={`row-${status}`}>
      <th scope="row" data-label={t("health.column.service")}>
        <span className="dep">
          <span className="dep-icon">
            <Icon name={kindIcon[dependency.kind] ?? "info"} />
          </span>
          <span className="dep-text">
            <span className="dep-label">{label ?? dependency.name}</span>
            {label && <code className="dep-name">{dependency.name}</code>}
          </span>
        </span>
      </th>
      <td data-label={t("health.column.kind")} className="text-muted">
        {t(`health.kind.${dependency.kind}`)}
      </td>
      <td data-label={t("health.column.status")}>
        <span className={`pill pill-${status}`}>
          <Icon name={status} size={14} />
          {t(dependency.up ? "health.status.up" : "health.status.down")}
        </span>
      </td>
      <td data-label={t("health.column.latency")} className={slow ? "num text-warn" : "num"}>
        {t("health.latency", { ms: number(dependency.latencyMs) })}
      </td>
      <td data-label={t("health.column.detail")} className="detail">
        {dependency.error ? (
          <code className="error-text" title={dependency.error}>
            {dependency.error}
          </code>
        ) : (
          <span className="text-subtle">{t("health.noDetail")}</span>
        )}
      </td>
    </tr>
  );
}

export function HealthPage() {
  usePageTitle("health.title");
  const { t, time } = useI18n();
  const [auto, setAuto] = useState(true);
  const health = useHealth(auto, useMe()?.role === "admin");
  const dependencies = health.report?.dependencies;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("health.title")}</h1>
          <p className="page-subtitle">{t("health.subtitle")}</p>
        </div>
        <div className="page-actions">
          <span className="last-checked" data-testid="last-checked">
            {health.checkedAt
              ? t("health.lastChecked", { time: time(health.checkedAt) })
              : t("health.neverChecked")}
          </span>
          <label className="switch">
            <input type="checkbox" checked={auto} onChange={(event) => setAuto(event.target.checked)} />
            <span className="switch-track" aria-hidden="true" />
            {t("health.autoRefresh")}
          </label>
          <button
            type="button"
            className="button"
            onClick={() => void health.refresh()}
            aria-busy={health.loading}
            data-testid="refresh"
          >
            <Icon name="refresh" className={health.loading ? "spin" : undefined} />
            {t("health.refresh")}
          </button>
        </div>
      </header>

      <StatusBanner state={health} />

      {health.report && !dependencies && (
        <p className="text-muted" data-testid="health-admin-only">
          {t("health.adminOnly")}
        </p>
      )}
      {dependencies && (
        <div className="card table-card">
          <table className="table health-table" aria-busy={health.loading}>
            <caption className="visually-hidden">{t("health.table.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("health.column.service")}</th>
                <th scope="col">{t("health.column.kind")}</th>
                <th scope="col">{t("health.column.status")}</th>
                <th scope="col" className="num">
                  {t("health.column.latency")}
                </th>
                <th scope="col">{t("health.column.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {dependencies.map((dependency) => (
                <DependencyRow key={dependency.name} dependency={dependency} />
              ))}
              {dependencies.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty-cell">
                    {t("health.empty")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {!health.report && !health.failure && <TableSkeleton />}
    </div>
  );
}

function TableSkeleton() {
  return (
    <div className="card table-card skeleton" aria-hidden="true">
      {Array.from({ length: 6 }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div className="skeleton-row" key={index} />
      ))}
    </div>
  );
}
