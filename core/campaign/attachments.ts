import { randomBytes } from "node:crypto";
import { Entity } from "electrodb";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, useUser } from "../actor";
import { config } from "../config";
import { entityConfig, onTable } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Storage from "../platform/storage";
import { escapeHtml } from "../text";
import { contentTypes, limits } from "./attachment.types";
import { headBytes, runnableName, sniff } from "./file-sniff";

/**
 * Files sent with a campaign. They are uploaded straight to S3 (presigned POST, size enforced by S3)
 * before the campaign exists; the campaign then names them by id. In SMS they travel as one link to a
 * public page listing them; in email as real attachments while small enough, else as that same link.
 */
export { contentTypes, limits } from "./attachment.types";

export const AttachmentEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "attachment", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          attachmentId: { type: "string", required: true, readOnly: true },
          fileName: { type: "string", required: true, readOnly: true },
          contentType: { type: "string", required: true, readOnly: true },
          size: { type: "number", required: true },
          createdBy: { type: "string", required: true, readOnly: true },
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
            sk: { field: "sk", composite: ["attachmentId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * The public link of a campaign's files. Keyed by an unguessable code (the link carries nothing else);
 * DynamoDB's TTL removes it, and reads check `expiresAt` too since TTL deletion lags.
 */
export const FileLinkEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "fileLink", version: "1", service: "relais" },
        attributes: {
          code: { type: "string", required: true, readOnly: true },
          companyId: { type: "string", required: true, readOnly: true },
          campaignId: { type: "string", required: true, readOnly: true },
          companyName: { type: "string", required: true, readOnly: true },
          files: {
            type: "list",
            required: true,
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
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          byCode: {
            pk: { field: "pk", composite: ["code"] },
            sk: { field: "sk", composite: [] },
          },
        },
      },
      entityConfig(),
    ),
);

export type FileInfo = { attachmentId: string; fileName: string; contentType: string; size: number };

/** S3 key of a file: under its company, so another tenant's id names nothing. */
export const keyOf = (companyId: string, attachmentId: string) =>
  `campaign-attachments/${companyId}/${attachmentId}`;

const codeAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** 12 characters of a 56-letter alphabet: about 70 bits, and no look-alike letters in an SMS. */
export const codeLength = 12;
const newCode = () =>
  [...randomBytes(codeLength)].map((byte) => codeAlphabet[byte % codeAlphabet.length]).join("");

/** The link an SMS carries; its length is fixed, so previews count its units before it exists. */
export const linkOf = (code: string) => `${config("PUBLIC_URL")}/f/${code}`;
export const placeholderLink = () => linkOf("x".repeat(codeLength));
export const smsWithLink = (text: string, link: string) => `${text}\n${link}`;

const safeName = (name: string) =>
  name
    .normalize("NFC")
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, "_")
    .trim()
    .slice(0, 120) || "fichier";

export const NewUpload = z.object({
  fileName: z
    .string()
    .min(1)
    .max(255)
    .refine((name) => !runnableName(name), "Programs and scripts (.exe, .js, .bat…) cannot be attached"),
  contentType: z.enum(contentTypes, { message: "This kind of file cannot be attached" }),
  size: z.number().int().positive(),
});

/** Registers a file and returns where the browser posts it. */
export const startUpload = fn(NewUpload, async (input) => {
  if (input.size > limits.bytes)
    throw new VisibleError("attachment.too_large", "Each attachment must be under 10 MB", 413);
  const companyId = useCompanyId();
  const attachmentId = ulid();
  await AttachmentEntity.create({
    companyId,
    attachmentId,
    fileName: safeName(input.fileName),
    contentType: input.contentType,
    size: input.size,
    createdBy: useUser().userId,
  }).go({ response: "none" });
  const upload = await Storage.presignUpload("attachments", keyOf(companyId, attachmentId), {
    maxBytes: limits.bytes,
    contentType: input.contentType,
  });
  return { attachmentId, url: upload.url, fields: upload.fields };
});

/**
 * The files a new campaign names, checked: registered by this company and really uploaded (the size
 * recorded is S3's, not the browser's claim).
 */
