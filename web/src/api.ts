import { type ClientResponse, hc, type InferResponseType } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { AppType } from "../../functions/api";

/**
 * Typed client over the API, the console's only way to it: every call's path, request and answer come
 * from `AppType` (`InferRequestType` / `InferResponseType`). Same origin: the API server (local) or
 * CloudFront (AWS) serves both.
 */
export const api = hc<AppType>("/", {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => apiFetch(input, init),
});

/**
 * The partner space's client (`/espace`): its own cookie and CSRF cookie (`relais_espace_csrf`), never
 * the staff session's, and no report to the console's session watcher — a 401 there means « sign in to
 * the space », not « back to the console's login ».
 */
export const spaceApi = hc<AppType>("/", {
  fetch: (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    if (mutating.has((init.method ?? "GET").toUpperCase())) {
      const token = cookie(spaceCsrfCookie);
      if (token) headers.set("x-csrf-token", token);
    }
    return fetch(input, { ...init, headers, credentials: "same-origin", cache: "no-store" });
  },
});

/**
 * The operator console's client (`/operateur`): its own cookies (`relais_operateur`, CSRF in
 * `relais_operateur_csrf`), and, like the partner space, no report to the staff session's watcher.
 */
export const operatorApi = hc<AppType>("/", {
  fetch: (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    if (mutating.has((init.method ?? "GET").toUpperCase())) {
      const token = cookie(operatorCsrfCookie);
      if (token) headers.set("x-csrf-token", token);
    }
    return fetch(input, { ...init, headers, credentials: "same-origin", cache: "no-store" });
  },
});

/** Admins get every dependency; everyone else only up or down (the public answer has no details). */
export type HealthDetails = InferResponseType<typeof api.api.health.details.$get, 200>;
export type Dependency = HealthDetails["dependencies"][number];
export type DependencyKind = Dependency["kind"];
export type HealthReport = { up: boolean; dependencies?: Dependency[] };

export type HealthResult =
  | { ok: true; report: HealthReport; status: number }
  | { ok: false; reason: { kind: "network" } | { kind: "http"; status: number } | { kind: "invalid" } };

function readReport(body: unknown): HealthReport | null {
  if (typeof body !== "object" || body === null) return null;
  const { status, dependencies } = body as Record<string, unknown>;
  if (status !== "up" && status !== "down") return null;
  return {
    up: status === "up",
    dependencies: Array.isArray(dependencies) ? (dependencies as Dependency[]) : undefined,
  };
}

/** The health report, read from 200 and 503 alike: a 503 still says (to Admins) which dependency is down. */
export async function fetchHealth(signal?: AbortSignal, detailed = false): Promise<HealthResult> {
  let response: Response;
  try {
    const init = { init: { signal, cache: "no-store" as const } };
    response = detailed
      ? await api.api.health.details.$get(undefined, init)
      : await api.api.health.$get(undefined, init);
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, reason: { kind: "network" } };
  }
  const body: unknown = await response.json().catch(() => undefined);
  const report = response.status === 200 || response.status === 503 ? readReport(body) : null;
  if (report) return { ok: true, report, status: response.status };
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

/* ---------- Transport: cookies, CSRF, errors, session signals ---------- */

/** The API's error body: `{ error: { code, message, fields?, requestId?, retryAfterSeconds? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: {
      fields?: { path: string; code?: string; message: string }[];
      requestId?: string;
      retryAfterSeconds?: number;
      /** `partner.exists`: the partner who already holds the matricule, mobile or email. */
      partnerId?: string;
    } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A request that never reached the API (offline, DNS, server down). */
export const networkErrorCode = "network";

const mutating = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const csrfCookie = "relais_csrf";
const spaceCsrfCookie = "relais_espace_csrf";
const operatorCsrfCookie = "relais_operateur_csrf";

function cookie(wanted: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === wanted) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** The double-submit token the API set in the readable `relais_csrf` cookie. */
export function csrfToken(): string | undefined {
  return cookie(csrfCookie);
}

export const apiPrefix = "/api/";

