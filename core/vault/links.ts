import { randomBytes } from "node:crypto";
import { ulid } from "ulid";
import { config } from "../config";
import { countIf } from "../db";
import { epochSeconds, hashToken } from "../token";
import { LinkEntity } from "./vault.entity";

/**
 * Signed links (`/l/{token}`): 128 random bits, base64url (22 characters, short enough for an SMS); only
 * the hash is stored. Every resolution, valid or not, is the same single conditional write, so an unknown,
 * expired, revoked, used-up or malformed token costs the same time and gets the same answer.
 */
export const tokenPattern = /^[A-Za-z0-9_-]{22}$/;
export const defaultDays = 30;
/** TTL removes a link this long after it stops working; until then its history reads « expiré ». */
const keepSeconds = 30 * 86_400;

export const urlOf = (token: string) => `${config("PUBLIC_URL")}/l/${token}`;
export const placeholderUrl = () => urlOf("x".repeat(22));

export function newLink(input: {
  companyId: string;
  partnerId: string;
  documentIds: string[];
  days: number;
  maxUses?: number;
  createdBy?: string;
  now?: Date;
}) {
  const token = randomBytes(16).toString("base64url");
  const now = input.now ?? new Date();
  const validUntil = epochSeconds(now) + input.days * 86_400;
  const item = {
    tokenHash: hashToken(token),
    linkId: ulid(now.getTime()),
    companyId: input.companyId,
    partnerId: input.partnerId,
    documentIds: input.documentIds,
    validUntil,
    maxUses: input.maxUses,
    uses: 0,
    createdBy: input.createdBy,
    createdAt: now.toISOString(),
    expiresAt: validUntil + keepSeconds,
  };
  return { token, url: urlOf(token), item, linkId: item.linkId };
}

export type Opened = { linkId: string; companyId: string; partnerId: string; documentIds: string[] };

/** A well-formed token nobody holds: what a malformed one is looked up as, so it costs the same. */
const decoy = hashToken("decoy-token-never-issued");

/**
 * Counts one use of the link if it is alive (exists, not revoked, not expired, uses left), in one
 * conditional update; undefined otherwise, whatever the reason.
 */
export async function use(token: string, now = new Date()): Promise<Opened | undefined> {
  const tokenHash = tokenPattern.test(token) ? hashToken(token) : decoy;
  const key = LinkEntity.get({ tokenHash }).params() as { Key: Record<string, string> };
  const item = await countIf<Opened>(
    key.Key,
    "uses",
    {
      expression:
        "attribute_exists(#pk) AND attribute_not_exists(#revoked) AND #until > :epoch AND (attribute_not_exists(#max) OR #uses < #max)",
      names: {
        "#pk": "pk",
        "#uses": "uses",
        "#revoked": "revokedAt",
        "#until": "validUntil",
        "#max": "maxUses",
      },
      values: { ":epoch": epochSeconds(now) },
    },
    { lastUsedAt: now.toISOString() },
  );
  if (!item) return undefined;
  return {
    linkId: item.linkId,
    companyId: item.companyId,
    partnerId: item.partnerId,
    documentIds: item.documentIds,
  };
}

export const Link = {
  status(link: { validUntil: number; revokedAt?: string; maxUses?: number; uses: number }, now = new Date()) {
    if (link.revokedAt) return "revoked" as const;
    if (link.validUntil <= epochSeconds(now)) return "expired" as const;
    if (link.maxUses !== undefined && link.uses >= link.maxUses) return "used_up" as const;
    return "active" as const;
  },
};
