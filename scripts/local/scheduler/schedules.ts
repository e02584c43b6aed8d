// Schedule operations: CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule, ListSchedules.
import { conflict, fromZodIssues, invalid, notFound } from "./aws-error";
import { ResourceName, type ScheduleRecord, ScheduleState } from "./model";
import type { ListQuery, OperationContext } from "./operation-context";
import { paginate } from "./pagination";
import { ScheduleBody } from "./request-bodies";
import { DEFAULT_GROUP } from "./scheduler-state";

export function createSchedule(ctx: OperationContext, name: string, raw: unknown) {
  const body = parseBody(name, raw);
  const groupName = body.GroupName ?? DEFAULT_GROUP;
  requireGroup(ctx, groupName);
  const replay = replayOf(ctx, "CreateSchedule", body.ClientToken, { name, ...body });
  if (replay) return { ScheduleArn: replay };
  if (ctx.state.getSchedule(groupName, name)) throw conflict(`Schedule ${name} already exists.`);
  const now = ctx.clock.now();
  const schedule = toRecord(ctx, name, groupName, body, now, now);
  ctx.state.putSchedule(schedule);
  remember(ctx, "CreateSchedule", body.ClientToken, { name, ...body }, schedule.arn);
  ctx.changed();
  return { ScheduleArn: schedule.arn };
}

export function updateSchedule(ctx: OperationContext, name: string, raw: unknown) {
  const body = parseBody(name, raw);
  const groupName = body.GroupName ?? DEFAULT_GROUP;
  requireGroup(ctx, groupName);
  const replay = replayOf(ctx, "UpdateSchedule", body.ClientToken, { name, ...body });
  if (replay) return { ScheduleArn: replay };
  const existing = ctx.state.getSchedule(groupName, name);
  if (!existing) throw notFound(`Schedule ${name} does not exist.`);
  // A full replace, as on AWS: fields left out of the update are cleared, and the schedule starts
  // over from now (a one-time schedule that already fired can be re-armed by updating it).
  const schedule = toRecord(ctx, name, groupName, body, existing.creationDate, ctx.clock.now());
  ctx.state.putSchedule(schedule);
  remember(ctx, "UpdateSchedule", body.ClientToken, { name, ...body }, schedule.arn);
  ctx.changed();
  return { ScheduleArn: schedule.arn };
}

export function getSchedule(ctx: OperationContext, name: string, groupName = DEFAULT_GROUP) {
  checkName("name", name);
  checkName("groupName", groupName);
  const schedule = ctx.state.getSchedule(groupName, name);
  if (!schedule) throw notFound(`Schedule ${name} does not exist.`);
  return toOutput(schedule);
}

export function deleteSchedule(
  ctx: OperationContext,
  name: string,
  groupName = DEFAULT_GROUP,
  clientToken?: string,
) {
  checkName("name", name);
  checkName("groupName", groupName);
  const tokenKey = clientToken ? `DeleteSchedule:${clientToken}` : undefined;
  const arn = ctx.state.scheduleArn(groupName, name);
  if (!ctx.state.deleteSchedule(groupName, name)) {
    // A retried delete (same client token) succeeds again instead of reporting a missing schedule.
    if (tokenKey && ctx.state.clientTokens.get(tokenKey)?.arn === arn) return {};
    throw notFound(`Schedule ${name} does not exist.`);
  }
  if (tokenKey) ctx.state.rememberToken(tokenKey, { fingerprint: arn, arn });
  ctx.changed();
  return {};
}

export interface ListSchedulesQuery extends ListQuery {
  ScheduleGroup?: string;
  NamePrefix?: string;
  State?: string;
}