/** Answers that do not touch the session and so do not count as activity. */
export const outsideSession = [
  api.api.health.$path(),
  `${apiPrefix}public/`,
  api.api.auth.login.$path(),
  api.api.auth.logout.$path(),
  api.api.auth.password.forgot.$path(),
  api.api.auth.password.reset.$path(),
];

/** What every API answer tells the session: it arrived (activity), and with which status and error code. */
export type ApiSignal = { path: string; status: number; code?: string };
const signalListeners = new Set<(signal: ApiSignal) => void>();

export function onApiResponse(listener: (signal: ApiSignal) => void): () => void {
  signalListeners.add(listener);
  return () => signalListeners.delete(listener);
}

function emit(signal: ApiSignal) {
  for (const listener of signalListeners) listener(signal);
}

function pathOf(input: RequestInfo | URL): string {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return new URL(url, window.location.origin).pathname;
}

/**
 * The console's only way to the API: same-origin cookies, `x-csrf-token` on every mutating request, and
 * each answer reported to the session (idle deadline, 401 → login, 403 password change → change page).
 */
export async function apiFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const headers = new Headers(input instanceof Request ? input.headers : undefined);
  for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  if (mutating.has(method)) {
    const token = csrfToken();
    if (token) headers.set("x-csrf-token", token);
  }
  const response = await fetch(input, { ...init, method, headers, credentials: "same-origin" });
  let code: string | undefined;
  if (!response.ok) {
    const body = await errorBody(response.clone());
    code = body?.code;
  }
  emit({ path: pathOf(input), status: response.status, code });
  return response;
}

type ErrorBody = {
  code: string;
  message: string;
  fields?: { path: string; code?: string; message: string }[];
  requestId?: string;
  retryAfterSeconds?: number;
  partnerId?: string;
};

type Answer = Pick<Response, "status" | "headers" | "json">;

async function errorBody(response: Answer): Promise<ErrorBody | undefined> {
  const body: unknown = await response.json().catch(() => undefined);
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message } = error as Record<string, unknown>;
  if (typeof code !== "string") return undefined;
  return { ...(error as ErrorBody), message: typeof message === "string" ? message : code };
}

/** Turns a non-2xx answer into an `ApiError`, reading `Retry-After` when the body does not say. */
export async function toApiError(response: Answer): Promise<ApiError> {
  const body = await errorBody(response);
  const retryHeader = Number(response.headers.get("retry-after"));
  const retryAfterSeconds =
    body?.retryAfterSeconds ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined);
  return new ApiError(response.status, body?.code ?? `http.${response.status}`, body?.message ?? "", {
    fields: body?.fields,
    requestId: body?.requestId ?? response.headers.get("x-request-id") ?? undefined,
    retryAfterSeconds,
    partnerId: typeof body?.partnerId === "string" ? body.partnerId : undefined,
  });
}

type SuccessOf<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatusCode ? T : never) : never;

/**
 * Awaits a typed `hc` call and returns its success body (typed from `AppType`), or throws an `ApiError`
 * for any other status; 204 resolves to `undefined`.
 */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(
  call: Promise<R>,
): Promise<SuccessOf<R>> {
  let response: R;
  try {
    response = await call;
  } catch {
    throw new ApiError(0, networkErrorCode, "Network error");
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as SuccessOf<R>;
  return (await response.json()) as SuccessOf<R>;
}

/**
 * Downloads what a GET answers (a GDPR export, a workbook, a report) as a file, through `apiFetch` so the
 * session sees the activity and errors arrive as `ApiError` rather than as a broken download. `path`
 * comes from a typed route's `$path()`, never written by hand.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await apiFetch(path, { cache: "no-store", headers: { accept: "*/*" } });
  } catch {
    throw new ApiError(0, networkErrorCode, "Network error");
  }
  if (!response.ok) throw await toApiError(response);
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = name;
  anchor.style.display = "none";
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** `$path()`'s query without empty values (an unset filter is left out, not sent as `?q=`). */
export function filled<T extends Record<string, string | undefined>>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== ""),
  ) as Partial<T>;
}
