import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { CfnSchedule, CfnScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import { type StackContext, use } from "sst/constructs";
import { reminderTickCron, reminderTickJob, reminderTickName } from "../core/reminder/schedule";
import { sweepEvery, sweepJob, sweepScheduleName } from "../core/sweep/schedule";
import { retentionCron, retentionJob, retentionScheduleName } from "../core/vault/retention-schedule";
import { Messaging } from "./Messaging";

/**
 * Jobs for later (a campaign's launch, recurring work) become EventBridge schedules
 * (core/platform/scheduler.ts) that drop the job on its kind's queue. The API and the dispatch consumer
 * create them in this group, passing this role.
 */
export function Scheduler({ stack }: StackContext) {
  const { dispatchQueue, importQueue, jobQueues, scheduleGroupName, schedulerRoleName } = use(Messaging);

  const groupName = scheduleGroupName;
  const group = new CfnScheduleGroup(stack, "ScheduleGroup", { name: groupName });

  const role = new Role(stack, "SchedulerRole", {
    roleName: schedulerRoleName,
    description: "Assumed by EventBridge Scheduler to deliver scheduled jobs to their queues",
    // Only schedules of this account, and only those in our group, may assume it (confused deputy).
    assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
      conditions: {
        StringEquals: { "aws:SourceAccount": stack.account },
        ArnLike: {
          "aws:SourceArn": stack.formatArn({
            service: "scheduler",
            resource: "schedule",
            resourceName: `${groupName}/*`,
          }),
        },
      },
    }),
    inlinePolicies: {
      DeliverToJobQueues: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: ["sqs:SendMessage"],
            resources: jobQueues.map((queue) => queue.queueArn),
          }),
        ],
      }),
    },
  });

  // The sweeper (core/sweep): every five minutes, stalled campaigns and imports are driven again.
  const sweep = new CfnSchedule(stack, "SweepSchedule", {
    name: sweepScheduleName,
    groupName,
    scheduleExpression: sweepEvery,
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: dispatchQueue.queueArn,
      roleArn: role.roleArn,
      input: JSON.stringify(sweepJob),
      // A missed sweep is replaced by the next one within five minutes.
      retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 3 },
    },
  });
  sweep.addDependency(group);

  // Vault retention (core/vault/retention.ts): once a day, documents past their type's retention go.
  const retention = new CfnSchedule(stack, "VaultRetentionSchedule", {
    name: retentionScheduleName,
    groupName,
    scheduleExpression: retentionCron,
    scheduleExpressionTimezone: "Europe/Paris",
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: importQueue.queueArn,
      roleArn: role.roleArn,
      input: JSON.stringify(retentionJob),
      // The next day's run looks a week back: a missed one loses nothing.
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
    },
  });
  retention.addDependency(group);

  // After-sales reminders (core/reminder/fire.ts): one hourly tick reads the due ones from an index and
  // fans them out, instead of one schedule per reminder (README, « Relance clients »).
  const reminders = new CfnSchedule(stack, "ReminderTickSchedule", {
    name: reminderTickName,
    groupName,
    scheduleExpression: reminderTickCron,
    scheduleExpressionTimezone: "Europe/Paris",
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: dispatchQueue.queueArn,
      roleArn: role.roleArn,
      input: JSON.stringify(reminderTickJob),
      // The next hour's tick takes what a missed one left: nothing is lost, it only goes an hour later.
      retryPolicy: { maximumEventAgeInSeconds: 1800, maximumRetryAttempts: 3 },
    },
  });
  reminders.addDependency(group);

  stack.addOutputs({ ScheduleGroup: groupName, SchedulerRoleArn: role.roleArn });

  return { scheduleGroup: group, scheduleGroupName: groupName, schedulerRole: role };
}
