import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { join, relative } from "node:path";
import { type HttpBindings, serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { webHeaders } from "../../core/web-headers";
import { app as api } from "../../functions/api";
import type { Cloud } from "./cloud";
import { type IncomingEmail, receiveEmail, replyToLatest } from "./mail-inbound";

/**
 * One origin for the console and its API, as CloudFront serves them in AWS: /api/* is the Hono app the
 * Lambda runs, /local/links.json lists the emulators' pages, everything else is the built console.
 */
export async function startServer(options: {
  root: string;
  port: number;
  links: Cloud["links"];
  /** `/local/events/*`: the stream mapping's fault injection (scripts/local/events.ts). */
  events?: Hono;
}) {
  const webDist = join(options.root, "web", "dist");
  const staticRoot = relative(process.cwd(), webDist) || ".";
  const site = new Hono<{ Bindings: HttpBindings }>();
  // The headers CloudFront adds in AWS (stacks/Web.ts), so the console runs here under its real policy.
  const headers = webHeaders(storageOrigin(process.env.AWS_ENDPOINT_URL_S3));
  site.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  });
  site.get("/local/links.json", (c) => c.json(options.links));
  // SES email receiving, emulated: a reply typed on the local tools page reaches the app as on AWS.
  site.post("/local/inbound-email", async (c) => {
    const body = (await c.req.json()) as Partial<IncomingEmail>;
    if (!body?.from || typeof body.text !== "string")
      return c.json({ error: { code: "request.invalid", message: "from and text are required" } }, 400);
    // Without `to`: answer the newest email sent to `from`, as its mail client would.
    const received = body.to
      ? await receiveEmail(body as IncomingEmail)
      : await replyToLatest({ from: body.from, text: body.text });
    if (!received)
      return c.json({ error: { code: "local.no_email", message: `No email was sent to ${body.from}` } }, 404);
    return c.json(received, 202);
  });
  if (options.events) site.route("/local/events", options.events);
  site.route("/", api);
  site.use("/*", serveStatic({ root: staticRoot }));
  // Client-side routes (/login, /dev…) all load the console's index.html.
  site.get("*", serveStatic({ root: staticRoot, path: "index.html" }));

  if (!existsSync(join(webDist, "index.html"))) {
    throw new Error(`The console is not built (${webDist}); run npm run build:web`);
  }
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: site.fetch, port: options.port, hostname: "127.0.0.1" }, () =>
      resolve(started as Server),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Buckets are virtual hosts of the S3 endpoint (`<bucket>.s3.localhost:<port>`). */
function storageOrigin(endpoint: string | undefined) {
  if (!endpoint) return "";
  const url = new URL(endpoint);
  return `${url.protocol}//*.${url.host}`;
}
