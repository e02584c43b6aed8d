import { type ChildProcess, fork } from "node:child_process";
import { interceptLocalhostDns } from "fauxqs";
import type { Cloud, CloudOptions } from "./cloud";

/** What the child says over IPC. */
export type CloudReport =
  | { type: "ready"; env: Record<string, string>; links: Cloud["links"]; pids: Cloud["pids"] }
  | { type: "failed"; error: string }
  | { type: "log"; line: string };

/** What the parent says over IPC. */
export type CloudCommand = { type: "start"; options: Omit<CloudOptions, "log"> } | { type: "stop" };

/**
 * `startCloud` in a Node process of its own (`cloud-child.ts`), reporting its endpoints over IPC. On AWS
 * the services are remote: a benchmark that hosts the emulators (the SMS emulator answering and
 * publishing its events, fauxqs, s3rver, SES) in the worker's process charges their CPU to the worker.
 * DynamoDB Local is the child's own child; the returned `Cloud` is the same as the in-process one.
 */
export async function startCloudProcess(options: CloudOptions): Promise<Cloud> {
  const log = options.log ?? (() => {});
  // The parent reaches S3 at <bucket>.s3.localhost too.
  interceptLocalhostDns();
  const child = fork(new URL("./cloud-child.ts", import.meta.url), [], {
    // The child runs TypeScript the way the parent does (tsx), whatever launched the parent.
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const ready = await new Promise<Extract<CloudReport, { type: "ready" }>>((resolve, reject) => {
    child.on("message", (report: CloudReport) => {
      if (report.type === "log") log(report.line);
      else if (report.type === "ready") resolve(report);
      else reject(new Error(`The local cloud did not start: ${report.error}`));
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`The local cloud process exited with ${code ?? signal} before it was ready`)),
    );
    const { log: _log, ...rest } = options;
    child.send({ type: "start", options: rest } satisfies CloudCommand);
  }).catch(async (error: unknown) => {
    await stopChild(child, exited);
    process.off("exit", killOnExit);
    throw error;
  });

  return {
    env: ready.env,
    links: ready.links,
    pids: ready.pids,
    async stop() {
      await stopChild(child, exited);
      process.off("exit", killOnExit);
    },
  };
}

/** Asks the child to stop its emulators (flushing what they persist); kills it if it does not. */
async function stopChild(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: "stop" } satisfies CloudCommand);
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
