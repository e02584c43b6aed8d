import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  ConflictException,
  CreateConfigurationSetCommand,
  CreateEventDestinationCommand,
  DescribeConfigurationSetsCommand,
  DescribePhoneNumbersCommand,
  PinpointSMSVoiceV2Client,
  RequestPhoneNumberCommand,
  RequestSenderIdCommand,
  UpdatePhoneNumberCommand,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateScheduleGroupCommand,
  ConflictException as ScheduleConflict,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { TableDefinition, tableAttributes } from "../../core/table";
import { provisionEvents, streamSpecification } from "./events";
import { localQueueName, names, type QueueName, queues, REGION, topics } from "./resources";

type Clients = ReturnType<typeof clientsFor>;

function clientsFor(env: Record<string, string>) {
  const base = {
    region: REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
  return {
    dynamo: new DynamoDBClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    sqs: new SQSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: false }),
    sns: new SNSClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SNS }),
    s3: new S3Client({ ...base, endpoint: env.AWS_ENDPOINT_URL_S3 }),
    sms: new PinpointSMSVoiceV2Client({ ...base, endpoint: env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 }),
    scheduler: new SchedulerClient({ ...base, endpoint: env.AWS_ENDPOINT_URL_SCHEDULER }),
  };
}

/**
 * Creates what the stacks create, idempotently (a second `npm start` finds everything in place), and
 * returns the settings core/config.ts reads.
 */
export async function provision(cloudEnv: Record<string, string>, publicUrl: string) {
  const clients = clientsFor(cloudEnv);
  await createTable(clients);
  const queueUrls = await createQueues(clients);
  const topicArns = await createTopics(clients, queueUrls);
  await createBuckets(clients, publicUrl);
  await configureSms(clients, topicArns);
  await createScheduleGroup(clients);
  const events = await provisionEvents(cloudEnv, names.table);

  const dispatchArn = await queueArn(clients, queueUrls.dispatch);
  const importArn = await queueArn(clients, queueUrls.import);
  const webhookArn = await queueArn(clients, queueUrls.webhooks);
  const erasureArn = await queueArn(clients, queueUrls.erasure);
  return {
    queueUrls,
    events,
    env: {
      ...events.env,
      STAGE: "local",
      TABLE_NAME: names.table,
      DISPATCH_QUEUE_URL: queueUrls.dispatch,
      DISPATCH_QUEUE_ARN: dispatchArn,
      IMPORT_QUEUE_URL: queueUrls.import,
      IMPORT_QUEUE_ARN: importArn,
      WEBHOOK_QUEUE_URL: queueUrls.webhooks,
      WEBHOOK_QUEUE_ARN: webhookArn,
      ERASURE_QUEUE_URL: queueUrls.erasure,
      ERASURE_QUEUE_ARN: erasureArn,
      SMS_EVENTS_QUEUE_URL: queueUrls["sms-events"],
      SMS_INBOUND_QUEUE_URL: queueUrls["sms-inbound"],
      EMAIL_EVENTS_QUEUE_URL: queueUrls["email-events"],
      EMAIL_INBOUND_QUEUE_URL: queueUrls["email-inbound"],
      SMS_EVENTS_TOPIC_ARN: topicArns["sms-events"],
      SMS_INBOUND_TOPIC_ARN: topicArns["sms-inbound"],
      // Only the local SES event emitter publishes here (SES's configuration set does on AWS).
      EMAIL_EVENTS_TOPIC_ARN: topicArns["email-events"],
      // Only the local inbound-mail injector publishes here (SES's receipt rule does on AWS).
      EMAIL_INBOUND_TOPIC_ARN: topicArns["email-inbound"],
      ATTACHMENTS_BUCKET: names.attachmentsBucket,
      VAULT_BUCKET: names.vaultBucket,
      SES_CONFIGURATION_SET: names.sesConfigurationSet,
      MAIL_FROM: names.mailFrom,
      SMS_CONFIGURATION_SET: names.smsConfigurationSet,
      SCHEDULE_GROUP: names.scheduleGroup,
      SCHEDULER_ROLE_ARN: names.schedulerRoleArn,
      PUBLIC_URL: publicUrl,
      // A development VAPID pair (web-push generateVAPIDKeys), local only: AWS reads SST secrets.
      VAPID_PUBLIC_KEY:
        "BDZxIzBcz8jw0dPtokDW-mF-pNE-xhVHVc2e8CGmeWkwTAqJHZne4IEFDFbaj_onpeuCNmarTYyp-XOcZhSdg2o",
      VAPID_PRIVATE_KEY: "VWT4GGDwy4qP-4TrEU5rXxnTv1kbsGN4y0OeeTbKsUo",
      // Powertools, as stacks/function.ts sets them; EMF lines would only clutter the local log.
      POWERTOOLS_SERVICE_NAME: "relais",
      POWERTOOLS_METRICS_NAMESPACE: "Relais/local",
      POWERTOOLS_METRICS_DISABLED: "true",
    } satisfies Record<string, string>,
  };
}

