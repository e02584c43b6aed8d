// The JSON shape the control API and the HTML page show for schedules and their history.
import type { FiringEngine } from "./firing-engine";
import type { HistoryEntry, ScheduleRecord } from "./model";
import type { SchedulerState } from "./scheduler-state";

const parisFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "short",
  timeStyle: "medium",
});

export const formatParis = (ms: number) => parisFormat.format(new Date(ms));
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export interface HistoryView {
  at: string;
  groupName: string;
  name: string;
  outcome: HistoryEntry["outcome"];
  scheduledAt?: string;
  attempt?: number;
  messageId?: string;
  detail?: string;
  manual?: boolean;
  invocationId?: string;
}

export function historyView(entry: HistoryEntry): HistoryView {
  return { ...entry, at: new Date(entry.at).toISOString(), scheduledAt: iso(entry.scheduledAt) };
}

export interface ScheduleView {
  groupName: string;
  name: string;
  arn: string;
  expression: string;
  timezone: string;
  state: ScheduleRecord["state"];
  description?: string;
  actionAfterCompletion: string;
  flexibleTimeWindow: ScheduleRecord["flexibleTimeWindow"];
  startDate?: string;
  endDate?: string;
  target: { arn: string; input?: string; deadLetterArn?: string; retryPolicy?: object };
  /** UTC ISO, null when the schedule will not fire by itself again. */
  nextFireAt: string | null;
  nextFireAtParis: string | null;
  pendingInvocations: number;
  lastResult: HistoryView | null;
  history: HistoryView[];
}

/** Each schedule's history and pending invocations, indexed once rather than filtered per schedule. */
interface ViewIndex {
  history: Map<string, HistoryView[]>;
  pending: Map<string, number>;
}

function indexState(state: SchedulerState): ViewIndex {
  const history = new Map<string, HistoryView[]>();
  for (const entry of state.history) {
    const key = `${entry.groupName}/${entry.name}`;
    const list = history.get(key) ?? [];
    list.push(historyView(entry));
    history.set(key, list);
  }
  const pending = new Map<string, number>();
  for (const invocation of state.invocations.values()) {
    pending.set(invocation.scheduleArn, (pending.get(invocation.scheduleArn) ?? 0) + 1);
  }
  return { history, pending };
}

export function scheduleView(
  schedule: ScheduleRecord,
  state: SchedulerState,
  engine: FiringEngine,
  index: ViewIndex = indexState(state),
): ScheduleView {
  const next = engine.nextFireAt(schedule);
  const history = index.history.get(`${schedule.groupName}/${schedule.name}`) ?? [];
  return {
    groupName: schedule.groupName,
    name: schedule.name,
    arn: schedule.arn,
    expression: schedule.expression,
    timezone: schedule.timezone ?? "UTC",
    state: schedule.state,
    description: schedule.description,
    actionAfterCompletion: schedule.actionAfterCompletion ?? "NONE",
    flexibleTimeWindow: schedule.flexibleTimeWindow,
    startDate: iso(schedule.startDate),
    endDate: iso(schedule.endDate),
    target: {
      arn: schedule.target.Arn,
      input: schedule.target.Input,
      deadLetterArn: schedule.target.DeadLetterConfig?.Arn,
      retryPolicy: schedule.target.RetryPolicy,
    },
    nextFireAt: next === null ? null : new Date(next).toISOString(),
    nextFireAtParis: next === null ? null : formatParis(next),
    pendingInvocations: index.pending.get(schedule.arn) ?? 0,
    lastResult: history.at(-1) ?? null,
    history: history.slice(-20),
  };
}

export function allScheduleViews(state: SchedulerState, engine: FiringEngine): ScheduleView[] {
  const index = indexState(state);
  return [...state.schedules.values()]
    .sort((a, b) => `${a.groupName}/${a.name}`.localeCompare(`${b.groupName}/${b.name}`))
    .map((schedule) => scheduleView(schedule, state, engine, index));
}
