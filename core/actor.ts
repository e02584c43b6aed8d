import { AsyncLocalStorage } from "node:async_hooks";
import { VisibleError } from "./error";

export const roles = ["admin", "manager", "user"] as const;
export type Role = (typeof roles)[number];

export type Actor =
  | { type: "user"; companyId: string; userId: string; role: Role; agencyIds: string[]; name: string }
  | { type: "system"; companyId: string; reason: string }
  /** Someone signed in to the partner space (a code or a signed link): their own documents only. */
  | { type: "partner"; companyId: string; partnerId: string }
  | { type: "public" };

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
  if (actor.type === "public") throw new VisibleError("auth.required", "Authentication required", 401);
  return actor.companyId;
}

export function useUser() {
  const actor = useActor();
  if (actor.type !== "user") throw new VisibleError("auth.required", "Authentication required", 401);
  return actor;
}

/** For verbs restricted by role; the matrix itself lives in core/access.ts. */
export function useRole(...allowed: Role[]) {
  const user = useUser();
  if (!allowed.includes(user.role))
    throw new VisibleError("auth.forbidden", "You are not allowed to do this", 403);
  return user;
}

/** The partner signed in to the space; staff and public callers are refused. */
export function usePartner() {
  const actor = useActor();
  if (actor.type !== "partner") throw new VisibleError("auth.required", "Please sign in", 401);
  return actor;
}
