// A local Amazon EventBridge Scheduler: the AWS API for @aws-sdk/client-scheduler (point it here with
// AWS_ENDPOINT_URL_SCHEDULER), a timer that delivers due schedules to SQS queues of the local SQS
// emulator, developer controls under /_emulator and a status page at /.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { EmulatorClock } from "./clock";
import { controlApi } from "./control-api";
import { Faults } from "./faults";
import { FiringEngine } from "./firing-engine";
import { schedulerApi } from "./scheduler-api";
import { SchedulerState } from "./scheduler-state";
import { SqsDelivery } from "./sqs-delivery";
import { readStateFile, StateFileWriter } from "./state-file";

export interface SchedulerEmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  region: string;
  accountId: string;
  /** The SQS emulator that target queue ARNs are resolved against. */
  sqsEndpoint: string;
  /** Keeps schedules, groups and pending retries in <dataDir>/scheduler-state.json across restarts. */
  dataDir?: string;
  /** How often due schedules are looked for; 250 ms by default. */
  tickMs?: number;
  /** First retry delay after a failed delivery, doubling each time (capped at a minute); 1 s by default. */
  retryBaseMs?: number;
}

export interface SchedulerEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startSchedulerEmulator(options: SchedulerEmulatorOptions): Promise<SchedulerEmulator> {
  const host = options.host ?? "127.0.0.1";
  const tickMs = options.tickMs ?? 250;
  const clock = new EmulatorClock();
  const state = new SchedulerState({ region: options.region, accountId: options.accountId }, clock.now());
  if (options.dataDir) {
    const saved = await readStateFile(options.dataDir);
    if (saved) state.restore(saved, clock.now());
  }
  const writer = options.dataDir ? new StateFileWriter(options.dataDir, () => state.snapshot()) : undefined;
  const changed = () => writer?.request();
  const faults = new Faults();
  const delivery = new SqsDelivery(options.sqsEndpoint);
  const engine = new FiringEngine({
    state,
    clock,
    faults,
    delivery,
    retryBaseMs: options.retryBaseMs ?? 1000,
    onChange: changed,
  });
  const tick = () => {
    try {
      engine.tick();
    } catch (error) {
      console.error("[scheduler] tick failed", error);
    }
  };

  const app = new Hono();
  app.route("/", controlApi({ state, clock, engine, faults, changed, tick }));
  app.route("/", schedulerApi({ state, clock, changed }, faults));
  app.notFound(
    (c) =>
      new Response(JSON.stringify({ message: `No operation for ${c.req.method} ${c.req.path}` }), {
        status: 404,
        headers: { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" },
      }),
  );

  const { server, port } = await listen(app, options.port, host);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = () => {
    tick();
    if (!stopped) timer = setTimeout(loop, tickMs);
  };
  // The first tick runs at once: schedules that came due while the emulator was down fire now.
  loop();

  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await engine.settle();
      await writer?.flush();
      delivery.destroy();
    },
  };
}

function listen(app: Hono, port: number, hostname: string) {
  return new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
    server.once("error", reject);
  });
}
