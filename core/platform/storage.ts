import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { config } from "../config";
import { s3 } from "./clients/s3";

export type Bucket = "attachments" | "vault";

const bucketName = (bucket: Bucket) =>
  bucket === "attachments" ? config("ATTACHMENTS_BUCKET") : config("VAULT_BUCKET");

export async function put(bucket: Bucket, key: string, body: Uint8Array | string, contentType: string) {
  await s3().send(
    new PutObjectCommand({ Bucket: bucketName(bucket), Key: key, Body: body, ContentType: contentType }),
  );
}

/** A file on disk, streamed (a large export never sits in memory). */
export async function putFile(bucket: Bucket, key: string, path: string, contentType: string) {
  const { size } = await stat(path);
  await s3().send(
    new PutObjectCommand({
      Bucket: bucketName(bucket),
      Key: key,
      Body: createReadStream(path),
      ContentLength: size,
      ContentType: contentType,
    }),
  );
}

export async function read(bucket: Bucket, key: string) {
  const result = await s3().send(new GetObjectCommand({ Bucket: bucketName(bucket), Key: key }));
  if (!result.Body) throw new Error(`Empty object ${key}`);
  return result.Body;
}

/** A whole object in memory: for files known to be small (attachments, emails, user lists). */
export async function readBytes(bucket: Bucket, key: string) {
  return (await read(bucket, key)).transformToByteArray();
}

/** The first `bytes` of an object (ranged GET): enough to check what a file really is. */
export async function readHead(bucket: Bucket, key: string, bytes: number) {
  const result = await s3().send(
    new GetObjectCommand({ Bucket: bucketName(bucket), Key: key, Range: `bytes=0-${bytes - 1}` }),
  );
  if (!result.Body) return new Uint8Array();
  return result.Body.transformToByteArray();
}

/** Browser uploads go straight to S3; the size limit is enforced by S3, not by trusting the client. */
export async function presignUpload(
  bucket: Bucket,
  key: string,
  options: { maxBytes: number; expiresIn?: number; contentType?: string },
) {
  // Signers load on first use: most functions that store files never presign (smaller cold starts).
  const { createPresignedPost } = await import("@aws-sdk/s3-presigned-post");
  return createPresignedPost(s3(), {
    Bucket: bucketName(bucket),
    Key: key,
    Fields: options.contentType ? { "Content-Type": options.contentType } : undefined,
    Conditions: [
      ["content-length-range", 1, options.maxBytes],
      ...(options.contentType ? [{ "Content-Type": options.contentType }] : []),
    ],
    Expires: options.expiresIn ?? 900,
  });
}

export async function presignDownload(
  bucket: Bucket,
  key: string,
  options: { fileName?: string; contentType?: string; expiresIn?: number },
) {
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  return getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: bucketName(bucket),
      Key: key,
      ResponseContentDisposition: options.fileName
        ? `attachment; filename*=UTF-8''${encodeURIComponent(options.fileName)}`
        : undefined,
      ResponseContentType: options.contentType,
    }),
    { expiresIn: options.expiresIn ?? 900 },
  );
}

export async function probe(bucket: Bucket) {
  await s3().send(new HeadBucketCommand({ Bucket: bucketName(bucket) }));
  return {};
}

/** S3's "no such object": the only failure callers may read as "not uploaded"; a throttle or a 5xx is not one. */
export function isMissing(error: unknown) {
  return error instanceof Error && /^(NoSuchKey|NotFound)$/.test(error.name);
}

export async function size(bucket: Bucket, key: string) {
  const head = await s3().send(new HeadObjectCommand({ Bucket: bucketName(bucket), Key: key }));
  return head.ContentLength ?? 0;
}

export async function remove(bucket: Bucket, key: string) {
  await s3().send(new DeleteObjectCommand({ Bucket: bucketName(bucket), Key: key }));
}

/** Every key under `prefix`, a page (≤ 1,000) at a time. */
export async function* keysUnder(bucket: Bucket, prefix: string) {
  let token: string | undefined;
  do {
    const page = await s3().send(
      new ListObjectsV2Command({ Bucket: bucketName(bucket), Prefix: prefix, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    if (keys.length > 0) yield keys;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Deletes up to 1,000 keys in one request; a key S3 could not delete throws (the caller runs again). */
export async function removeMany(bucket: Bucket, keys: string[]) {
  if (keys.length === 0) return;
  const result = await s3().send(
    new DeleteObjectsCommand({
      Bucket: bucketName(bucket),
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
    }),
  );
  const failed = result.Errors ?? [];
  if (failed.length > 0)
    throw new Error(`S3 kept ${failed.length} object(s): ${failed[0]?.Key} ${failed[0]?.Code ?? ""}`);
}
