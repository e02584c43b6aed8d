// The page at GET /: groups, schedules, faults and recent history, for a developer's laptop.
// Self-contained (no scripts, no external assets); every value goes through escapeHtml.
import type { Fault } from "./faults";
import type { GroupRecord } from "./model";
import { formatParis, type HistoryView, type ScheduleView } from "./schedule-view";

export interface DashboardData {
  now: number;
  clockOffsetMs: number;
  groups: GroupRecord[];
  schedules: ScheduleView[];
  faults: Fault[];
  history: HistoryView[];
}

/** A benchmark can create thousands of schedules; the page stays readable, the JSON has them all. */
const MAX_SCHEDULE_ROWS = 300;

const OUTCOME_LABELS: Record<HistoryView["outcome"], string> = {
  delivered: "Livré (delivered)",
  retrying: "Nouvelle tentative (retrying)",
  failed: "Échec (failed)",
  "dead-lettered": "Envoyé en file d'erreurs (dead-lettered)",
  "unsupported-target": "Cible non prise en charge (unsupported target)",
  missed: "Manqué (missed)",
  "deleted-after-completion": "Supprimée après exécution (deleted after completion)",
};

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function renderDashboard(data: DashboardData): string {
  const offset =
    data.clockOffsetMs === 0
      ? ""
      : ` <span class="warn">décalée de ${escapeHtml(Math.round(data.clockOffsetMs / 1000))} s (shifted)</span>`;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>Planificateur local (EventBridge Scheduler)</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #1d1d1f; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; }
  .scroll { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #f4f4f6; font-weight: 600; }
  td code { white-space: nowrap; }
  td.detail { max-width: 24rem; overflow-wrap: anywhere; }
  code { font-size: .9em; }
  .ok { color: #0a7a2f; } .ko { color: #b3261e; } .muted { color: #6e6e73; } .warn { color: #a15c00; }
  button { font: inherit; cursor: pointer; }
</style>
</head>
<body>
<h1>Planificateur local <span class="muted">(EventBridge Scheduler emulator)</span></h1>
<p>Horloge (clock) : ${escapeHtml(formatParis(data.now))} heure de Paris${offset}</p>
<form method="post" action="/_emulator/clock/form">
  <label>Avancer l'horloge au (move the clock to), Paris : <input type="datetime-local" name="paris" required></label>
  <button type="submit">Déplacer (move)</button>
</form>
<form method="post" action="/_emulator/clock/form"><input type="hidden" name="reset" value="1"><button type="submit">Heure réelle (real time)</button></form>
${groupsTable(data)}
${schedulesTable(data.schedules)}
${faultsTable(data.faults)}
${historyTable(data.history)}
</body>
</html>
`;
}

function groupsTable({ groups, schedules }: DashboardData): string {
  const rows = groups
    .map((group) => {
      const count = schedules.filter((schedule) => schedule.groupName === group.name).length;
      return `<tr><td>${escapeHtml(group.name)}</td><td>${escapeHtml(count)}</td><td>${escapeHtml(formatParis(group.creationDate))}</td></tr>`;
    })
    .join("\n");
  return `<h2>Groupes <span class="muted">(groups)</span></h2>
<div class="scroll"><table>
<tr><th>Nom (name)</th><th>Planifications (schedules)</th><th>Créé le (created)</th></tr>
${rows}
</table></div>`;
}

function schedulesTable(schedules: ScheduleView[]): string {
  if (schedules.length === 0) {
    return `<h2>Planifications <span class="muted">(schedules)</span></h2><p class="muted">Aucune planification (no schedules).</p>`;
  }
  const hidden = schedules.length - MAX_SCHEDULE_ROWS;
  const rows = schedules
    .slice(0, MAX_SCHEDULE_ROWS)
    .map((schedule) => {
      const fireUrl = `/_emulator/schedules/${encodeURIComponent(schedule.groupName)}/${encodeURIComponent(schedule.name)}/fire?redirect=1`;
      const state = schedule.state === "ENABLED" ? "Activée (enabled)" : "Désactivée (disabled)";
      const next = schedule.nextFireAtParis ?? "—";
      return `<tr>
<td>${escapeHtml(schedule.groupName)}</td>
<td>${escapeHtml(schedule.name)}</td>
<td><code>${escapeHtml(schedule.expression)}</code></td>
<td>${escapeHtml(schedule.timezone)}</td>
<td>${escapeHtml(next)}</td>
<td>${escapeHtml(state)}</td>
<td class="detail">${resultCell(schedule.lastResult)}</td>
<td><form method="post" action="${escapeHtml(fireUrl)}"><button type="submit" title="Fire now">Déclencher</button></form></td>
</tr>`;
    })
    .join("\n");
  return `<h2>Planifications <span class="muted">(schedules)</span></h2>
<div class="scroll"><table>
<tr><th>Groupe (group)</th><th>Nom (name)</th><th>Expression</th><th>Fuseau (time zone)</th><th>Prochain déclenchement, Paris (next fire)</th><th>État (state)</th><th>Dernier résultat (last result)</th><th></th></tr>
${rows}
</table></div>${hidden > 0 ? `\n<p class="muted">… et ${escapeHtml(hidden)} autres (and more): voir /_emulator/schedules</p>` : ""}`;
}

function resultCell(result: HistoryView | null): string {
  if (!result) return `<span class="muted">Jamais déclenchée (never fired)</span>`;
  const good = result.outcome === "delivered" || result.outcome === "deleted-after-completion";
  const detail = result.detail ? `<br><span class="muted">${escapeHtml(result.detail)}</span>` : "";
  return `<span class="${good ? "ok" : "ko"}">${escapeHtml(OUTCOME_LABELS[result.outcome])}</span> ${escapeHtml(formatParis(Date.parse(result.at)))}${detail}`;
}

function faultsTable(faults: Fault[]): string {
  if (faults.length === 0) return "";
  const rows = faults
    .map(
      (fault) =>
        `<tr><td>${escapeHtml(fault.operation)}</td><td>${escapeHtml(fault.error)}</td><td>${escapeHtml(fault.remaining)}</td></tr>`,
    )
    .join("\n");
  return `<h2>Pannes injectées <span class="muted">(injected faults)</span></h2>
<div class="scroll"><table>
<tr><th>Opération (operation)</th><th>Erreur (error)</th><th>Restantes (remaining)</th></tr>
${rows}
</table></div>`;
}

function historyTable(history: HistoryView[]): string {
  if (history.length === 0) return "";
  const rows = history
    .slice(-30)
    .reverse()
    .map(
      (entry) => `<tr>
<td>${escapeHtml(formatParis(Date.parse(entry.at)))}</td>
<td>${escapeHtml(entry.groupName)}/${escapeHtml(entry.name)}${entry.manual ? ' <span class="muted">(manuel)</span>' : ""}</td>
<td>${escapeHtml(OUTCOME_LABELS[entry.outcome])}</td>
<td>${escapeHtml(entry.attempt ?? "")}</td>
<td class="detail">${escapeHtml(entry.detail ?? entry.messageId ?? "")}</td>
</tr>`,
    )
    .join("\n");
  return `<h2>Historique récent <span class="muted">(recent history)</span></h2>
<div class="scroll"><table>
<tr><th>Quand (when)</th><th>Planification (schedule)</th><th>Résultat (outcome)</th><th>Tentative (attempt)</th><th>Détail (detail)</th></tr>
${rows}
</table></div>`;
}
