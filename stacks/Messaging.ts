import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  ReceiptRuleSet,
  TlsPolicy,
} from "aws-cdk-lib/aws-ses";
import { S3 as S3Action } from "aws-cdk-lib/aws-ses-actions";
import { CfnConfigurationSet as CfnSmsConfigurationSet } from "aws-cdk-lib/aws-smsvoice";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, SqsSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { type Function as SstFunction, type StackContext, use } from "sst/constructs";
import { handlerFunction } from "./function";
import {
  inboundMailObjects,
  manageSchedules,
  objectRead,
  objectReadWrite,
  queueSend,
  sendEmail,
  sendSms,
  tableBatchUpdate,
  tableReadWrite,
} from "./grants";
import { workQueue } from "./queue";
import { Storage } from "./Storage";
import { placeholderUrl, settings } from "./settings";

/** Consumers return partial batch responses (functions/sqs.ts): only failed records are retried. */
const consume = (fn: SstFunction, queue: IQueue, maxConcurrency?: number) =>
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
      ...(maxConcurrency ? { maxConcurrency } : {}),
    }),
  );

export function Messaging({ stack, app }: StackContext) {
  const { table, attachments } = use(Storage);
  const { mailFrom, sesIdentity, alarmEmail, publicUrl } = settings(app.stage);
  // Named here rather than in the Scheduler stack (which needs the dispatch queue), so the dispatch
  // consumer can re-schedule deferred launches without a cycle between the two stacks.
  const scheduleGroupName = `${app.stage}-relais`;
  const schedulerRoleName = `${app.stage}-relais-scheduler`;
  const account = stack.account;
  const consumerTimeout = 60;
  const importTimeout = 300;
  // AWS advises a visibility timeout of six times the consumer's timeout.
  const visibilityTimeout = Duration.seconds(consumerTimeout * 6);

  // Topics carry phone numbers and reply texts: encrypted with a key the publishing services may use.
  const topicKey = new Key(stack, "TopicKey", {
    description: `relais ${app.stage}: SNS topics (SMS/email events, inbound SMS, alarms)`,
    enableKeyRotation: true,
    removalPolicy: app.stage === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  topicKey.addToResourcePolicy(
    new PolicyStatement({
      sid: "AwsServicesPublishToEncryptedTopics",
      principals: [
        new ServicePrincipal("ses.amazonaws.com"),
        new ServicePrincipal("sms-voice.amazonaws.com"),
      ],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      // A key policy always applies to "its" key; "*" is the only accepted resource here.
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": account } },
    }),
  );
  topicKey.addToResourcePolicy(
    new PolicyStatement({
      sid: "CloudWatchAlarmsToEncryptedTopic",
      principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
    }),
  );
  const topic = (id: string, displayName: string) =>
    new Topic(stack, id, { displayName, masterKey: topicKey, enforceSSL: true });

  const alarmTopic = topic("Alarms", "relais alarms");
  if (alarmEmail) alarmTopic.addSubscription(new EmailSubscription(alarmEmail));

  // Dead-letter queues are named `<stage>-relais-<queue>-dlq` (see workQueue).
  const dlqName = (queue: string) => `${app.stage}-relais-${queue}`;
  const dispatch = workQueue(stack, "Dispatch", {
    deadLetterName: dlqName("dispatch"),
    visibilityTimeout,
    maxAge: Duration.minutes(15),
    alarmTopic,
  });
  const imports = workQueue(stack, "Import", {
    deadLetterName: dlqName("import"),
    visibilityTimeout: Duration.seconds(importTimeout * 6),
    maxAge: Duration.minutes(30),
    alarmTopic,
  });

  const smsEventsTopic = topic("SmsEvents", "relais sms-events");
  const smsInboundTopic = topic("SmsInbound", "relais sms-inbound");
  const emailEventsTopic = topic("EmailEvents", "relais email-events");
  const emailInboundTopic = topic("EmailInbound", "relais email-inbound");

  const sesConfigurationSetName = `${app.stage}-relais`;
  const smsConfigurationSetName = `${app.stage}-relais`;

  // End User Messaging publishes on our behalf, only from this account. (CDK writes the equivalent
  // statement for SES when the event destination below is added.)
  const allowPublish = (target: Topic, sourceArn?: string) =>
    target.addToResourcePolicy(
      new PolicyStatement({
        sid: "SmsVoicePublish",
        principals: [new ServicePrincipal("sms-voice.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [target.topicArn],
        conditions: {
          StringEquals: { "aws:SourceAccount": account },
          ...(sourceArn ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
        },
      }),
    ).policyDependable;
  const smsEventsPolicy = allowPublish(
    smsEventsTopic,
    stack.formatArn({
      service: "sms-voice",
      resource: "configuration-set",
      resourceName: smsConfigurationSetName,
    }),
  );
  // Inbound SMS come from phone numbers registered per company, so no single source ARN exists.
  allowPublish(smsInboundTopic);

  // SES configuration set: every message sent through it reports its fate on email-events.
  const sesConfigurationSet = new ConfigurationSet(stack, "EmailConfigurationSet", {
    configurationSetName: sesConfigurationSetName,
    reputationMetrics: true,
  });
  sesConfigurationSet.addEventDestination("EmailEvents", {
    destination: EventDestination.snsTopic(emailEventsTopic),
    events: [
      EmailSendingEvent.SEND,
      EmailSendingEvent.DELIVERY,
      EmailSendingEvent.BOUNCE,
      EmailSendingEvent.COMPLAINT,
      EmailSendingEvent.REJECT,
      EmailSendingEvent.DELIVERY_DELAY,
    ],
  });

  /*
   * End User Messaging SMS configuration set; delivery events of every text go to sms-events.
   * Origination identities (long numbers, sender IDs) are not created here: they are requested and
   * registered per company (French A2P rules), outside CloudFormation. Each number's two-way channel is
   * pointed at the sms-inbound topic (its ARN is a stack output), which sms-voice.amazonaws.com may
   * publish to through the topic policy above.
   */
  const smsConfigurationSet = new CfnSmsConfigurationSet(stack, "SmsConfigurationSet", {
    configurationSetName: smsConfigurationSetName,
    eventDestinations: [
      {
        eventDestinationName: "sms-events",
        enabled: true,
        matchingEventTypes: ["TEXT_ALL"],
        snsDestination: { topicArn: smsEventsTopic.topicArn },
      },
    ],
  });
  if (smsEventsPolicy) smsConfigurationSet.node.addDependency(smsEventsPolicy);

  // Each event topic feeds its own queue (with DLQ), drained by one consumer.
  const subscribed = (id: string, source: Topic, name: string) => {
    const work = workQueue(stack, id, {
      deadLetterName: dlqName(name),
      visibilityTimeout,
      maxAge: Duration.minutes(15),
      alarmTopic,
    });
    source.addSubscription(new SqsSubscription(work.queue));
    return work;
  };
  const smsEvents = subscribed("SmsEventsQueue", smsEventsTopic, "sms-events");
  const smsInbound = subscribed("SmsInboundQueue", smsInboundTopic, "sms-inbound");
  const emailEvents = subscribed("EmailEventsQueue", emailEventsTopic, "email-events");
  const emailInbound = subscribed("EmailInboundQueue", emailInboundTopic, "email-inbound");

  /*
   * Email replies go to reply+<company>.<message>@<mail domain>: a receipt rule stores each one under
   * inbound-email/ in the attachments bucket and notifies email-inbound. CloudFormation cannot make a
   * rule set active: run `aws ses set-active-receipt-rule-set --rule-set-name <stage>-relais-inbound` once,
   * and point the domain's MX record at inbound-smtp.<region>.amazonaws.com (README, Deploying).
   */
  const mailDomain = mailFrom.split("@")[1]!;
  new ReceiptRuleSet(stack, "InboundMail", {
    receiptRuleSetName: `${app.stage}-relais-inbound`,
    rules: [
      {
        receiptRuleName: "replies",
        recipients: [mailDomain],
        scanEnabled: true,
        tlsPolicy: TlsPolicy.REQUIRE,
        actions: [
          new S3Action({ bucket: attachments, objectKeyPrefix: "inbound-email/", topic: emailInboundTopic }),
        ],
      },
    ],
  });

  const tableOnly = {
    environment: { TABLE_NAME: table.tableName },
    permissions: [tableReadWrite(table)],
    timeout: consumerTimeout,
  };
  consume(
    handlerFunction(stack, "SmsEventsConsumer", {
      ...tableOnly,
      handler: "functions/events/sms-events.handler",
      description: "SMS delivery events → message status",
    }),
    smsEvents.queue,
  );
  // Replies: STOP confirmations by SMS, replies forwarded and opt-out alerts by email.
  consume(
    handlerFunction(stack, "SmsInboundConsumer", {
      handler: "functions/events/sms-inbound.handler",
      description: "Inbound SMS → reply classification, opt-outs, forwarding",
      timeout: consumerTimeout,
      environment: {
        TABLE_NAME: table.tableName,
        SES_CONFIGURATION_SET: sesConfigurationSetName,
        MAIL_FROM: mailFrom,
        SMS_CONFIGURATION_SET: smsConfigurationSetName,
        PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
      },
      permissions: [
        tableReadWrite(table),
        sendEmail(stack, sesIdentity, sesConfigurationSetName),
        sendSms(stack, smsConfigurationSetName),
      ],
    }),
    smsInbound.queue,
  );
  consume(
    handlerFunction(stack, "EmailEventsConsumer", {
      ...tableOnly,
      handler: "functions/events/email-events.handler",
      description: "SES events → message status",
    }),
    emailEvents.queue,
  );

  consume(
    handlerFunction(stack, "EmailInboundConsumer", {
      handler: "functions/events/email-inbound.handler",
      description: "Inbound email (SES receipt → S3) → reply classification, opt-outs, forwarding",
      timeout: consumerTimeout,
      environment: {
        TABLE_NAME: table.tableName,
        ATTACHMENTS_BUCKET: attachments.bucketName,
        SES_CONFIGURATION_SET: sesConfigurationSetName,
        MAIL_FROM: mailFrom,
        SMS_CONFIGURATION_SET: smsConfigurationSetName,
        PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
      },
      permissions: [
        tableReadWrite(table),
        inboundMailObjects(attachments),
        sendEmail(stack, sesIdentity, sesConfigurationSetName),
      ],
    }),
    emailInbound.queue,
  );

  // Every DLQ drains into the table, where each company's Admins see their failed jobs (« Échecs
  // techniques ») and retry them; the alarms above count the arrivals.
  const deadLetterConsumer = handlerFunction(stack, "DeadLettersConsumer", {
    ...tableOnly,
    handler: "functions/events/dead-letters.handler",
    description: "Dead letters of every queue → the console's list",
  });
  for (const work of [dispatch, imports, smsEvents, smsInbound, emailEvents, emailInbound])
    consume(deadLetterConsumer, work.deadLetters);

  // Sends SMS and email, re-enqueues the rest of a campaign, attaches files from `attachments`.
  const schedulerRole = Role.fromRoleName(stack, "SchedulerRoleRef", schedulerRoleName);
  const dispatcher = handlerFunction(stack, "DispatchConsumer", {
    handler: "functions/dispatch/send.handler",
    description: "Campaign launches and send batches",
    timeout: consumerTimeout,
    environment: {
      TABLE_NAME: table.tableName,
      DISPATCH_QUEUE_URL: dispatch.queue.queueUrl,
      // Launches inside quiet hours move their own one-time schedule.
      DISPATCH_QUEUE_ARN: dispatch.queue.queueArn,
      SCHEDULE_GROUP: scheduleGroupName,
      SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
      ATTACHMENTS_BUCKET: attachments.bucketName,
      SES_CONFIGURATION_SET: sesConfigurationSetName,
      MAIL_FROM: mailFrom,
      SMS_CONFIGURATION_SET: smsConfigurationSetName,
    },
    permissions: [
      tableReadWrite(table),
      tableBatchUpdate(table),
      queueSend(dispatch.queue),
      objectRead(attachments),
      sendEmail(stack, sesIdentity, sesConfigurationSetName),
      sendSms(stack, smsConfigurationSetName),
      ...manageSchedules(stack, scheduleGroupName, schedulerRole),
    ],
  });
  // Bounded so a large campaign cannot exceed the account's SMS throughput.
  consume(dispatcher, dispatch.queue, 5);

  // Spreadsheet imports: reads the uploaded file from `attachments`, writes contacts (and list members),
  // writes the error report next to the upload, and re-enqueues itself to carry on past its timeout.
  const importer = handlerFunction(stack, "ImportConsumer", {
    handler: "functions/imports/run.handler",
    description: "Background spreadsheet imports",
    timeout: importTimeout,
    memorySize: 2048,
    environment: {
      TABLE_NAME: table.tableName,
      ATTACHMENTS_BUCKET: attachments.bucketName,
      IMPORT_QUEUE_URL: imports.queue.queueUrl,
    },
    permissions: [tableReadWrite(table), objectReadWrite(attachments), queueSend(imports.queue)],
  });
  consume(importer, imports.queue, 2);

  stack.addOutputs({
    SmsInboundTopicArn: smsInboundTopic.topicArn,
    SesConfigurationSet: sesConfigurationSetName,
    SmsConfigurationSet: smsConfigurationSetName,
    AlarmTopicArn: alarmTopic.topicArn,
  });

  return {
    dispatchQueue: dispatch.queue,
    scheduleGroupName,
    schedulerRoleName,
    importQueue: imports.queue,
    /** Where « Relancer » puts a dead provider event back (core/dead-letter). */
    eventQueues: {
      smsEvents: smsEvents.queue,
      smsInbound: smsInbound.queue,
      emailEvents: emailEvents.queue,
      emailInbound: emailInbound.queue,
    },
    smsEventsTopic,
    smsInboundTopic,
    emailEventsTopic,
    emailInboundTopic,
    alarmTopic,
    sesConfigurationSetName,
    smsConfigurationSetName,
    mailFrom,
    sesIdentity,
  };
}
