import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { bareHost, check, type Resolver, systemResolver } from "./address";

export type Outcome = { ok: boolean; status?: number; durationMs: number; error?: string };

export const timeoutMs = 10_000;

/**
 * POSTs `body` to `url` once. The host is resolved and checked here (address.ts), then the socket is
 * pinned to the checked address through a `lookup` that answers only it: a DNS answer changing between
 * check and connect (rebinding) cannot redirect us. TLS keeps the name (SNI, certificate, Host). A 3xx is
 * a failure: redirects are never followed. Never throws.
 */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowHosts: readonly string[]; resolve?: Resolver; timeoutMs?: number },
): Promise<Outcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, durationMs: 0, error: "Invalid URL" };
  }
  let pinned: { address: string; family: 4 | 6 };
  try {
    const [first] = await check(target, options.allowHosts, options.resolve ?? systemResolver);
    if (!first) throw new Error("no address");
    pinned = first;
  } catch (error) {
    return {
      ok: false,
      durationMs: elapsed(),
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const secure = target.protocol === "https:";
  const host = bareHost(target.hostname);
  const limit = options.timeoutMs ?? timeoutMs;
  return new Promise<Outcome>((settle) => {
    // `timeout` below fires only when the socket idles: a receiver trickling bytes would outlast it. This
    // bounds the whole attempt, connection to last byte.
    const deadline = setTimeout(
      () => request.destroy(new Error(`No answer within ${limit / 1000} s`)),
      limit,
    );
    const resolve = (outcome: Outcome) => {
      clearTimeout(deadline);
      settle(outcome);
    };
    const request = (secure ? https : http).request(
      {
        protocol: target.protocol,
        hostname: host,
        port: target.port || (secure ? 443 : 80),
        path: `${target.pathname}${target.search}`,
        method: "POST",
        lookup,
        agent: false,
        ...(secure && !isIP(host) ? { servername: host } : {}),
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Relais-Webhooks/1",
        },
        timeout: limit,
      },
      (response) => {
        // The answer's body is not ours to keep: drained and dropped.
        response.resume();
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const error = ok
            ? undefined
            : status >= 300 && status < 400
              ? `Redirect (${status}) not followed`
              : `HTTP ${status}`;
          resolve({ ok, status, durationMs: elapsed(), error });
        });
        response.on("error", () => resolve({ ok: false, durationMs: elapsed(), error: "Response aborted" }));
      },
    );
    request.setTimeout(limit, () => request.destroy(new Error(`No answer within ${limit / 1000} s`)));
    request.on("error", (error) => resolve({ ok: false, durationMs: elapsed(), error: error.message }));
    request.end(body);
  });
}
