import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, Role } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { SubscriptionFilter, Topic } from "aws-cdk-lib/aws-sns";
import { SqsSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { type IQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import { type Function as SstFunction, type StackContext, use } from "sst/constructs";
import { outboxEntityName, queueName } from "../core/event";
import { type SubscriberName, subscribers } from "../core/subscribers";
import { type Environment, handlerFunction } from "./function";
import { manageSchedules, queueSend, sendEmail, tableReadWrite } from "./grants";
import { Messaging } from "./Messaging";
import { workQueue } from "./queue";
import { Storage } from "./Storage";
import { placeholderUrl, settings } from "./settings";

const consume = (fn: SstFunction, queue: IQueue) =>
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
    }),
  );

/**
 * Domain events (core/event.ts): outbox items written with the changes they describe leave through the
 * table's stream; the publisher puts them on the `events` topic with their name as a message attribute;
 * each subscriber of core/subscribers.ts has its queue (raw delivery, filtered on the names it wants),
 * its DLQ and its consumer.
 */
export function Events({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const {
    alarmTopic,
    sesConfigurationSetName,
    mailFrom,
    sesIdentity,
    dispatchQueue,
    webhookQueue,
    scheduleGroupName,
    schedulerRoleName,
  } = use(Messaging);
  const { publicUrl } = settings(app.stage);
  const consumerTimeout = 60;
  const dlqName = (queue: string) => `${app.stage}-relais-${queue}`;

  // Events carry reply texts: encrypted like the other topics, with a key of their own.
  const topicKey = new Key(stack, "EventsTopicKey", {
    description: `relais ${app.stage}: SNS events topic`,
    enableKeyRotation: true,
    removalPolicy: app.stage === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const topic = new Topic(stack, "EventsTopic", {
    displayName: "relais events",
    masterKey: topicKey,
    enforceSSL: true,
  });

  // A batch the publisher failed on every retry: where it is in the stream (not the records), for operators.
  const publishFailures = new Queue(stack, "EventsPublishDlq", {
    queueName: `${dlqName("events-publish")}-dlq`,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  NagSuppressions.addResourceSuppressions(publishFailures, [
    {
      id: "AwsSolutions-SQS3",
      reason: "It is itself a dead-letter destination (the stream mapping's on-failure).",
    },
  ]);
  new Alarm(stack, "EventsPublishDlqAlarm", {
    alarmDescription: "A batch of domain events could not be published",
    metric: publishFailures.metricNumberOfMessagesReceived({ period: Duration.minutes(1), statistic: "Sum" }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(new SnsAction(alarmTopic));

  const publisher = handlerFunction(stack, "EventsPublisher", {
    handler: "functions/events/publish.handler",
    description: "Table stream (outbox items) → events topic",
    environment: { EVENTS_TOPIC_ARN: topic.topicArn },
    permissions: [
      new PolicyStatement({ sid: "PublishEvents", actions: ["sns:Publish"], resources: [topic.topicArn] }),
      new PolicyStatement({
        sid: "EncryptEvents",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [topicKey.keyArn],
      }),
      new PolicyStatement({
        sid: "ReadTableStream",
        actions: [
          "dynamodb:DescribeStream",
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:ListStreams",
        ],
        resources: [table.tableStreamArn!],
      }),
    ],
  });
  // Written out rather than DynamoEventSource, whose grant adds dynamodb:ListStreams on "*".
  publisher.addEventSourceMapping("TableStream", {
    eventSourceArn: table.tableStreamArn!,
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: 100,
    maxBatchingWindow: Duration.seconds(1),
    bisectBatchOnError: true,
    retryAttempts: 10,
    onFailure: new SqsDlq(publishFailures),
    filters: [
      FilterCriteria.filter({
        eventName: FilterRule.isEqual("INSERT"),
        dynamodb: { NewImage: { __edb_e__: { S: FilterRule.isEqual(outboxEntityName) } } },
      }),
    ],
  });

  // The subscribers' DLQs drain into « Échecs techniques » through the same handler as Messaging's.
  const deadLetterConsumer = handlerFunction(stack, "EventDeadLettersConsumer", {
    handler: "functions/events/dead-letters.handler",
    description: "Dead letters of the event queues → the console's list",
    environment: { TABLE_NAME: table.tableName },
    permissions: [tableReadWrite(table)],
    timeout: consumerTimeout,
  });
  consume(deadLetterConsumer, publishFailures);

  // What each subscriber may do; a new subscriber does not compile until it is given its grants here.
  const mail: Environment = {
    TABLE_NAME: table.tableName,
    SES_CONFIGURATION_SET: sesConfigurationSetName,
    MAIL_FROM: mailFrom,
    PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
  };
  const mailing = [tableReadWrite(table), sendEmail(stack, sesIdentity, sesConfigurationSetName)];
  const schedulerRole = Role.fromRoleName(stack, "SchedulerRoleRef", schedulerRoleName);
  const grants: Record<SubscriberName, { environment: Environment; permissions: PolicyStatement[] }> = {
    "reply-forward": { environment: mail, permissions: mailing },
    "opt-out-alert": { environment: mail, permissions: mailing },
    // Emails the Admins when SMS spending crosses 80 % or 100 % of the monthly cap.
    "cap-alert": { environment: mail, permissions: mailing },
    // Cancels a customer's pending reminders: table items only.
    "reminder-stop": { environment: { TABLE_NAME: table.tableName }, permissions: [tableReadWrite(table)] },
    // Gives information campaigns' documents (table items; the objects are the campaign's) and schedules the
    // first signing reminder of those to sign (a job on the dispatch queue).
    "info-campaigns": {
      environment: {
        TABLE_NAME: table.tableName,
        DISPATCH_QUEUE_URL: dispatchQueue.queueUrl,
        DISPATCH_QUEUE_ARN: dispatchQueue.queueArn,
        SCHEDULE_GROUP: scheduleGroupName,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
      },
      permissions: [tableReadWrite(table), ...manageSchedules(stack, scheduleGroupName, schedulerRole)],
    },
    // Writes one delivery per endpoint and queues its first attempt on the webhooks queue (whose consumer POSTs).
    webhooks: {
      environment: {
        TABLE_NAME: table.tableName,
        WEBHOOK_QUEUE_URL: webhookQueue.queueUrl,
        WEBHOOK_QUEUE_ARN: webhookQueue.queueArn,
      },
      permissions: [tableReadWrite(table), queueSend(webhookQueue)],
    },
    // Records an employee's SMS reply to a Oui/Non survey as their answer: table items only.
    "survey-replies": { environment: { TABLE_NAME: table.tableName }, permissions: [tableReadWrite(table)] },
    // Writes a dossier's emails and hands their campaign to the dispatch queue (the launch sends them).
    "recruitment-emails": {
      environment: {
        TABLE_NAME: table.tableName,
        DISPATCH_QUEUE_URL: dispatchQueue.queueUrl,
        DISPATCH_QUEUE_ARN: dispatchQueue.queueArn,
        PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
      },
      permissions: [tableReadWrite(table), queueSend(dispatchQueue)],
    },
  };

  const subscriberQueues = {} as Record<SubscriberName, IQueue>;
  for (const subscriber of subscribers) {
    const id = subscriber.name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
    const name = queueName(subscriber);
    const work = workQueue(stack, `${id}Queue`, {
      queueName: dlqName(name),
      maxReceiveCount: 5,
      visibilityTimeout: Duration.seconds(consumerTimeout * 6),
      maxAge: Duration.minutes(15),
      alarmTopic,
    });
    topic.addSubscription(
      new SqsSubscription(work.queue, {
        rawMessageDelivery: true,
        filterPolicy: {
          name: SubscriptionFilter.stringFilter({ allowlist: subscriber.events.map((event) => event.name) }),
        },
      }),
    );
    const consumer = handlerFunction(stack, `${id}Subscriber`, {
      handler: "functions/subscribers/consume.handler",
      description: `Subscriber ${subscriber.name}: ${subscriber.events.map((event) => event.name).join(", ")}`,
      timeout: consumerTimeout,
      ...grants[subscriber.name],
    });
    consume(consumer, work.queue);
    consume(deadLetterConsumer, work.deadLetters);
    subscriberQueues[subscriber.name] = work.queue;
  }

  stack.addOutputs({ EventsTopicArn: topic.topicArn });
  return { eventsTopic: topic, subscriberQueues };
}
