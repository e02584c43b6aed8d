// Schedule group operations, and the tag operations (on AWS only groups carry tags).
import { conflict, fromZodIssues, invalid, notFound } from "./aws-error";
import { type GroupRecord, ResourceName, type Tag } from "./model";
import type { ListQuery, OperationContext } from "./operation-context";
import { paginate } from "./pagination";
import { GroupBody, TagBody } from "./request-bodies";
import { DEFAULT_GROUP } from "./scheduler-state";
import { seconds } from "./schedules";

export function createScheduleGroup(ctx: OperationContext, name: string, raw: unknown) {
  checkName(name);
  const parsed = GroupBody.safeParse(raw);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues);
  const { ClientToken, Tags = [] } = parsed.data;
  const tokenKey = ClientToken ? `CreateScheduleGroup:${ClientToken}` : undefined;
  const existing = ctx.state.groups.get(name);
  if (existing) {
    if (tokenKey && ctx.state.clientTokens.get(tokenKey)?.arn === existing.arn) {
      return { ScheduleGroupArn: existing.arn };
    }
    throw conflict(`Schedule group ${name} already exists.`);
  }
  const now = ctx.clock.now();
  const group: GroupRecord = {
    name,
    arn: ctx.state.groupArn(name),
    creationDate: now,
    lastModificationDate: now,
    tags: mergeTags([], Tags),
  };
  ctx.state.groups.set(name, group);
  if (tokenKey) ctx.state.rememberToken(tokenKey, { fingerprint: name, arn: group.arn });
  ctx.changed();
  return { ScheduleGroupArn: group.arn };
}

export function getScheduleGroup(ctx: OperationContext, name: string) {
  checkName(name);
  return toSummary(requireGroup(ctx, name));
}

/** Deletes the group's schedules with it. AWS does this asynchronously (State DELETING); here it is immediate. */
export function deleteScheduleGroup(ctx: OperationContext, name: string, clientToken?: string) {
  checkName(name);
  if (name === DEFAULT_GROUP) throw invalid("The default schedule group cannot be deleted.");
  const tokenKey = clientToken ? `DeleteScheduleGroup:${clientToken}` : undefined;
  const arn = ctx.state.groupArn(name);
  if (!ctx.state.groups.has(name)) {
    if (tokenKey && ctx.state.clientTokens.get(tokenKey)?.arn === arn) return {};
    throw notFound(`Schedule group ${name} does not exist.`);
  }
  for (const schedule of [...ctx.state.schedules.values()]) {
    if (schedule.groupName === name) ctx.state.deleteSchedule(name, schedule.name);
  }
  ctx.state.groups.delete(name);
  if (tokenKey) ctx.state.rememberToken(tokenKey, { fingerprint: name, arn });
  ctx.changed();
  return {};
}

export function listScheduleGroups(ctx: OperationContext, query: ListQuery & { NamePrefix?: string }) {
  const matching = [...ctx.state.groups.values()].filter(
    (group) => query.NamePrefix === undefined || group.name.startsWith(query.NamePrefix),
  );
  const { page, nextToken } = paginate(matching, (group) => group.name, query);
  return { ScheduleGroups: page.map(toSummary), NextToken: nextToken };
}

export function listTagsForResource(ctx: OperationContext, arn: string) {
  return { Tags: groupByArn(ctx, arn).tags };
}

export function tagResource(ctx: OperationContext, arn: string, raw: unknown) {
  const group = groupByArn(ctx, arn);
  const parsed = TagBody.safeParse(raw);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues);
  group.tags = mergeTags(group.tags, parsed.data.Tags);
  ctx.changed();
  return {};
}

export function untagResource(ctx: OperationContext, arn: string, keys: string[]) {
  const group = groupByArn(ctx, arn);
  group.tags = group.tags.filter((tag) => !keys.includes(tag.Key));
  ctx.changed();
  return {};
}

function checkName(name: string): void {
  const parsed = ResourceName.safeParse(name);
  if (!parsed.success)
    throw fromZodIssues(parsed.error.issues.map((issue) => ({ ...issue, path: ["name"] })));
}

function requireGroup(ctx: OperationContext, name: string): GroupRecord {
  const group = ctx.state.groups.get(name);
  if (!group) throw notFound(`Schedule group ${name} does not exist.`);
  return group;
}

function groupByArn(ctx: OperationContext, arn: string): GroupRecord {
  const group = [...ctx.state.groups.values()].find((candidate) => candidate.arn === arn);
  if (!group) throw notFound(`Resource ${arn} does not exist.`);
  return group;
}

function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.Key, tag]));
  for (const tag of added) byKey.set(tag.Key, tag);
  return [...byKey.values()];
}

function toSummary(group: GroupRecord) {
  return {
    Arn: group.arn,
    Name: group.name,
    State: "ACTIVE",
    CreationDate: seconds(group.creationDate),
    LastModificationDate: seconds(group.lastModificationDate),
  };
}
