import { Stack } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { type IRole, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { NagPackSuppression } from "cdk-nag";
import type { Construct } from "constructs";
import { TableDefinition } from "../core/table";

/**
 * IAM statements written out action by action, so a reviewer sees exactly what each function may do
 * (CDK's grant helpers and SST's `permissions: ["sqs"]` grant more than our code calls).
 */

/** Item reads and writes through ElectroDB and Powertools idempotency; no Scan, no table admin. */
export const tableReadWrite = (table: ITable) =>
  new PolicyStatement({
    sid: "TableItems",
    actions: [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
    ],
    // Each index by name rather than `index/*`.
    resources: [
      table.tableArn,
      ...TableDefinition.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`),
    ],
  });

/** A closed company's erasure finds its items by a Scan filtered on companyId (its consumer only). */
export const tableScan = (table: ITable) =>
  new PolicyStatement({ sid: "TableScan", actions: ["dynamodb:Scan"], resources: [table.tableArn] });

/**
 * A closed company's objects: listed under its folders (core/operator/erasure.ts) and deleted. DeleteObjects
 * is authorised per key by s3:DeleteObject.
 */
export const companyObjectsErase = (...buckets: IBucket[]) => [
  new PolicyStatement({
    sid: "ListCompanyObjects",
    actions: ["s3:ListBucket"],
    resources: buckets.map((bucket) => bucket.bucketArn),
  }),
  new PolicyStatement({
    sid: "DeleteCompanyObjects",
    actions: ["s3:DeleteObject"],
    resources: buckets.map((bucket) => bucket.arnForObjects("*")),
  }),
];

/**
 * BatchExecuteStatement of PartiQL UPDATEs (core/db.ts `updateEach`, the send path's batched claims and
 * records): authorised per statement by dynamodb:PartiQLUpdate, on the table only.
 */
export const tableBatchUpdate = (table: ITable) =>
  new PolicyStatement({
    sid: "TableBatchUpdates",
    actions: ["dynamodb:PartiQLUpdate"],
    resources: [table.tableArn],
  });

/** SendMessageBatch is authorised by sqs:SendMessage. */
export const queueSend = (...queues: IQueue[]) =>
  new PolicyStatement({
    sid: "QueueSend",
    actions: ["sqs:SendMessage"],
    resources: queues.map((queue) => queue.queueArn),
  });

/**
 * Sending to any queue of this stage, by name (`<stage>-relais-*`, core/queues.ts): « Relancer » puts a
 * dead letter back on whichever queue it died on, found with GetQueueUrl, without a list of queues.
 */
export function stageQueuesSend(scope: Construct, stage: string) {
  return new PolicyStatement({
    sid: "StageQueuesSend",
    actions: ["sqs:SendMessage", "sqs:GetQueueUrl"],
    resources: [Stack.of(scope).formatArn({ service: "sqs", resource: `${stage}-relais-*` })],
  });
}

export const objectRead = (bucket: IBucket) =>
  new PolicyStatement({
    actions: ["s3:GetObject"],
    resources: [bucket.arnForObjects("*")],
  });

/** The raw emails SES stores for us: read, then deleted once the reply is recorded. */
export const inboundMailObjects = (bucket: IBucket) =>
  new PolicyStatement({
    sid: "InboundMail",
    actions: ["s3:GetObject", "s3:DeleteObject"],
    resources: [bucket.arnForObjects("inbound-email/*")],
  });

/** Presigned POST/PUT uploads and presigned GET downloads run with these rights too. */
export const objectReadWrite = (...buckets: IBucket[]) =>
  new PolicyStatement({
    sid: "BucketObjects",
    actions: ["s3:GetObject", "s3:PutObject"],
    resources: buckets.map((bucket) => bucket.arnForObjects("*")),
  });

/** Vault documents checked after upload (first bytes read, impostors deleted) and company-sealed copies written. */
export const vaultDocuments = (bucket: IBucket) =>
  new PolicyStatement({
    sid: "VaultDocuments",
    // PutObject: the company-sealed copy written at publication (core/vault/sealing.ts).
    actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    resources: [bucket.arnForObjects("documents/*")],
  });

/** SES v2 authorises SendEmail against both the sending identity and the configuration set. */
export function sendEmail(scope: Construct, identity: string, configurationSet: string) {
  const stack = Stack.of(scope);
  return new PolicyStatement({
    sid: "SendEmail",
    actions: ["ses:SendEmail"],
    resources: [
      stack.formatArn({ service: "ses", resource: "identity", resourceName: identity }),
      stack.formatArn({ service: "ses", resource: "configuration-set", resourceName: configurationSet }),
    ],
  });
}

/**
 * Origination identities (numbers, sender IDs, pools) are registered per company outside the stack, so
 * they are matched by type; the configuration set is ours and named exactly.
 */
export function sendSms(scope: Construct, configurationSet: string) {
  const stack = Stack.of(scope);
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: "sms-voice", resource, resourceName });
  return new PolicyStatement({
    sid: "SendSms",
    actions: ["sms-voice:SendTextMessage"],
    resources: [
      arn("configuration-set", configurationSet),
      arn("phone-number", "*"),
      arn("sender-id", "*"),
      arn("pool", "*"),
      arn("opt-out-list", "*"),
    ],
  });
}

/**
 * Checks an Admin's or operator's chosen number or sender ID exists before the company's campaigns use
 * it, and reads their registrations' status for the operator console.
 */
export function describeSmsIdentities(scope: Construct) {
  const stack = Stack.of(scope);
  const arn = (resource: string) => stack.formatArn({ service: "sms-voice", resource, resourceName: "*" });
  return new PolicyStatement({
    sid: "DescribeSmsIdentities",
    actions: [
      "sms-voice:DescribePhoneNumbers",
      "sms-voice:DescribeSenderIds",
      "sms-voice:DescribeRegistrations",
    ],
    resources: [arn("phone-number"), arn("sender-id"), arn("registration")],
  });
}

/** One-time schedules in our group only, and handing them our scheduler role only. */
export function manageSchedules(scope: Construct, group: string, role: IRole) {
  const stack = Stack.of(scope);
  return [
    new PolicyStatement({
      sid: "Schedules",
      actions: [
        "scheduler:CreateSchedule",
        "scheduler:UpdateSchedule",
        "scheduler:DeleteSchedule",
        "scheduler:GetSchedule",
      ],
      resources: [
        stack.formatArn({ service: "scheduler", resource: "schedule", resourceName: `${group}/*` }),
      ],
    }),
    new PolicyStatement({
      sid: "PassSchedulerRole",
      actions: ["iam:PassRole"],
      resources: [role.roleArn],
      conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
    }),
  ];
}

export type Probed = {
  table: ITable;
  queues: IQueue[];
  topics: ITopic[];
  buckets: IBucket[];
  smsConfigurationSet: string;
  scheduleGroup: string;
};

/** Read-only calls made by the health checks (core/health, GET /api/health and /details), each on the one resource it probes. */
export function healthProbes(scope: Construct, probed: Probed) {
  const stack = Stack.of(scope);
  return [
    new PolicyStatement({
      sid: "ProbeTable",
      actions: ["dynamodb:DescribeTable"],
      resources: [probed.table.tableArn],
    }),
    new PolicyStatement({
      sid: "ProbeQueues",
      actions: ["sqs:GetQueueAttributes"],
      resources: probed.queues.map((queue) => queue.queueArn),
    }),
    new PolicyStatement({
      sid: "ProbeTopics",
      actions: ["sns:GetTopicAttributes"],
      resources: probed.topics.map((topic) => topic.topicArn),
    }),
    // HeadBucket is authorised by s3:ListBucket on the bucket itself.
    new PolicyStatement({
      sid: "ProbeBuckets",
      actions: ["s3:ListBucket"],
      resources: probed.buckets.map((bucket) => bucket.bucketArn),
    }),
    // ses:GetAccount has no resource type: AWS only accepts "*" for it.
    new PolicyStatement({ sid: "ProbeSes", actions: ["ses:GetAccount"], resources: ["*"] }),
    new PolicyStatement({
      sid: "ProbeSms",
      actions: ["sms-voice:DescribeConfigurationSets"],
      resources: [
        stack.formatArn({
          service: "sms-voice",
          resource: "configuration-set",
          resourceName: probed.smsConfigurationSet,
        }),
      ],
    }),
    new PolicyStatement({
      sid: "ProbeScheduler",
      actions: ["scheduler:GetScheduleGroup"],
      resources: [
        stack.formatArn({
          service: "scheduler",
          resource: "schedule-group",
          resourceName: probed.scheduleGroup,
        }),
      ],
    }),
  ];
}

/**
 * Why the wildcards above are needed, as cdk-nag suppressions scoped to the exact finding (IAM5 reports
 * `Resource::<resource>`); handlerFunction attaches them to each function's role.
 */
export const wildcardJustifications: NagPackSuppression[] = [
  {
    id: "AwsSolutions-IAM5",
    reason:
      "Object keys are generated per company and upload at run time; access stays within this one bucket.",
    appliesTo: [{ regex: "/^Resource::<(Attachments|Vault)[0-9A-F]{8}\\.Arn>\\/\\*$/" }],
  },
  {
    id: "AwsSolutions-IAM5",
    reason:
      "Vault documents are named per company and document at upload; the publisher reads and deletes only under documents/.",
    appliesTo: [{ regex: "/^Resource::<Vault[0-9A-F]{8}\\.Arn>\\/documents\\/\\*$/" }],
  },
  {
    id: "AwsSolutions-IAM5",
    reason: "SES names each stored email by its own message id; read and delete stay under inbound-email/.",
    appliesTo: [{ regex: "/^Resource::<Attachments[0-9A-F]{8}\\.Arn>\\/inbound-email\\/\\*$/" }],
  },
  {
    id: "AwsSolutions-IAM5",
    reason:
      "Origination identities (numbers, sender IDs, pools, their opt-out lists) are registered per company " +
      "outside the stack; only SendTextMessage in this account and region, through our configuration set, " +
      "and reading their registrations' status for the operator console.",
    appliesTo: [
      {
        regex:
          "/^Resource::arn:<AWS::Partition>:sms-voice:[^:]+:[^:]+:(phone-number|sender-id|pool|opt-out-list|registration)\\/\\*$/",
      },
    ],
  },
  {
    id: "AwsSolutions-IAM5",
    reason:
      "« Relancer » sends a dead letter back to the queue it died on, any of this stage's queues, all " +
      "named <stage>-relais-<queue>; the DLQs share the prefix.",
    appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:sqs:[^:]+:[^:]+:[a-z0-9-]+-relais-\\*$/" }],
  },
  {
    id: "AwsSolutions-IAM5",
    reason: "One schedule per scheduled campaign, named at run time; limited to this stage's schedule group.",
    appliesTo: [
      {
        regex: "/^Resource::arn:<AWS::Partition>:scheduler:[^:]+:[^:]+:schedule\\/[a-z0-9-]+-relais\\/\\*$/",
      },
    ],
  },
];

/** Only for the function that runs the health probes. */
export const sesGetAccountJustification: NagPackSuppression = {
  id: "AwsSolutions-IAM5",
  reason: 'ses:GetAccount (health probe) has no resource type: IAM only accepts "*" for it.',
  appliesTo: ["Resource::*"],
};