async function createTable({ dynamo }: Clients) {
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: names.table,
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: streamSpecification,
        AttributeDefinitions: tableAttributes().map((name) => ({ AttributeName: name, AttributeType: "S" })),
        KeySchema: [
          { AttributeName: TableDefinition.partitionKey, KeyType: "HASH" },
          { AttributeName: TableDefinition.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: TableDefinition.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: names.table,
        TimeToLiveSpecification: { AttributeName: TableDefinition.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

async function createQueues({ sqs }: Clients) {
  const urls = {} as Record<QueueName, string>;
  for (const queue of queues) {
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${localQueueName(queue.name)}-dlq`,
        Attributes: { MessageRetentionPeriod: "1209600" },
      }),
    );
    const dlqArn = await queueArnOf(sqs, dlq.QueueUrl!);
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: localQueueName(queue.name),
        Attributes: {
          VisibilityTimeout: String(queue.visibilityTimeout),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: queue.maxReceiveCount,
          }),
        },
      }),
    );
    urls[queue.name] = created.QueueUrl!;
  }
  return urls;
}

async function createTopics(clients: Clients, queueUrls: Record<QueueName, string>) {
  const arns: Record<string, string> = {};
  for (const { topic, queue } of topics) {
    const created = await clients.sns.send(new CreateTopicCommand({ Name: topic }));
    arns[topic] = created.TopicArn!;
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: created.TopicArn,
        Protocol: "sqs",
        Endpoint: await queueArn(clients, queueUrls[queue]),
      }),
    );
  }
  return arns as Record<"sms-events" | "sms-inbound" | "email-events" | "email-inbound", string>;
}

async function createBuckets({ s3 }: Clients, publicUrl: string) {
  for (const bucket of [names.attachmentsBucket, names.vaultBucket]) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (!(error instanceof Error) || !/BucketAlready/.test(error.name)) throw error;
    }
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [new URL(publicUrl).origin],
              AllowedMethods: ["GET", "PUT", "POST"],
              AllowedHeaders: ["*"],
              ExposeHeaders: ["ETag"],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      }),
    );
  }
}

async function configureSms({ sms }: Clients, topicArns: Awaited<ReturnType<typeof createTopics>>) {
  const existing = await sms.send(new DescribeConfigurationSetsCommand({}));
  if (!existing.ConfigurationSets?.some((set) => set.ConfigurationSetName === names.smsConfigurationSet)) {
    await sms.send(new CreateConfigurationSetCommand({ ConfigurationSetName: names.smsConfigurationSet }));
    await sms.send(
      new CreateEventDestinationCommand({
        ConfigurationSetName: names.smsConfigurationSet,
        EventDestinationName: "sms-events",
        MatchingEventTypes: ["ALL"],
        SnsDestination: { TopicArn: topicArns["sms-events"] },
      }),
    );
  }
  const numbers = await sms.send(new DescribePhoneNumbersCommand({}));
  let phoneNumberId = numbers.PhoneNumbers?.[0]?.PhoneNumberId;
  if (!phoneNumberId) {
    const requested = await sms.send(
      new RequestPhoneNumberCommand({
        IsoCountryCode: "FR",
        MessageType: "TRANSACTIONAL",
        NumberCapabilities: ["SMS"],
        NumberType: "LONG_CODE",
      }),
    );
    phoneNumberId = requested.PhoneNumberId;
  }
  // Replies to the long number reach the app through the inbound topic, as the two-way channel does on AWS.
  await sms.send(
    new UpdatePhoneNumberCommand({
      PhoneNumberId: phoneNumberId!,
      TwoWayEnabled: true,
      TwoWayChannelArn: topicArns["sms-inbound"],
    }),
  );
  try {
    await sms.send(new RequestSenderIdCommand({ SenderId: names.smsSenderId, IsoCountryCode: "FR" }));
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
}

async function createScheduleGroup({ scheduler }: Clients) {
  try {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: names.scheduleGroup }));
  } catch (error) {
    if (!(error instanceof ScheduleConflict)) throw error;
  }
}

const queueArn = (clients: Clients, url: string) => queueArnOf(clients.sqs, url);

async function queueArnOf(sqs: SQSClient, url: string) {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
  );
  return result.Attributes!.QueueArn!;
}
