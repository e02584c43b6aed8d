import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { resetConfig } from "../../core/config";
import { type Ports, startCloud } from "./cloud";
import { startCloudProcess } from "./cloud-process";
import { eventMappings, eventsRoutes, startStreamPoller } from "./events";
import { startPollers } from "./pollers";
import { provision } from "./provision";
import { startSesEvents } from "./ses-events";

export const root = resolve(import.meta.dirname, "../..");

/**
 * The whole product on one machine: emulated AWS, provisioned like the stacks, seeded, with the SQS
 * pollers invoking the production handlers and the API + console on one port.
 */
export async function startLocal(options: {
  dataDir?: string;
  port: number;
  ports?: Partial<Ports>;
  log?: (line: string) => void;
  pollers?: Pick<Parameters<typeof startPollers>[0], "concurrency" | "sqs">;
  /** Benchmarks need no console. */
  serve?: boolean;
  /**
   * "process": the emulated AWS services run in a child process, as AWS runs apart from a Lambda, so
   * this process spends its CPU on the pollers and handlers alone (the dispatch benchmark). Default: here.
   */
  cloud?: "here" | "process";
  /**
   * Publish SES's delivery events for what the mailbox receives (ses-events.ts), as a configuration set
   * does on AWS. Off in tests, which play SES events themselves and check the statuses in between.
   */
  sesEvents?: boolean;
}) {
  const log = options.log ?? (() => {});
  const start = options.cloud === "process" ? startCloudProcess : startCloud;
  const cloud = await start({ dataDir: options.dataDir, ports: options.ports, log });
  try {
    Object.assign(process.env, cloud.env);
    const publicUrl = `http://localhost:${options.port}`;
    const provisioned = await provision(cloud.env, publicUrl);
    const appEnv = { ...provisioned.env, SIGNATURE_SECRET: await signatureSecret(options.dataDir) };
    Object.assign(process.env, appEnv);
    resetConfig();
    // Application modules read their settings when loaded, as on a Lambda cold start: load them only now.
    const { demoLogin, operatorLogin, seed, seedOperator } = await import("./seed");
    const { startServer } = await import("./server");
    const login = demoLogin();
    const seeded = await seed(login);
    const operator = await seedOperator(operatorLogin());
    // Local only: `npm run operator:code` reads the secret here to print the current code.
    if (options.dataDir) {
      await mkdir(options.dataDir, { recursive: true });
      await writeFile(
        join(options.dataDir, "operator.json"),
        JSON.stringify({ email: operator.email, secret: operator.secret }),
        { mode: 0o600 },
      );
    }
    const pollers = startPollers({
      root,
      queueUrls: provisioned.queueUrls,
      log,
      extra: eventMappings(provisioned.events),
      ...options.pollers,
    });
    // Local queues do not survive a restart, the table does: the sweeper drives again whatever it shows
    // unfinished, and from now on every five minutes (core/sweep).
    const { scheduleAndSweepAfterRestart } = await import("../../core/sweep/sweep");
    await scheduleAndSweepAfterRestart();
    const { scheduleRetention } = await import("../../core/vault/retention");
    await scheduleRetention();
    const { scheduleTick } = await import("../../core/reminder/fire");
    await scheduleTick();
    const stream = startStreamPoller({
      root,
      tableName: provisioned.env.TABLE_NAME,
      dataDir: options.dataDir,
      onFailureQueueUrl: provisioned.events.publisherDlqUrl,
      log,
    });
    const sesEvents = options.sesEvents
      ? startSesEvents({
          mailboxUrl: cloud.links.mailbox,
          topicArn: provisioned.env.EMAIL_EVENTS_TOPIC_ARN,
          log,
        })
      : { stop: async () => {} };
    const server =
      options.serve === false
        ? { url: publicUrl, stop: async () => {} }
        : await startServer({ root, port: options.port, links: cloud.links, events: eventsRoutes(stream) });
    return {
      url: server.url,
      links: cloud.links,
      pids: cloud.pids,
      login,
      /** The local operator (/operateur): login, TOTP secret and its otpauth URI. */
      operator,
      /** The demo recruitment campaign's public form. */
      applyUrl: seeded.applyUrl,
      env: { ...cloud.env, ...appEnv },
      queueUrls: provisioned.queueUrls,
      pollers,
      async stop() {
        await server.stop();
        await sesEvents.stop();
        await stream.stop();
        await pollers.stop();
        await cloud.stop();
      },
    };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}

export const defaultDataDir = join(root, ".local");

/**
 * The key certificates are encrypted with: kept in the data directory so that the certificates stored
 * there open after a restart; a fresh one for a run without data (the tests).
 */
async function signatureSecret(dataDir: string | undefined): Promise<string> {
  if (!dataDir) return randomBytes(32).toString("base64url");
  const path = join(dataDir, "signature-secret");
  const saved = await readFile(path, "utf8").catch(() => "");
  if (saved.trim().length >= 32) return saved.trim();
  const secret = randomBytes(32).toString("base64url");
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, secret, { mode: 0o600 });
  return secret;
}
