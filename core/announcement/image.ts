import * as z from "zod";
import { useCompanyId, useRole } from "../actor";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Storage from "../platform/storage";
import { AnnouncementEntity } from "./announcement.entity";

/**
 * An announcement's illustration: uploaded as is (presigned POST), then decoded and re-encoded as JPEG at
 * a few widths. Re-encoding from pixels drops EXIF (location, camera, owner) and anything hidden after
 * the image data; the original is deleted.
 */
export const widths = [320, 640, 1280] as const;
export const maxBytes = 10 * 1024 * 1024;
const accepted = ["image/jpeg", "image/png"] as const;

const prefixOf = (companyId: string, announcementId: string) =>
  `announcements/${companyId}/${announcementId}`;
const originalOf = (prefix: string) => `${prefix}/original`;

const notFound = () => new VisibleError("announcement.not_found", "Announcement not found", 404);

async function owned(announcementId: string) {
  useRole("admin", "manager");
  const companyId = useCompanyId();
  const { data } = await AnnouncementEntity.get({ companyId, announcementId }).go();
  if (!data) throw notFound();
  return data;
}

/** Where the browser posts the image (10 MB at most, JPEG or PNG). */
export const uploadTarget = fn(
  z.object({ announcementId: z.string().max(64), contentType: z.enum(accepted) }),
  async ({ announcementId, contentType }) => {
    const found = await owned(announcementId);
    const prefix = prefixOf(found.companyId, announcementId);
    return Storage.presignUpload("attachments", originalOf(prefix), { maxBytes, contentType });
  },
);

/** Resizes the uploaded original to `widths` (never enlarging), as JPEG without metadata. */
export const process = fn(z.string().max(64), async (announcementId) => {
  const found = await owned(announcementId);
  const prefix = prefixOf(found.companyId, announcementId);
  let bytes: Uint8Array;
  try {
    bytes = await Storage.readBytes("attachments", originalOf(prefix));
  } catch (error) {
    if (Storage.isMissing(error))
      throw new VisibleError("announcement.image_missing", "Upload the image first", 409);
    throw error;
  }
  const { Jimp } = await import("jimp");
  let image: Awaited<ReturnType<typeof Jimp.read>>;
  try {
    image = await Jimp.read(Buffer.from(bytes));
  } catch {
    await Storage.remove("attachments", originalOf(prefix));
    throw new VisibleError("announcement.image_invalid", "This file is not a JPEG or PNG image", 400);
  }
  const made: number[] = [];
  for (const width of widths) {
    if (made.length > 0 && width > image.width) break;
    const copy = image.clone();
    if (copy.width > width) copy.resize({ w: width });
    const jpeg = await copy.getBuffer("image/jpeg", { quality: 80 });
    await Storage.put("attachments", `${prefix}/${width}.jpg`, new Uint8Array(jpeg), "image/jpeg");
    made.push(width);
  }
  await Storage.remove("attachments", originalOf(prefix));
  await AnnouncementEntity.patch({ companyId: found.companyId, announcementId })
    .set({ imagePrefix: prefix, imageWidths: made })
    .go({ response: "none" });
  return { widths: made };
});

/** A one-minute link to one width of an image (the caller has checked who may see it). */
export async function link(row: { imagePrefix?: string; imageWidths?: number[] }, width: number) {
  if (!row.imagePrefix || !row.imageWidths?.includes(width)) throw notFound();
  return Storage.presignDownload("attachments", `${row.imagePrefix}/${width}.jpg`, {
    contentType: "image/jpeg",
    expiresIn: 60,
  });
}

/** Deletes an announcement's resized copies (when it is withdrawn). */
export async function removeAll(row: {
  imagePrefix?: string;
  imageWidths?: number[];
  attachmentKey?: string;
}) {
  if (row.attachmentKey) await Storage.remove("attachments", row.attachmentKey);
  if (!row.imagePrefix) return;
  for (const width of row.imageWidths ?? [])
    await Storage.remove("attachments", `${row.imagePrefix}/${width}.jpg`);
}