export async function resolveFiles(attachmentIds: string[]): Promise<FileInfo[]> {
  const ids = [...new Set(attachmentIds)];
  if (ids.length > limits.files)
    throw new VisibleError("attachment.too_many", `At most ${limits.files} attachments`, 400);
  const companyId = useCompanyId();
  const files: FileInfo[] = [];
  for (const attachmentId of ids) {
    const { data } = await AttachmentEntity.get({ companyId, attachmentId }).go();
    const size = data
      ? await Storage.size("attachments", keyOf(companyId, attachmentId)).catch((error: unknown) => {
          if (!Storage.isMissing(error)) throw error;
          return undefined;
        })
      : undefined;
    if (!data || size === undefined)
      throw new VisibleError("attachment.not_found", "An attachment is missing: add it again", 400, {
        fields: [{ path: "attachmentIds", message: attachmentId }],
      });
    await assertContentMatches(companyId, attachmentId, data);
    files.push({ attachmentId, fileName: data.fileName, contentType: data.contentType, size });
  }
  return files;
}

/**
 * The uploaded bytes must be what was declared (S3 only checked the Content-Type header the browser sent):
 * an executable or a mismatch is deleted, so nothing can ever link or serve it.
 */
async function assertContentMatches(
  companyId: string,
  attachmentId: string,
  data: { fileName: string; contentType: string },
) {
  const key = keyOf(companyId, attachmentId);
  const verdict = sniff(await Storage.readHead("attachments", key, headBytes), data.contentType);
  if (verdict === "ok") return;
  await Storage.remove("attachments", key);
  await AttachmentEntity.delete({ companyId, attachmentId }).go({ response: "none" });
  throw new VisibleError(
    "attachment.content_mismatch",
    `The content of ${data.fileName} does not match its type (${data.contentType}): add it again`,
    400,
    { fields: [{ path: "attachmentIds", message: attachmentId }] },
  );
}

/** Creates the public link of a campaign's files. */
export async function createLink(input: {
  companyId: string;
  campaignId: string;
  companyName: string;
  files: FileInfo[];
}) {
  const code = newCode();
  await FileLinkEntity.create({
    ...input,
    code,
    expiresAt: Math.floor(Date.now() / 1000) + limits.linkDays * 86_400,
  }).go({ response: "none" });
  return code;
}

/** What the public page shows: the files with short-lived download links. */
export async function openLink(code: string) {
  const gone = () => new VisibleError("files.not_found", "This link does not exist or has expired", 404);
  if (!/^[A-Za-z0-9]{6,40}$/.test(code)) throw gone();
  const { data } = await FileLinkEntity.get({ code }).go();
  if (!data || data.expiresAt * 1000 < Date.now()) throw gone();
  return {
    companyName: data.companyName,
    expiresAt: new Date(data.expiresAt * 1000).toISOString(),
    files: await Promise.all(
      data.files.map(async (file) => ({
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.size,
        url: await Storage.presignDownload("attachments", keyOf(data.companyId, file.attachmentId), {
          fileName: file.fileName,
          expiresIn: 900,
        }),
      })),
    ),
  };
}

const cache = new Map<string, Uint8Array>();

/**
 * The bytes of a campaign's files for one email, or undefined when they are too big to attach (the
 * email then carries the link). Kept in memory per worker: a campaign sends the same files to everyone.
 */
export async function forEmail(companyId: string, files: FileInfo[]) {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (files.length === 0 || total > limits.inlineEmailBytes) return undefined;
  return Promise.all(
    files.map(async (file) => {
      const key = keyOf(companyId, file.attachmentId);
      let content = cache.get(key);
      if (!content) {
        content = await Storage.readBytes("attachments", key);
        if (cache.size > 20) cache.clear();
        cache.set(key, content);
      }
      return { fileName: file.fileName, contentType: file.contentType, content };
    }),
  );
}

/** The files' link as the end of an email too big to carry them. */
export function linkBlock(link: string, files: FileInfo[]) {
  const names = files.map((file) => escapeHtml(file.fileName)).join(", ");
  return `<p style="margin-top:24px">📎 <a href="${escapeHtml(link)}">Pièces jointes / Attachments</a> (${names})</p>`;
}
