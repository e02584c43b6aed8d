import { join } from "node:path";
import { build } from "vite";
import { freePort } from "./ports";
import { root, startLocal } from "./runtime";

/**
 * vitest globalSetup: one local cloud for the whole run, in memory, on free ports. Its settings go into
 * process.env before the test workers start, so tests use the same config path as production.
 */
export default async function setup() {
  // SKIP_WEB_BUILD=1 reuses web/dist when iterating on server code alone.
  if (!process.env.SKIP_WEB_BUILD)
    await build({ configFile: join(root, "web/vite.config.ts"), logLevel: "error" });
  // Webhook tests run receivers on this machine (core/webhook/webhook.test.ts); never set on AWS.
  process.env.WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
  const local = await startLocal({ port: await freePort() });
  Object.assign(process.env, local.env, { LOCAL_URL: local.url, WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
  return async () => {
    await local.stop();
  };
}
