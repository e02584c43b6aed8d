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
import {
  deadLetters,
  type QueueName,
  queueName,
  queueNames,
  queues,
  visibilityTimeout,
} from "../core/queues";
import { type HandlerProps, handlerFunction } from "./function";
import {
  companyObjectsErase,
  inboundMailObjects,
  manageSchedules,
  objectRead,
  objectReadWrite,
  queueSend,
  sendEmail,
  sendSms,
  tableBatchUpdate,
  tableReadWrite,
  tableScan,
  vaultDocuments,
} from "./grants";
import { workQueue } from "./queue";
import { Storage } from "./Storage";
import { placeholderUrl, settings } from "./settings";

/** Consumers return partial batch responses (functions/sqs.ts): only failed records are retried. */
const consume = (fn: SstFunction, queue: IQueue, options: { batchSize: number; maxConcurrency?: number }) =>
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: options.batchSize,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
      ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
    }),
  );

/** `sms-events` → `SmsEvents`, for construct ids. */
const pascal = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());

export function Messaging({ stack, app }: StackContext) {
  const { table, attachments, vault, signatureSecret, vapidSecret } = use(Storage);
  const { mailFrom, sesIdentity, alarmEmail, publicUrl } = settings(app.stage);
  // Named here rather than in the Scheduler stack (which needs the dispatch queue), so the dispatch
  // consumer can re-schedule deferred launches without a cycle between the two stacks.
  const scheduleGroupName = `${app.stage}-relais`;
  const schedulerRoleName = `${app.stage}-relais-scheduler`;
  const account = stack.account;

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

  // Every queue of core/queues.ts, named `<stage>-relais-<queue>`, with its DLQ and alarms.
  const work = Object.fromEntries(
    queueNames.map((name) => [
      name,
      workQueue(stack, `${pascal(name)}Queue`, {
        queueName: queueName(app.stage, name),
        visibilityTimeout: Duration.seconds(visibilityTimeout(name)),
        maxAge: Duration.minutes(queues[name].maxAgeMinutes),
        maxReceiveCount: queues[name].maxReceiveCount,
        alarmTopic,
      }),
    ]),
  ) as Record<QueueName, ReturnType<typeof workQueue>>;

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

  // Each event topic feeds the queue the table names it for.
  const topics: Record<string, Topic> = {
    "sms-events": smsEventsTopic,
    "sms-inbound": smsInboundTopic,
    "email-events": emailEventsTopic,
    "email-inbound": emailInboundTopic,
  };
  for (const name of queueNames) {
    const fed = (queues[name] as { topic?: string }).topic;
    if (fed) topics[fed]!.addSubscription(new SqsSubscription(work[name].queue));
  }

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

  // What each queue's consumer may do and know; its handler, timeout and event source come from the table.
  const schedulerRole = Role.fromRoleName(stack, "SchedulerRoleRef", schedulerRoleName);
  const tableOnly = {
    environment: { TABLE_NAME: table.tableName },
    permissions: [tableReadWrite(table)],
  };
  const consumers: Record<QueueName, Omit<HandlerProps, "handler" | "timeout" | "memorySize">> = {
    // Sends SMS and email, re-enqueues the rest of a campaign, attaches files from `attachments`.
    dispatch: {
      description: "Campaign launches and send batches",
      environment: {
        TABLE_NAME: table.tableName,
        DISPATCH_QUEUE_URL: work.dispatch.queue.queueUrl,
        // The reminders' hourly tick hands each company's due reminders to a fire job there.
        IMPORT_QUEUE_URL: work.import.queue.queueUrl,
        // Launches inside quiet hours move their own one-time schedule.
        DISPATCH_QUEUE_ARN: work.dispatch.queue.queueArn,
        SCHEDULE_GROUP: scheduleGroupName,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        ATTACHMENTS_BUCKET: attachments.bucketName,
        SES_CONFIGURATION_SET: sesConfigurationSetName,
        MAIL_FROM: mailFrom,
        SMS_CONFIGURATION_SET: smsConfigurationSetName,
        // Announcements' notifications link to the employees' space, and push (Web Push, VAPID).
        PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
        VAPID_PUBLIC_KEY: vapidSecret.secretValueFromJson("publicKey").unsafeUnwrap(),
        VAPID_PRIVATE_KEY: vapidSecret.secretValueFromJson("privateKey").unsafeUnwrap(),
      },
      permissions: [
        tableReadWrite(table),
        tableBatchUpdate(table),
        queueSend(work.dispatch.queue, work.import.queue),
        objectRead(attachments),
        sendEmail(stack, sesIdentity, sesConfigurationSetName),
        sendSms(stack, smsConfigurationSetName),
        ...manageSchedules(stack, scheduleGroupName, schedulerRole),
      ],
    },
    // Spreadsheet imports: reads the uploaded file from `attachments`, writes contacts (and list members),
    // writes the error report next to the upload, and re-enqueues itself to carry on past its timeout.
    // Vault publications: checks each uploaded document's first bytes, then hands the announcement
    // campaign to the dispatch queue. Reminder fire runs: the same, for a day's due reminders.
    import: {
      description: "Background spreadsheet imports, vault publications and reminder runs",
      environment: {
        TABLE_NAME: table.tableName,
        ATTACHMENTS_BUCKET: attachments.bucketName,
        VAULT_BUCKET: vault.bucketName,
        IMPORT_QUEUE_URL: work.import.queue.queueUrl,
        DISPATCH_QUEUE_URL: work.dispatch.queue.queueUrl,
        // Signature reminders: scheduled per document at publication, each on this queue, with a link.
        IMPORT_QUEUE_ARN: work.import.queue.queueArn,
        SCHEDULE_GROUP: scheduleGroupName,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
        // « Signé par l'entreprise » types are sealed at publication.
        SIGNATURE_SECRET: signatureSecret.secretValue.unsafeUnwrap(),
      },
      permissions: [
        tableReadWrite(table),
        objectReadWrite(attachments),
        vaultDocuments(vault),
        queueSend(work.import.queue, work.dispatch.queue),
        ...manageSchedules(stack, scheduleGroupName, schedulerRole),
      ],
    },
    // Webhook attempts: one POST each to a company's endpoint, the next attempt queued here (≤ 15 min) or
    // scheduled (longer delays), deliveries recorded in the table.
    webhooks: {
      description: "Outgoing webhook attempts",
      environment: {
        TABLE_NAME: table.tableName,
        WEBHOOK_QUEUE_URL: work.webhooks.queue.queueUrl,
        WEBHOOK_QUEUE_ARN: work.webhooks.queue.queueArn,
        SCHEDULE_GROUP: scheduleGroupName,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        // Endpoints' signing secrets are sealed in the table (core/webhook/secret.ts).
        SIGNATURE_SECRET: signatureSecret.secretValue.unsafeUnwrap(),
      },
      permissions: [
        tableReadWrite(table),
        queueSend(work.webhooks.queue),
        ...manageSchedules(stack, scheduleGroupName, schedulerRole),
      ],
    },
    // Closed companies' erasure: every item of the company found by a Scan (no index lists them all), and
    // every object under the company's folders, deleted. The only function granted Scan and ListBucket.
    erasure: {
      description: "Erasure of closed companies after their grace period",
      environment: {
        TABLE_NAME: table.tableName,
        ATTACHMENTS_BUCKET: attachments.bucketName,
        VAULT_BUCKET: vault.bucketName,
        ERASURE_QUEUE_URL: work.erasure.queue.queueUrl,
        ERASURE_QUEUE_ARN: work.erasure.queue.queueArn,
      },
      permissions: [
        tableReadWrite(table),
        tableScan(table),
        ...companyObjectsErase(attachments, vault),
        queueSend(work.erasure.queue),
      ],
    },
    "sms-events": { ...tableOnly, description: "SMS delivery events → message status" },
    // Replies: STOP confirmations by SMS, replies forwarded and opt-out alerts by email.
    "sms-inbound": {
      description: "Inbound SMS → reply classification, opt-outs, forwarding",
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
    },
    "email-events": { ...tableOnly, description: "SES events → message status" },
    "email-inbound": {
      description: "Inbound email (SES receipt → S3) → reply classification, opt-outs, forwarding",
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
    },
  };
  for (const name of queueNames) {
    const queue = queues[name];
    const memorySize = (queue as { memorySize?: number }).memorySize;
    consume(
      handlerFunction(stack, `${pascal(name)}Consumer`, {
        ...consumers[name],
        handler: `${queue.consumer}.handler`,
        timeout: queue.timeout,
        ...(memorySize ? { memorySize } : {}),
      }),
      work[name].queue,
      queue,
    );
  }

  // Every DLQ drains into the table, where each company's Admins see their failed jobs (« Échecs
  // techniques ») and retry them; the alarms above count the arrivals.
  const deadLetterConsumer = handlerFunction(stack, "DeadLettersConsumer", {
    ...tableOnly,
    handler: `${deadLetters.consumer}.handler`,
    timeout: deadLetters.timeout,
    description: "Dead letters of every queue → the console's list",
  });
  for (const name of queueNames) consume(deadLetterConsumer, work[name].deadLetters, deadLetters);

  stack.addOutputs({
    SmsInboundTopicArn: smsInboundTopic.topicArn,
    SesConfigurationSet: sesConfigurationSetName,
    SmsConfigurationSet: smsConfigurationSetName,
    AlarmTopicArn: alarmTopic.topicArn,
  });

  return {
    dispatchQueue: work.dispatch.queue,
    scheduleGroupName,
    schedulerRoleName,
    importQueue: work.import.queue,
    webhookQueue: work.webhooks.queue,
    erasureQueue: work.erasure.queue,
    /** The queues the Scheduler may drop jobs on: those of core/queues.ts that carry jobs. */
    jobQueues: queueNames.filter((name) => "jobs" in queues[name]).map((name) => work[name].queue),
    eventQueues: {
      smsEvents: work["sms-events"].queue,
      smsInbound: work["sms-inbound"].queue,
      emailEvents: work["email-events"].queue,
      emailInbound: work["email-inbound"].queue,
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
