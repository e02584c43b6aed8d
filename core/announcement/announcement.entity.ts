import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const announcementTypes = ["message", "advantage", "deal", "document"] as const;

/**
 * Something said to employees (« annonce »): a Message, an Avantage, a Bon plan or a Document, shown to
 * the targeted groups from `startsAt` until `endsAt`. `status` follows the Scheduler's two jobs; reads
 * check the window as well, so a late job never shows anything early or keeps it late.
 */
export const AnnouncementEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "announcement", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          announcementId: { type: "string", required: true, readOnly: true },
          type: { type: announcementTypes, required: true },
          titleFr: { type: "string", required: true },
          titleEn: { type: "string", required: true },
          description: { type: "string" },
          link: { type: "string" },
          groupIds: { type: "list", items: { type: "string" }, required: true },
          startsAt: { type: "string", required: true },
          endsAt: { type: "string", required: true },
          status: { type: ["scheduled", "live", "ended"] as const, required: true, default: "scheduled" },
          /** Resized copies of the illustration: `${imagePrefix}/${width}.jpg` for each width. */
          imagePrefix: { type: "string" },
          imageWidths: { type: "list", items: { type: "number" } },
          attachmentKey: { type: "string" },
          attachmentName: { type: "string" },
          attachmentType: { type: "string" },
          attachmentSize: { type: "number" },
          /** Set at the start: employees targeted then, and how each was told. */
          targeted: { type: "number" },
          notifiedPush: { type: "number" },
          notifiedSms: { type: "number" },
          notifiedEmail: { type: "number" },
          /** When notifications go (the start, or the end of the quiet window after it). */
          notifyAt: { type: "string" },
          /** Chunks the notification was cut into, fixed by its first planning (core/announcement/notify.ts). */
          notifyChunks: { type: "number" },
          /** Chunks done: a set, so a chunk redelivered after its end adds nothing. */
          notifiedChunks: { type: "set", items: "number" },
          notifiedAt: { type: "string" },
          opened: { type: "number", required: true, default: 0 },
          createdBy: { type: "string", required: true },
          createdByName: { type: "string", required: true },
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
            sk: { field: "sk", composite: ["announcementId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** One employee opened one announcement: created once, so `opened` counts people, not taps. */
export const AnnouncementOpenEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "announcementOpen", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          announcementId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          openedAt: { type: "string", required: true },
        },
        indexes: {
          byAnnouncement: {
            pk: { field: "pk", composite: ["companyId", "announcementId"] },
            sk: { field: "sk", composite: ["partnerId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * How one employee was told of one announcement, fixed by the first attempt: a retried notify job
 * (crash, redelivery) reads it instead of choosing again, so nobody gets a push and then an SMS.
 */
export const AnnouncementNoticeEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "announcementNotice", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          announcementId: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string", required: true, readOnly: true },
          channel: { type: ["push", "sms", "email", "none"] as const, required: true, readOnly: true },
          at: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          byAnnouncement: {
            pk: { field: "pk", composite: ["companyId", "announcementId"] },
            sk: { field: "sk", composite: ["partnerId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * The lease of one chunk of an announcement's notification (core/announcement/notify.ts): whoever holds
 * it is the only one pushing to those employees, so two deliveries of a chunk at once never both push.
 * `leaseUntil` 0 means released; a holder that died leaves it to run out.
 */
export const AnnouncementChunkEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "announcementChunk", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          announcementId: { type: "string", required: true, readOnly: true },
          chunk: { type: "number", required: true, readOnly: true },
          attemptId: { type: "string" },
          /** Epoch milliseconds. */
          leaseUntil: { type: "number" },
          expiresAt: { type: "number" },
        },
        indexes: {
          byAnnouncement: {
            pk: { field: "pk", composite: ["companyId", "announcementId"] },
            sk: { field: "sk", composite: ["chunk"] },
          },
        },
      },
      entityConfig(),
    ),
);
