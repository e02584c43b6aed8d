import { AsyncLocalStorage } from "node:async_hooks";
import { VisibleError } from "./error";

export const roles = ["admin", "manager", "user"] as const;
export type Role = (typeof roles)[number];

export type Actor =
  | { type: "user"; companyId: string; userId: string; role: Role; agencyIds: string[]; name: string }
  | { type: "system"; companyId: string; reason: string }
  /** Someone signed in to the partner space (a code or a signed link): their own documents only. */
  | { type: "partner"; companyId: string; partnerId: string }
  /**
   * A call with an API key (core/apikey): it acts company-wide, as an Admin of no agency, on the routes
   * its scopes open (functions/api/key-scopes.ts refuses every other route). `userId` is `apikey:<keyId>`
   * and `name` « Clé API <name> », so whatever it creates or the audit log records names the key.
   */
  | {
      type: "apiKey";
      companyId: string;
      keyId: string;
      keyName: string;
      scopes: ApiKeyScope[];
      userId: string;
      role: "admin";
      agencyIds: string[];
      name: string;
    }
  /** A platform operator (core/operator): belongs to no company; reaches only /api/operator. */
  | { type: "operator"; operatorId: string; name: string }
  | { type: "public" };

export const apiKeyScopes = ["read", "send", "dossiers"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

type UserActor = Extract<Actor, { type: "user" }>;
/** The user an actor stands for: a user, or an API key seen as a company-wide Admin; else undefined. */
export function asUser(actor: Actor): UserActor | undefined {
  if (actor.type === "user") return actor;
  if (actor.type !== "apiKey") return undefined;
  const { companyId, userId, role, agencyIds, name } = actor;
  return { type: "user", companyId, userId, role, agencyIds, name };
}

const storage = new AsyncLocalStorage<Actor>();

export function withActor<T>(actor: Actor, run: () => T): T {
  return storage.run(actor, run);
}

export function useActor(): Actor {
  return storage.getStore() ?? { type: "public" };
}

/** Every tenant-scoped key starts with this; there is no other way to obtain a company id. */
export function useCompanyId(): string {
  const actor = useActor();
  if (actor.type === "public" || actor.type === "operator")
    throw new VisibleError("auth.required", "Authentication required", 401);
  return actor.companyId;
}

export function useUser(): UserActor {
  const user = asUser(useActor());
  if (!user) throw new VisibleError("auth.required", "Authentication required", 401);
  return user;
}

/** For verbs restricted by role; the matrix itself lives in core/access.ts. */
export function useRole(...allowed: Role[]) {
  const user = useUser();
  if (!allowed.includes(user.role))
    throw new VisibleError("auth.forbidden", "You are not allowed to do this", 403);
  return user;
}

/** The operator signed in (functions/api/operator-session.ts); everyone else is refused. */
export function useOperator() {
  const actor = useActor();
  if (actor.type !== "operator") throw new VisibleError("auth.required", "Please sign in", 401);
  return actor;
}

/** The partner signed in to the space; staff and public callers are refused. */
export function usePartner() {
  const actor = useActor();
  if (actor.type !== "partner") throw new VisibleError("auth.required", "Please sign in", 401);
  return actor;
}
