import { useRef, useState } from "react";
import { type ContentType, contentTypes, limits } from "../../../core/campaign/attachment.types";
import { uploadToPresignedPost } from "../accounts/client";
import { api, unwrap } from "../api";

/** What S3 accepts for attachments, shared with the API: checked here to say so at once. */
export const acceptedTypes = contentTypes;
type Accepted = ContentType;
export const maxAttachments = limits.files;
export const maxAttachmentBytes = limits.bytes;

export type AttachmentState = {
  id: number;
  file: File;
  /** 0..1 while uploading; the server's id once it is in S3. */
  progress: number;
  attachmentId?: string;
  error?: "type" | "size" | "failed";
};

const startUpload = (json: { fileName: string; contentType: Accepted; size: number }) =>
  unwrap(api.api.campaigns.attachments.$post({ json }));

/**
 * The composer's files: each goes to S3 as soon as it is picked (presigned POST, with progress), so
 * sending only names them. A file that cannot go (type, size, network) stays shown with its reason.
 */
export function useAttachments() {
  const [files, setFiles] = useState<AttachmentState[]>([]);
  const ids = useRef(0);
  const update = (id: number, change: Partial<AttachmentState>) =>
    setFiles((current) => current.map((entry) => (entry.id === id ? { ...entry, ...change } : entry)));

  const upload = async (entry: AttachmentState) => {
    try {
      const target = await startUpload({
        fileName: entry.file.name,
        contentType: entry.file.type as Accepted,
        size: entry.file.size,
      });
      await uploadToPresignedPost(target, entry.file, (progress) => update(entry.id, { progress }));
      update(entry.id, { progress: 1, attachmentId: target.attachmentId });
    } catch {
      update(entry.id, { error: "failed" });
    }
  };

  /** Adds files up to the limit; answers how many were left out. */
  const add = (list: File[]) => {
    const room = Math.max(0, maxAttachments - files.length);
    const added = list.slice(0, room).map((file): AttachmentState => {
      const error = !(acceptedTypes as readonly string[]).includes(file.type)
        ? "type"
        : file.size > maxAttachmentBytes
          ? "size"
          : undefined;
      return { id: ++ids.current, file, progress: 0, error };
    });
    setFiles((current) => [...current, ...added]);
    for (const entry of added) if (!entry.error) void upload(entry);
    return list.length - added.length;
  };

  const remove = (id: number) => setFiles((current) => current.filter((entry) => entry.id !== id));
  const ready = files.filter((entry) => entry.attachmentId).map((entry) => entry.attachmentId!);
  return {
    files,
    add,
    remove,
    attachmentIds: ready,
    uploading: files.some((entry) => !entry.error && !entry.attachmentId),
    failed: files.some((entry) => entry.error),
  };
}