export function listSchedules(ctx: OperationContext, query: ListSchedulesQuery) {
  if (query.ScheduleGroup !== undefined) {
    checkName("groupName", query.ScheduleGroup);
    requireGroup(ctx, query.ScheduleGroup);
  }
  if (query.State !== undefined && !ScheduleState.safeParse(query.State).success) {
    throw invalid(
      `Value '${query.State}' at 'state' failed to satisfy constraint: Member must be ENABLED or DISABLED`,
    );
  }
  const matching = [...ctx.state.schedules.values()].filter(
    (schedule) =>
      (query.ScheduleGroup === undefined || schedule.groupName === query.ScheduleGroup) &&
      (query.NamePrefix === undefined || schedule.name.startsWith(query.NamePrefix)) &&
      (query.State === undefined || schedule.state === query.State),
  );
  const { page, nextToken } = paginate(
    matching,
    (schedule) => `${schedule.groupName}/${schedule.name}`,
    query,
  );
  return {
    Schedules: page.map((schedule) => ({
      Arn: schedule.arn,
      Name: schedule.name,
      GroupName: schedule.groupName,
      State: schedule.state,
      CreationDate: seconds(schedule.creationDate),
      LastModificationDate: seconds(schedule.lastModificationDate),
      Target: { Arn: schedule.target.Arn },
    })),
    NextToken: nextToken,
  };
}

function parseBody(name: string, raw: unknown): ScheduleBody {
  checkName("name", name);
  const parsed = ScheduleBody.safeParse(raw);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues);
  return parsed.data;
}

function checkName(field: string, value: string): void {
  const parsed = ResourceName.safeParse(value);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues.map((issue) => ({ ...issue, path: [field] })));
}

function requireGroup(ctx: OperationContext, groupName: string): void {
  if (!ctx.state.groups.has(groupName)) throw notFound(`Schedule group ${groupName} does not exist.`);
}

/** The ARN of an earlier identical request with this client token, if there was one. */
function replayOf(ctx: OperationContext, operation: string, token: string | undefined, request: object) {
  if (!token) return undefined;
  const previous = ctx.state.clientTokens.get(`${operation}:${token}`);
  if (!previous) return undefined;
  if (previous.fingerprint !== fingerprint(request)) {
    throw conflict(`ClientToken ${token} was already used with different parameters.`);
  }
  return previous.arn;
}

function remember(
  ctx: OperationContext,
  operation: string,
  token: string | undefined,
  request: object,
  arn: string,
) {
  if (token) ctx.state.rememberToken(`${operation}:${token}`, { fingerprint: fingerprint(request), arn });
}

const fingerprint = (request: object) => JSON.stringify(request);

function toRecord(
  ctx: OperationContext,
  name: string,
  groupName: string,
  body: ScheduleBody,
  creationDate: number,
  now: number,
): ScheduleRecord {
  return {
    name,
    groupName,
    arn: ctx.state.scheduleArn(groupName, name),
    expression: body.ScheduleExpression,
    timezone: body.ScheduleExpressionTimezone,
    startDate: body.StartDate,
    endDate: body.EndDate,
    description: body.Description,
    state: body.State ?? "ENABLED",
    kmsKeyArn: body.KmsKeyArn,
    target: body.Target,
    flexibleTimeWindow: body.FlexibleTimeWindow,
    actionAfterCompletion: body.ActionAfterCompletion,
    creationDate,
    lastModificationDate: now,
    baseline: now,
    firedThrough: null,
  };
}

function toOutput(schedule: ScheduleRecord) {
  return {
    Arn: schedule.arn,
    GroupName: schedule.groupName,
    Name: schedule.name,
    ScheduleExpression: schedule.expression,
    StartDate: schedule.startDate === undefined ? undefined : seconds(schedule.startDate),
    EndDate: schedule.endDate === undefined ? undefined : seconds(schedule.endDate),
    Description: schedule.description,
    ScheduleExpressionTimezone: schedule.timezone,
    State: schedule.state,
    CreationDate: seconds(schedule.creationDate),
    LastModificationDate: seconds(schedule.lastModificationDate),
    KmsKeyArn: schedule.kmsKeyArn,
    Target: schedule.target,
    FlexibleTimeWindow: schedule.flexibleTimeWindow,
    ActionAfterCompletion: schedule.actionAfterCompletion ?? "NONE",
  };
}

export const seconds = (ms: number) => ms / 1000;
