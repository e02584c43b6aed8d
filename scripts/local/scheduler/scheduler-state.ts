// Everything the emulator knows, in memory; state-file.ts mirrors it to disk.
import type { GroupRecord, HistoryEntry, Invocation, PersistedState, ScheduleRecord } from "./model";

export const DEFAULT_GROUP = "default";
const HISTORY_LIMIT = 500;
/** Enough for any retry window; a benchmark creating schedules by the thousand must not grow memory forever. */
const CLIENT_TOKEN_LIMIT = 10_000;

export interface Identity {
  region: string;
  accountId: string;
}

export interface ClientTokenUse {
  fingerprint: string;
  arn: string;
}

export class SchedulerState {
  readonly groups = new Map<string, GroupRecord>();
  readonly schedules = new Map<string, ScheduleRecord>();
  readonly invocations = new Map<string, Invocation>();
  /** Idempotency of creates and deletes; kept in memory only. */
  readonly clientTokens = new Map<string, ClientTokenUse>();
  history: HistoryEntry[] = [];

  constructor(
    readonly identity: Identity,
    now: number,
  ) {
    this.ensureDefaultGroup(now);
  }

  groupArn(name: string): string {
    return `arn:aws:scheduler:${this.identity.region}:${this.identity.accountId}:schedule-group/${name}`;
  }

  scheduleArn(groupName: string, name: string): string {
    return `arn:aws:scheduler:${this.identity.region}:${this.identity.accountId}:schedule/${groupName}/${name}`;
  }

  getSchedule(groupName: string, name: string): ScheduleRecord | undefined {
    return this.schedules.get(scheduleKey(groupName, name));
  }

  putSchedule(schedule: ScheduleRecord): void {
    this.schedules.set(scheduleKey(schedule.groupName, schedule.name), schedule);
  }

  deleteSchedule(groupName: string, name: string): boolean {
    return this.schedules.delete(scheduleKey(groupName, name));
  }

  rememberToken(key: string, use: ClientTokenUse): void {
    this.clientTokens.set(key, use);
    if (this.clientTokens.size > CLIENT_TOKEN_LIMIT) {
      const oldest = this.clientTokens.keys().next();
      if (!oldest.done) this.clientTokens.delete(oldest.value);
    }
  }

  record(entry: HistoryEntry): void {
    this.history.push(entry);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
  }

  snapshot(): PersistedState {
    return {
      version: 1,
      groups: [...this.groups.values()],
      schedules: [...this.schedules.values()],
      invocations: [...this.invocations.values()],
      history: this.history,
    };
  }

  restore(saved: PersistedState, now: number): void {
    this.clear();
    for (const group of saved.groups) this.groups.set(group.name, group);
    for (const schedule of saved.schedules) this.putSchedule(schedule);
    for (const invocation of saved.invocations) this.invocations.set(invocation.id, invocation);
    this.history = [...saved.history];
    this.ensureDefaultGroup(now);
  }

  reset(now: number): void {
    this.clear();
    this.ensureDefaultGroup(now);
  }

  private clear(): void {
    this.groups.clear();
    this.schedules.clear();
    this.invocations.clear();
    this.clientTokens.clear();
    this.history = [];
  }

  private ensureDefaultGroup(now: number): void {
    if (this.groups.has(DEFAULT_GROUP)) return;
    this.groups.set(DEFAULT_GROUP, {
      name: DEFAULT_GROUP,
      arn: this.groupArn(DEFAULT_GROUP),
      creationDate: now,
      lastModificationDate: now,
      tags: [],
    });
  }
}

// Names cannot contain "/", so the pair is unambiguous.
const scheduleKey = (groupName: string, name: string) => `${groupName}/${name}`;
