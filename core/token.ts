import { createHash, randomBytes } from "node:crypto";

/** A secret for links and cookies: 256 random bits, URL-safe. */
export const newToken = () => randomBytes(32).toString("base64url");

/** Only hashes are stored, so a copy of the table does not hand out live sessions or links. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Epoch seconds, as DynamoDB TTL wants them. */
export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
