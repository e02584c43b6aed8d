/**
 * The security headers of every console and API response, served by CloudFront in AWS (stacks/Web.ts)
 * and by the local server (scripts/local/server.ts) alike, so the console is tested under the policy it
 * ships with. `storage` is the origin of the attachments bucket: uploads go there straight from the
 * browser (presigned POST) and the company logo is shown from a presigned URL.
 */
export function contentSecurityPolicy(storage: string) {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React's `style` props go through CSSOM (allowed); the rich-text editor's pasted markup may carry
    // inline styles, which are harmless once sanitised and would otherwise break its preview.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${storage}`,
    `connect-src 'self' ${storage}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers CloudFront's managed security policy does not cover, or covers less strictly. */
export const extraHeaders = {
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
} as const;

/** Everything the local server sets (CloudFront also adds HSTS on HTTPS, which plain-HTTP local skips). */
export function webHeaders(storage: string): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(storage),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    ...extraHeaders,
  };
}
