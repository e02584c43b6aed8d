import { NagSuppressions } from "cdk-nag";
import { Api as HttpApi, type StackContext, use } from "sst/constructs";
import { Events } from "./Events";
import { handlerFunction } from "./function";
import {
  describeSmsIdentities,
  healthProbes,
  manageSchedules,
  objectReadWrite,
  queueSend,
  sendEmail,
  sendSms,
  sesGetAccountJustification,
  tableReadWrite,
} from "./grants";
import { Messaging } from "./Messaging";
import { Scheduler } from "./Scheduler";
import { Storage } from "./Storage";
import { placeholderUrl, settings } from "./settings";

/**
 * Every route the Hono app serves, as API Gateway route keys. Listed rather than `ANY /{proxy+}` so
 * unknown paths are refused by API Gateway before they cost a Lambda call; stacks.test.ts checks this
 * list against `routeKeys()` of functions/api/index.ts.
 */
export const apiRoutes = [
  "DELETE /api/contacts/{contactId}",
  "DELETE /api/invitations/{invitationId}",
  "DELETE /api/lists/{listId}",
  "DELETE /api/lists/{listId}/members/{contactId}",
  "DELETE /api/templates/{templateId}",
  "GET /api/agencies",
  "GET /api/audit",
  "GET /api/auth/session",
  "GET /api/campaigns",
  "GET /api/campaigns/export",
  "GET /api/campaigns/{campaignId}",
  "GET /api/campaigns/{campaignId}/counts",
  "GET /api/campaigns/{campaignId}/messages",
  "GET /api/campaigns/{campaignId}/recipients",
  "GET /api/campaigns/{campaignId}/report",
  "GET /api/campaigns/{campaignId}/timeline",
  "GET /api/company",
  "GET /api/company/delivery",
  "GET /api/contact-imports",
  "GET /api/contact-imports/{importId}",
  "GET /api/contact-imports/{importId}/report",
  "GET /api/contacts",
  "GET /api/contacts/{contactId}",
  "GET /api/contacts/{contactId}/export",
  "GET /api/conversations/{contactId}",
  "GET /api/dead-letters",
  "GET /api/docs",
  "GET /api/health",
  "GET /api/invitations",
  "GET /api/lists",
  "GET /api/lists/{listId}",
  "GET /api/lists/{listId}/clean",
  "GET /api/lists/{listId}/export",
  "GET /api/lists/{listId}/health",
  "GET /api/lists/{listId}/members",
  "GET /api/openapi.json",
  "GET /api/public/files/{code}",
  "GET /api/public/invitations/{token}",
  "GET /api/templates",
  "GET /api/templates/{templateId}",
  "GET /api/users",
  "GET /api/users/import/template",
  "GET /api/users/{userId}",
  "PATCH /api/agencies/{agencyId}",
  "PATCH /api/auth/preferences",
  "PATCH /api/campaigns/{campaignId}/messages/{messageId}/classification",
  "PATCH /api/company",
  "PATCH /api/company/delivery",
  "PATCH /api/contacts/{contactId}",
  "PATCH /api/lists/{listId}",
  "PATCH /api/lists/{listId}/members/{contactId}",
  "PATCH /api/templates/{templateId}",
  "PATCH /api/users/{userId}",
  "POST /api/agencies",
  "POST /api/auth/login",
  "POST /api/auth/logout",
  "POST /api/auth/password/change",
  "POST /api/auth/password/forgot",
  "POST /api/auth/password/reset",
  "POST /api/campaigns",
  "POST /api/campaigns/attachments",
  "POST /api/campaigns/preview",
  "POST /api/campaigns/recipients",
  "POST /api/campaigns/{campaignId}/cancel",
  "POST /api/campaigns/{campaignId}/reschedule",
  "POST /api/campaigns/{campaignId}/resend",
  "POST /api/company/logo",
  "POST /api/contact-imports",
  "POST /api/contact-imports/{importId}/check",
  "POST /api/contact-imports/{importId}/start",
  "POST /api/contacts",
  "POST /api/contacts/{contactId}/opt-out",
  "POST /api/conversations/{contactId}/messages",
  "POST /api/dead-letters/{deadLetterId}/dismiss",
  "POST /api/dead-letters/{deadLetterId}/retry",
  "POST /api/invitations",
  "POST /api/invitations/{invitationId}/resend",
  "POST /api/lists",
  "POST /api/lists/{listId}/clean",
  "POST /api/lists/{listId}/duplicate",
  "POST /api/lists/{listId}/members",
  "POST /api/lists/{listId}/members/remove",
  "POST /api/lists/{listId}/paste",
  "POST /api/public/invitations/{token}/accept",
  "POST /api/templates",
  "POST /api/templates/{templateId}/duplicate",
  "POST /api/users",
  "POST /api/users/import/uploads",
  "POST /api/users/import/{uploadId}/check",
  "POST /api/users/import/{uploadId}/commit",
  "POST /api/users/{userId}/deactivate",
  "POST /api/users/{userId}/reactivate",
  "PUT /api/templates/{templateId}/favourite",
] as const;

export function Api({ stack, app }: StackContext) {
  const { table, attachments, vault } = use(Storage);
  const messaging = use(Messaging);
  const { subscriberQueues } = use(Events);
  const { scheduleGroupName, schedulerRole } = use(Scheduler);
  const { publicUrl } = settings(app.stage);

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
      EVENT_QUEUE_URLS: stack.toJsonString(
        Object.fromEntries(Object.entries(subscriberQueues).map(([name, queue]) => [name, queue.queueUrl])),
      ),
    },
    permissions: [
      tableReadWrite(table),
      // The event queues only for « Relancer » on a dead provider event.
      queueSend(
        messaging.dispatchQueue,
        messaging.importQueue,
        ...Object.values(messaging.eventQueues),
        ...Object.values(subscriberQueues),
      ),
      objectReadWrite(attachments, vault),
      sendEmail(stack, messaging.sesIdentity, messaging.sesConfigurationSetName),
      sendSms(stack, messaging.smsConfigurationSetName),
      describeSmsIdentities(stack),
      ...manageSchedules(stack, scheduleGroupName, schedulerRole),
      ...healthProbes(stack, {
        table,
        queues: [messaging.dispatchQueue, messaging.importQueue],
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
    routes: Object.fromEntries(apiRoutes.map((route) => [route, { function: handler }])),
  });
  NagSuppressions.addResourceSuppressions(
    api,
    [
      {
        id: "AwsSolutions-APIG4",
        reason:
          "Authentication is done by the Hono app (session → actor, core/actor.ts); /api/health and " +
          "/api/openapi.json are public on purpose.",
      },
    ],
    true,
  );

  stack.addOutputs({ ApiUrl: api.url });

  return { api, apiFunction: handler };
}
