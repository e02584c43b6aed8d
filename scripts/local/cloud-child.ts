import { type Cloud, startCloud } from "./cloud";
import type { CloudCommand, CloudReport } from "./cloud-process";

/** The process `startCloudProcess` forks: starts the local cloud when asked, stops it when asked or orphaned. */
const report = (message: CloudReport) => process.send?.(message);
let cloud: Cloud | undefined;
let stopping = false;

async function stop() {
  if (stopping) return;
  stopping = true;
  await cloud?.stop();
  process.exit(0);
}

process.on("message", async (command: CloudCommand) => {
  if (command.type === "stop") return stop();
  try {
    cloud = await startCloud({ ...command.options, log: (line) => report({ type: "log", line }) });
    report({ type: "ready", env: cloud.env, links: cloud.links, pids: cloud.pids });
  } catch (error) {
    report({
      type: "failed",
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  }
});
// The parent died or let go: nothing else will stop DynamoDB Local.
process.on("disconnect", stop);
// Ctrl-C reaches the whole process group; the parent decides when the cloud stops.
process.on("SIGINT", () => {});
