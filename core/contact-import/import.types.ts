/**
 * The contact fields an import's columns map to, and the file's limits. Dependency-free so the console
 * offers and checks what the API does (web/ must not bundle server code).
 */
export const importFields = [
  "civility",
  "firstName",
  "lastName",
  "email",
  "mobile",
  "type",
  "skills",
  "description",
  "position",
  "preferredChannel",
] as const;
export type ImportField = (typeof importFields)[number];

const MiB = 1024 * 1024;
/** What an import file may weigh and hold; S3 enforces `maxBytes`, the console checks it first. */
export const limits = { maxBytes: 10 * MiB, maxRows: 50_000, maxUncompressedBytes: 100 * MiB };
