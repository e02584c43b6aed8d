import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";
import { ruleCodes } from "../delivery/classify";

export const campaignStatuses = ["draft", "scheduled", "sending", "sent", "paused", "cancelled"] as const;
/** Programmé, En cours, Envoyé, Délivré, Non délivré, Répondu, Échec, Désabonné (glossary). */
export const messageStatuses = [
  "scheduled",
  "sending",
  "sent",
  "delivered",
  "undeliverable",
  "replied",
  "failed",
  "unsubscribed",
] as const;

export const CampaignEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "campaign", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          kind: { type: ["yesno", "info"] as const, required: true, readOnly: true },
          title: { type: "string", required: true },
          reference: { type: "string" },
          agencyId: { type: "string", required: true, readOnly: true },
          createdBy: { type: "string", required: true, readOnly: true },
          createdByName: { type: "string", required: true, readOnly: true },
          status: { type: campaignStatuses, required: true },
          sendAt: { type: "string", required: true },
          urgent: { type: "boolean", required: true, default: false },
          /** Answers something a person just did (an application's acknowledgment): sent at once, day or night. */
          transactional: { type: "boolean" },
          smsBody: { type: "string", required: true, default: "" },
          emailSubject: { type: "string", required: true, default: "" },
          emailHtml: { type: "string", required: true, default: "" },
          /** Files sent with the campaign (core/campaign/attachments.ts) and their public link's code. */
          attachments: {
            type: "list",
            items: {
              type: "map",
              properties: {
                attachmentId: { type: "string", required: true },
                fileName: { type: "string", required: true },
                contentType: { type: "string", required: true },
                size: { type: "number", required: true },
              },
            },
          },
          /** Emails carry the files themselves (else the link, added to their HTML at creation). */
          filesInEmail: { type: "boolean" },
          fileLinkCode: { type: "string" },
          /** The SMS sender: a sender ID (info) or the company's two-way number (Yes/No); else AWS picks. */
          originationIdentity: { type: "string" },
          /** The campaign this one follows up (« Relancer »). */
          resentFrom: { type: "string" },
          /** Title and reference folded (accents, case) for the Envois search. */
          searchText: { type: "string" },
          recipients: { type: "number", required: true, default: 0 },
          smsCount: { type: "number", required: true, default: 0 },
          emailCount: { type: "number", required: true, default: 0 },
          excluded: { type: "number", required: true, default: 0 },
          /** The first of them, masked, and why (./excluded.ts): the campaign page lists them. */
          excludedRecipients: {
            type: "list",
            items: {
              type: "map",
              properties: {
                contactId: { type: "string" },
                masked: { type: "string", required: true },
                reason: {
                  type: ["opted_out", "country_not_allowed", "unreachable"] as const,
                  required: true,
                },
              },
            },
          },
          smsUnits: { type: "number", required: true, default: 0 },
          costMillicents: { type: "number", required: true, default: 0 },
          /** Delivery engine: when quiet hours pushed the launch back, and when it actually started. */
          deferredTo: { type: "string" },
          launchedAt: { type: "string" },
          /** Set once every message is on the queue; a launch resumed after a crash checks it. */
          fannedOut: { type: "boolean" },
          /** When Admins were told the opt-out rate passed 1 % (once per campaign). */
          optOutAlertedAt: { type: "string" },
          pausedReason: { type: "string" },
          /**
           * Facts that accumulate (core/delivery/status.ts `factsOf`): messages sent, delivered, answered
           * (`replied*` by answer), opted out, undeliverable, failed, and `done` (no longer waiting).
           * A reply does not take a message out of `delivered`, nor a STOP out of its answer.
           */
          sent: { type: "number", required: true, default: 0 },
          delivered: { type: "number", required: true, default: 0 },
          undeliverable: { type: "number", required: true, default: 0 },
          failed: { type: "number", required: true, default: 0 },
          replied: { type: "number", required: true, default: 0 },
          unsubscribed: { type: "number", required: true, default: 0 },
          repliedYes: { type: "number", required: true, default: 0 },
          repliedNo: { type: "number", required: true, default: 0 },
          repliedOther: { type: "number", required: true, default: 0 },
          /** Sent or delivered and not answered: whom « Relancer » reaches. */
          unanswered: { type: "number", required: true, default: 0 },
          done: { type: "number", required: true, default: 0 },
          /** 2: the counters above are facts; absent: an older histogram of statuses, recounted on the next move. */
          countsVersion: { type: "number", default: 2 },
          /** Bumped by every counter ADD, so a recount after a crash can tell it raced none (delivery/status.ts). */
          tallyVersion: { type: "number" },
          /** The last counter move (Tally.flush) and the last recount: the sweeper tells a stalled campaign by them. */
          progressAt: { type: "string" },
          recountedAt: { type: "string" },
          /**
           * Set at launch, removed by the sweeper once the campaign has been quiet for days: the sparse
           * `byActivity` index lists the campaigns that may still move, without scanning the table.
           */
          active: { type: ["campaign"] as const },
          activeSince: { type: "string" },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["campaignId"] },
          },
          /** Sparse: only campaigns with `active` (see above), across companies, for the sweeper. */
          byActivity: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["active"] },
            sk: { field: "gsi1sk", composite: ["activeSince"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** One message per recipient, rendered when the campaign is created; the delivery engine sends it. */
export const MessageEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "message", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          messageId: { type: "string", required: true, readOnly: true },
          contactId: { type: "string", readOnly: true },
          /** The send job this message always goes out in (see SendJobEntity); absent on older messages. */
          jobId: { type: "string", readOnly: true },
          name: { type: "string" },
          channel: { type: ["sms", "email"] as const, required: true, readOnly: true },
          to: { type: "string", required: true, readOnly: true },
          body: { type: "string" },
          subject: { type: "string" },
          html: { type: "string" },
          units: { type: "number", required: true, default: 0 },
          status: { type: messageStatuses, required: true },
          /** Order of `status` (see core/delivery/status.ts): transitions only ever raise it. */
          rank: { type: "number", required: true, default: 0 },
          statusReason: { type: "string" },
          /** The last send attempt (its job's attempt id, echoed in SMS events); `leaseUntil` only on older messages. */
          attemptId: { type: "string" },
          leaseUntil: { type: "string" },
          attempts: { type: "number" },
          firstAttemptAt: { type: "string" },
          lastError: { type: "string" },
          /** Provider ids: End User Messaging MessageId or SES MessageId, and the number/address sent from. */
          providerMessageId: { type: "string" },
          from: { type: "string" },
          question: { type: "boolean" },
          sentAt: { type: "string" },
          deliveredAt: { type: "string" },
          classification: { type: ["yes", "no", "other"] as const },
          /** The rule that read the latest reply, or "manual" once a recruiter reclassified it. */
          replyRule: { type: ruleCodes },
          replyBody: { type: "string" },
          repliedAt: { type: "string" },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
          updatedAt: { type: "string", required: true, default: () => new Date().toISOString() },
        },
        indexes: {
          byCampaign: {
            pk: { field: "pk", composite: ["companyId", "campaignId"] },
            sk: { field: "sk", composite: ["messageId"] },
          },
          /** Delivery events and replies name the provider's id; sparse until the message is sent. */
          byProviderId: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["providerMessageId"] },
            sk: { field: "gsi2sk", composite: [] },
          },
          /**
           * Replies carry no company: the latest messages to a number, across companies, newest first
           * (ULIDs sort by creation); the origination number then tells companies apart.
           */
          byRecipient: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["to"] },
            sk: { field: "gsi3sk", composite: ["messageId"] },
          },
        },
      },
      entityConfig(),
    ),
);
