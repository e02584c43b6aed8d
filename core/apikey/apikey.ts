import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import * as z from "zod";
import { type Actor, type ApiKeyScope, apiKeyScopes, useActor, useCompanyId } from "../actor";
import { Audit } from "../audit";
import { assertOpen } from "../company/state";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { epochSeconds } from "../token";
import { ApiKeyEntity, ApiKeyRateEntity } from "./apikey.entity";

export const Scope = z.enum(apiKeyScopes);
export type Scope = ApiKeyScope;

export const Info = z.object({
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(Scope),
  createdAt: z.string(),
  createdByName: z.string(),
  lastUsedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  revokedByName: z.string().optional(),
});
export type Info = z.infer<typeof Info>;

export const NewKey = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(Scope).min(1).max(apiKeyScopes.length),
});

/** Calls a key may make per minute. */
export const perMinute = 60;
const prefix = "rk_live_";
/** `rk_live_<keyId>_<secret>`: a ULID, then 256 random bits in base64url (43 characters, `_` and `-` allowed). */
const Token = /^rk_live_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** Keys are managed by a signed-in Admin; a key itself never manages keys. */
function useAdmin() {
  const actor = useActor();
  if (actor.type !== "user" || actor.role !== "admin")
    throw new VisibleError("auth.forbidden", "Only an Admin manages API keys", 403);
  return actor;
}

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof ApiKeyEntity.get>["go"]>>["data"]>;
const toInfo = (row: Row): Info => ({
  keyId: row.keyId,
  name: row.name,
  scopes: Scope.array().parse([...row.scopes].sort()),
  createdAt: row.createdAt,
  createdByName: row.createdByName,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  revokedByName: row.revokedByName,
});

/** A new key: the whole key is returned here only; the table keeps the hash of its secret. */
export const create = fn(NewKey, async (input) => {
  const actor = useAdmin();
  const keyId = ulid();
  const secret = randomBytes(32).toString("base64url");
  const scopes = [...new Set(input.scopes)];
  const { data } = await ApiKeyEntity.create({
    keyId,
    companyId: actor.companyId,
    name: input.name,
    scopes,
    secretHash: sha256(secret).toString("base64url"),
    createdBy: actor.userId,
    createdByName: actor.name,
    createdAt: new Date().toISOString(),
  }).go();
  await Audit.record("apikey.created", {
    target: { type: "apiKey", id: keyId, label: input.name },
    details: { scopes },
  });
  return { key: `${prefix}${keyId}_${secret}`, info: toInfo(data as Row) };
});

/** The company's keys, newest first, revoked ones included; never a secret nor its hash. */
export async function list(): Promise<Info[]> {
  useAdmin();
  const { data } = await ApiKeyEntity.query.byCompany({ companyId: useCompanyId() }).go({ pages: "all" });
  return data.map((row) => toInfo(row as Row)).reverse();
}

const notFound = () => new VisibleError("apikey.not_found", "API key not found", 404);

/** Revoked at once: the next call with it reads the row consistently and is refused (401). */
export async function revoke(keyId: string) {
  const actor = useAdmin();
  const { data } = await ApiKeyEntity.get({ keyId }).go({ consistent: true });
  if (!data || data.companyId !== actor.companyId) throw notFound();
  if (data.revokedAt) return toInfo(data);
  const { data: updated } = await ApiKeyEntity.patch({ keyId })
    .set({ revokedAt: new Date().toISOString(), revokedByName: actor.name })
    .go({ response: "all_new" });
  await Audit.record("apikey.revoked", { target: { type: "apiKey", id: keyId, label: data.name } });
  return toInfo(updated as Row);
}

const invalid = () => new VisibleError("apikey.invalid", "Unknown or revoked API key", 401);

/**
 * The actor of a call bearing `token`: one consistent read by key id, the secret's hash compared in
 * constant time. Unknown, malformed and revoked keys get the same 401.
 */
export async function authenticate(token: string): Promise<Extract<Actor, { type: "apiKey" }>> {
  const match = Token.exec(token.trim());
  if (!match?.[1] || !match[2]) throw invalid();
  const keyId = match[1];
  const { data } = await ApiKeyEntity.get({ keyId }).go({ consistent: true });
  const expected = data ? Buffer.from(data.secretHash, "base64url") : sha256("");
  const equal = timingSafeEqual(sha256(match[2]), expected);
  if (!data || !equal || data.revokedAt) throw invalid();
  await assertOpen(data.companyId);
  return {
    type: "apiKey",
    companyId: data.companyId,
    keyId,
    keyName: data.name,
    scopes: Scope.array().parse([...data.scopes]),
    userId: `apikey:${keyId}`,
    role: "admin",
    agencyIds: [],
    name: `Clé API ${data.name}`,
  };
}

/**
 * Counts the call in the key's current minute (one atomic ADD) and refuses it past `perMinute`, with the
 * seconds until the next minute. The first call of a minute also stamps the key's « dernière utilisation ».
 */
export async function countCall(actor: { companyId: string; keyId: string }, now = new Date()) {
  const minute = Math.floor(now.getTime() / 60_000);
  const { data } = await ApiKeyRateEntity.update({
    companyId: actor.companyId,
    keyId: actor.keyId,
    minute: String(minute),
  })
    .add({ calls: 1 })
    .set({ expiresAt: epochSeconds(new Date((minute + 2) * 60_000)) })
    .go({ response: "updated_new" });
  const calls = data.calls ?? 0;
  if (calls === 1)
    await ApiKeyEntity.patch({ keyId: actor.keyId }).set({ lastUsedAt: now.toISOString() }).go();
  if (calls > perMinute) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now.getTime()) / 1000));
    throw new VisibleError(
      "apikey.rate_limited",
      `Too many calls with this key (${perMinute} a minute)`,
      429,
      { retryAfterSeconds },
    );
  }
}
