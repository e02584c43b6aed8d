import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/** What the runtimes put in Hono's env: the Lambda adapter's event, or the node server's request. */
type Runtime = {
  requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } };
  incoming?: Pick<IncomingMessage, "socket">;
};

/**
 * The caller's address, for rate limits and the audit log: never a header the client writes
 * (X-Forwarded-For's first entry is whatever the client sent).
 * - Lambda: CloudFront's `CloudFront-Viewer-Address` (`ip:port`), which CloudFront sets on every request it
 *   forwards to the API (stacks/Web.ts, origin request policy ALL_VIEWER_EXCEPT_HOST_HEADER); else API
 *   Gateway's `sourceIp`, the TCP peer (CloudFront's edge when it is in front).
 * - Node server (`npm start`, tests): the socket's remote address.
 */
export function clientIp(c: Context): string | undefined {
  const runtime = (c.env ?? {}) as Runtime;
  if (runtime.requestContext) {
    const viewer = c.req.header("cloudfront-viewer-address");
    return (
      (viewer ? viewerIp(viewer) : undefined) ||
      runtime.requestContext.http?.sourceIp ||
      runtime.requestContext.identity?.sourceIp
    );
  }
  return runtime.incoming?.socket?.remoteAddress || undefined;
}

/** `203.0.113.7:46532` → `203.0.113.7`; `2001:db8::1:46532` → `2001:db8::1` (the port is always last). */
export function viewerIp(header: string): string | undefined {
  const value = header.trim();
  const colon = value.lastIndexOf(":");
  const ip = colon > 0 ? value.slice(0, colon) : value;
  return /^[0-9a-f.:]+$/i.test(ip) ? ip : undefined;
}
