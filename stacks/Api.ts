import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { NagSuppressions } from "cdk-nag";
import { Api as HttpApi, type StackContext, use } from "sst/constructs";
import { handlerFunction } from "./function";
import {
  describeSmsIdentities,
  healthProbes,
  manageSchedules,
  objectReadWrite,
  sendEmail,
  sendSms,
  sesGetAccountJustification,
  stageQueuesSend,
  tableReadWrite,
} from "./grants";
import { Messaging } from "./Messaging";
import { Scheduler } from "./Scheduler";
import { Storage } from "./Storage";
import { placeholderUrl, settings } from "./settings";

/** Why no route has an API Gateway authorizer (cdk-nag AwsSolutions-APIG4), on the API and its routes. */
export const apiAuthorizationReason =
  "Authentication is done by the Hono app (session → actor, core/actor.ts); /api/health and " +
  "/api/openapi.json are public on purpose.";

export function Api({ stack, app }: StackContext) {
  const { table, attachments, vault, signatureSecret, vapidSecret } = use(Storage);
  const messaging = use(Messaging);
  const { scheduleGroupName, schedulerRole } = use(Scheduler);
  const { publicUrl } = settings(app.stage);

  // CloudFront proves itself with this value (header x-relais-origin); API Gateway's own URL without it is refused.
  const originSecret = new Secret(stack, "OriginSecret", {
    description: "Header value CloudFront adds to requests it forwards to the API",
    generateSecretString: { excludePunctuation: true, passwordLength: 48 },
  });
  NagSuppressions.addResourceSuppressions(originSecret, [
    {
      id: "AwsSolutions-SMG4",
      reason:
        "A shared value between CloudFront and the API, not a credential of a service: rotate by redeploying.",
    },
  ]);

  const handler = handlerFunction(stack, "ApiHandler", {
    handler: "functions/api/lambda.handler",
    description: "Hono app behind every /api route",
    // API Gateway gives up after 30 s.
    timeout: 29,
    suppressions: [sesGetAccountJustification],
    environment: {
      TABLE_NAME: table.tableName,
      DISPATCH_QUEUE_URL: messaging.dispatchQueue.queueUrl,
      DISPATCH_QUEUE_ARN: messaging.dispatchQueue.queueArn,
      IMPORT_QUEUE_URL: messaging.importQueue.queueUrl,
      IMPORT_QUEUE_ARN: messaging.importQueue.queueArn,
      WEBHOOK_QUEUE_URL: messaging.webhookQueue.queueUrl,
      WEBHOOK_QUEUE_ARN: messaging.webhookQueue.queueArn,
      // Closing a company schedules its erasure there.
      ERASURE_QUEUE_URL: messaging.erasureQueue.queueUrl,
      ERASURE_QUEUE_ARN: messaging.erasureQueue.queueArn,
      SMS_EVENTS_QUEUE_URL: messaging.eventQueues.smsEvents.queueUrl,
      SMS_INBOUND_QUEUE_URL: messaging.eventQueues.smsInbound.queueUrl,
      EMAIL_EVENTS_QUEUE_URL: messaging.eventQueues.emailEvents.queueUrl,
      EMAIL_INBOUND_QUEUE_URL: messaging.eventQueues.emailInbound.queueUrl,
      SMS_EVENTS_TOPIC_ARN: messaging.smsEventsTopic.topicArn,
      SMS_INBOUND_TOPIC_ARN: messaging.smsInboundTopic.topicArn,
      ATTACHMENTS_BUCKET: attachments.bucketName,
      VAULT_BUCKET: vault.bucketName,
      SES_CONFIGURATION_SET: messaging.sesConfigurationSetName,
      MAIL_FROM: messaging.mailFrom,
      SMS_CONFIGURATION_SET: messaging.smsConfigurationSetName,
      SCHEDULE_GROUP: scheduleGroupName,
      SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
      PUBLIC_URL: publicUrl ?? placeholderUrl(app.stage),
      ORIGIN_SECRET: originSecret.secretValue.unsafeUnwrap(),
      // Certificates uploaded, webhook secrets generated: both sealed (core/signature/envelope.ts).
      SIGNATURE_SECRET: signatureSecret.secretValue.unsafeUnwrap(),
      // The space hands the public key to browsers that subscribe.
      VAPID_PUBLIC_KEY: vapidSecret.secretValueFromJson("publicKey").unsafeUnwrap(),
    },
    permissions: [
      tableReadWrite(table),
      // Jobs to their queues, and « Relancer » to whichever queue a dead letter died on.
      stageQueuesSend(stack, app.stage),
      objectReadWrite(attachments, vault),
      sendEmail(stack, messaging.sesIdentity, messaging.sesConfigurationSetName),
      sendSms(stack, messaging.smsConfigurationSetName),
      describeSmsIdentities(stack),
      ...manageSchedules(stack, scheduleGroupName, schedulerRole),
      ...healthProbes(stack, {
        table,
        queues: [messaging.dispatchQueue, messaging.importQueue, messaging.webhookQueue],
        topics: [messaging.smsEventsTopic, messaging.smsInboundTopic],
        buckets: [attachments, vault],
        smsConfigurationSet: messaging.smsConfigurationSetName,
        scheduleGroup: scheduleGroupName,
      }),
    ],
  });

  const api = new HttpApi(stack, "Api", {
    // Browsers reach the API through the console's CloudFront domain (Web stack): same origin, no CORS.
    cors: false,
    accessLog: { retention: app.stage === "prod" ? "six_months" : "one_month" },
    defaults: { throttle: { burst: 200, rate: 100 } },
    // Routes live in the ApiRoutes stacks (ApiRoutes.ts), derived from the Hono app.
  });
  NagSuppressions.addResourceSuppressions(
    api,
    [{ id: "AwsSolutions-APIG4", reason: apiAuthorizationReason }],
    true,
  );

  stack.addOutputs({ ApiUrl: api.url });

  return { api, apiFunction: handler, originSecret };
}
