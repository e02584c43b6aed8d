/**
 * The extension's client of the Relais API: tokens in chrome.storage.session (extension pages only,
 * gone with the browser), `Authorization: Bearer`, never a cookie (`credentials: "omit"`). An access
 * token about to expire is renewed first; one refresh at a time, since a refresh token used twice ends
 * the sign-in.
 */
declare const __CONSOLE_URL__: string;
export const consoleUrl: string = __CONSOLE_URL__;

export type User = { firstName: string; lastName: string; language: "fr" | "en"; agencyIds: string[] };
export type Tokens = {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: User;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const key = "relais.tokens";

export async function stored(): Promise<Tokens | undefined> {
  const found = await chrome.storage.session.get(key);
  return found[key] as Tokens | undefined;
}

const save = async (tokens: Tokens) => {
  await chrome.storage.session.set({ [key]: tokens });
  return tokens;
};
const clear = () => chrome.storage.session.remove(key);

async function raw<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(new URL(path, consoleUrl), {
    method,
    credentials: "omit",
    cache: "no-store",
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "request.failed",
      error?.message ?? response.statusText,
    );
  }
  return json as T;
}

export const signIn = async (credentials: { companyCode: string; email: string; password: string }) =>
  save(await raw<Tokens>("POST", "/api/extension/auth/login", credentials));

let refreshing: Promise<Tokens> | undefined;
function renew(tokens: Tokens) {
  refreshing ??= raw<Tokens>("POST", "/api/extension/auth/refresh", { refreshToken: tokens.refreshToken })
    .then(save)
    .catch(async (error: unknown) => {
      await clear();
      throw error;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/** A call as the signed-in user; 401 once the sign-in has ended (the panel then shows the form). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let tokens = await stored();
  if (!tokens) throw new ApiError(401, "auth.required", "Please sign in");
  if (Date.parse(tokens.accessExpiresAt) - Date.now() < 30_000) tokens = await renew(tokens);
  try {
    return await raw<T>(method, path, body, tokens.accessToken);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (error.code !== "auth.session_expired") {
      await clear();
      throw error;
    }
    tokens = await renew(tokens);
    return raw<T>(method, path, body, tokens.accessToken);
  }
}

export async function signOut() {
  const tokens = await stored();
  await clear();
  if (tokens)
    await raw("POST", "/api/extension/auth/logout", { refreshToken: tokens.refreshToken }).catch(() => {});
}
