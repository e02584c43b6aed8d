import { hc, type InferResponseType } from "hono/client";
import type { AppType } from "../../functions/api";

/** Typed client over the API. Same origin: the API server (local) or CloudFront (AWS) serves both. */
export const api = hc<AppType>("/");

export type HealthReport = InferResponseType<typeof api.api.health.$get>;
export type Dependency = HealthReport["dependencies"][number];
export type DependencyKind = Dependency["kind"];

export type HealthResult =
  | { ok: true; report: HealthReport; status: number }
  | { ok: false; reason: { kind: "network" } | { kind: "http"; status: number } | { kind: "invalid" } };

function isReport(body: unknown): body is HealthReport {
  if (typeof body !== "object" || body === null) return false;
  const { up, dependencies } = body as Record<string, unknown>;
  return typeof up === "boolean" && Array.isArray(dependencies);
}

/** The health report, read from 200 and 503 alike: a 503 still says which dependency is down. */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthResult> {
  let response: Response;
  try {
    response = await api.api.health.$get(undefined, { init: { signal, cache: "no-store" } });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, reason: { kind: "network" } };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (isReport(body)) return { ok: true, report: body, status: response.status };
  if (response.status !== 200 && response.status !== 503) {
    return { ok: false, reason: { kind: "http", status: response.status } };
  }
  return { ok: false, reason: { kind: "invalid" } };
}

export type LocalLinks = { mailbox: string; phone: string; schedules: string };

function isLocalLinks(body: unknown): body is LocalLinks {
  if (typeof body !== "object" || body === null) return false;
  const links = body as Record<string, unknown>;
  return ["mailbox", "phone", "schedules"].every((key) => typeof links[key] === "string");
}

/** Links to the local emulators; `null` outside local mode, where `/local/links.json` answers 404. */
export async function fetchLocalLinks(signal?: AbortSignal): Promise<LocalLinks | null> {
  try {
    const response = await fetch("/local/links.json", { signal, headers: { accept: "application/json" } });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    return isLocalLinks(body) ? body : null;
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

export type LoginInput = { companyCode: string; email: string; password: string };

export type LoginResult =
  | { kind: "ok" }
  | { kind: "not-available" }
  | { kind: "invalid-credentials" }
  | { kind: "too-many-attempts" }
  | { kind: "network" }
  | { kind: "failed"; requestId?: string };

/**
 * `POST /api/auth/login`. The route is not part of `AppType` yet (authentication arrives in a later
 * issue), so this goes through plain fetch; swap it for `api.api.auth.login.$post` once it exists.
 */
export async function login(input: LoginInput): Promise<LoginResult> {
  let response: Response;
  try {
    response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(input),
    });
  } catch {
    return { kind: "network" };
  }
  if (response.ok) return { kind: "ok" };
  if (response.status === 404) return { kind: "not-available" };
  if (response.status === 401 || response.status === 403) {
    return { kind: "invalid-credentials" };
  }
  if (response.status === 429) return { kind: "too-many-attempts" };
  const body: unknown = await response.json().catch(() => undefined);
  const requestId =
    typeof body === "object" && body !== null && "error" in body
      ? (body.error as { requestId?: unknown }).requestId
      : undefined;
  return { kind: "failed", requestId: typeof requestId === "string" ? requestId : undefined };
}
