import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { contentTypes } from "../campaign/attachment.types";
import { sniff } from "../campaign/file-sniff";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Storage from "../platform/storage";
import { AnnouncementEntity } from "./announcement.entity";

/**
 * An announcement's optional attachment (a Document type's file, a leaflet…): one object shared by every
 * targeted employee, read through the announcement's visibility check. Not a vault Document per person:
 * the bytes are the same for all and carry no personal data or legal retention, so copying them into
 * each employee's vault would multiply storage and erasure work for nothing.
 */
export const maxBytes = 20 * 1024 * 1024;

const keyOf = (companyId: string, announcementId: string) =>
  `announcements/${companyId}/${announcementId}/attachment`;

const notFound = () => new VisibleError("announcement.not_found", "Announcement not found", 404);

async function owned(announcementId: string) {
  useRole("admin", "manager");
  const { data } = await AnnouncementEntity.get({ companyId: useCompanyId(), announcementId }).go();
  if (!data) throw notFound();
  return data;
}

export const Upload = z.object({
  announcementId: z.string().max(64),
  fileName: z.string().trim().min(1).max(200),
  contentType: z.enum(contentTypes),
});

/** Where the browser posts the file; `confirm` then checks its bytes and attaches it. */
export const uploadTarget = fn(Upload, async ({ announcementId, contentType }) => {
  const found = await owned(announcementId);
  return Storage.presignUpload("attachments", keyOf(found.companyId, announcementId), {
    maxBytes,
    contentType,
  });
});

/** Checks the uploaded bytes are what their type says (not a program), then shows the file. */
export const confirm = fn(Upload, async ({ announcementId, fileName, contentType }) => {
  const found = await owned(announcementId);
  const key = keyOf(found.companyId, announcementId);
  let head: Uint8Array;
  try {
    head = await Storage.readHead("attachments", key, 512);
  } catch (error) {
    if (Storage.isMissing(error))
      throw new VisibleError("announcement.attachment_missing", "Upload the file first", 409);
    throw error;
  }
  if (sniff(head, contentType) !== "ok") {
    await Storage.remove("attachments", key);
    throw new VisibleError("announcement.attachment_invalid", `${fileName} is not what its name says`, 400);
  }
  const size = await Storage.size("attachments", key);
  await AnnouncementEntity.patch({ companyId: found.companyId, announcementId })
    .set({ attachmentKey: key, attachmentName: fileName, attachmentType: contentType, attachmentSize: size })
    .go({ response: "none" });
  return { attachmentName: fileName, size };
});

/** A one-minute link to the attachment (the caller has checked who may see the announcement). */
export async function link(row: {
  attachmentKey?: string;
  attachmentName?: string;
  attachmentType?: string;
}) {
  if (!row.attachmentKey) throw notFound();
  return Storage.presignDownload("attachments", row.attachmentKey, {
    fileName: row.attachmentName,
    contentType: row.attachmentType,
    expiresIn: 60,
  });
}
