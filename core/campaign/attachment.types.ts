/**
 * What a campaign may attach. Dependency-free so the console checks a picked file against the very list
 * S3's presigned POST enforces (web/ must not bundle server code).
 */
export const limits = {
  files: 5,
  /** Per file. */
  bytes: 10 * 1024 * 1024,
  /** Above this total, emails carry the link instead of the files (SES allows 40 MB, inboxes less). */
  inlineEmailBytes: 7 * 1024 * 1024,
  /** How long the public link keeps working after the campaign is created. */
  linkDays: 30,
};

export const contentTypes = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "text/plain",
  "text/csv",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
] as const;
export type ContentType = (typeof contentTypes)[number];
