import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { CfnScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import { type StackContext, use } from "sst/constructs";
import { Messaging } from "./Messaging";

/**
 * Campaigns scheduled for later become one-time EventBridge schedules (core/platform/scheduler.ts)
 * that drop their job on the dispatch queue. The API creates them in this group, passing this role.
 */
export function Scheduler({ stack }: StackContext) {
  const { dispatchQueue, scheduleGroupName, schedulerRoleName } = use(Messaging);

  const groupName = scheduleGroupName;
  const group = new CfnScheduleGroup(stack, "ScheduleGroup", { name: groupName });

  const role = new Role(stack, "SchedulerRole", {
    roleName: schedulerRoleName,
    description: "Assumed by EventBridge Scheduler to deliver scheduled jobs to the dispatch queue",
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
      DeliverToDispatchQueue: new PolicyDocument({
        statements: [
          new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [dispatchQueue.queueArn] }),
        ],
      }),
    },
  });

  stack.addOutputs({ ScheduleGroup: groupName, SchedulerRoleArn: role.roleArn });

  return { scheduleGroup: group, scheduleGroupName: groupName, schedulerRole: role };
}
