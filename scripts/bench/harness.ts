import { readFileSync } from "node:fs";
import type { InitializeMiddleware, MetadataBearer } from "@smithy/types";

/** Any SDK v3 client (method syntax keeps the check bivariant across services' input types). */
type Instrumentable = {
  middlewareStack: {
    add(
      middleware: InitializeMiddleware<object, MetadataBearer>,
      options: { step: "initialize"; name: string },
    ): void;
  };
};

/** Counts AWS requests per client, by operation, through the SDK's middleware stack. */
export function countCalls(clients: Record<string, Instrumentable>) {
  const counts = new Map<string, number>();
  for (const [service, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = `${service}.${String(context.commandName ?? "call").replace(/Command$/, "")}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return next(args);
      },
      { step: "initialize", name: `bench-count-${service}` },
    );
  }
  return counts;
}

/** Samples resident memory while `work` runs; returns its peak in MiB. */
export async function measure<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - started) / 1000, peakMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export function report(title: string, rows: Array<[string, string | number]>) {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) {
    const shown =
      typeof value === "number" ? value.toLocaleString("fr-FR", { maximumFractionDigits: 2 }) : value;
    console.log(`  ${label.padEnd(width)}  ${shown}`);
  }
}

/**
 * CPU seconds a process has used so far (user + system), from /proc on Linux; undefined elsewhere or once
 * it has exited. Benchmarks read it before and after a phase to see where each item's CPU goes.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / sysconfClockTicks;
  } catch {
    return undefined;
  }
}
/** USER_HZ, 100 on every Linux that Node supports. */
const sysconfClockTicks = 100;

/** CPU milliseconds per item of each process over `work`. */
export async function cpuPerItem<T>(
  pids: Record<string, number | undefined>,
  items: number,
  work: () => Promise<T>,
) {
  const before = Object.entries(pids).map(([name, pid]) => [name, pid, cpuSeconds(pid)] as const);
  const result = await work();
  const perItem: Record<string, number | undefined> = {};
  for (const [name, pid, start] of before) {
    const end = cpuSeconds(pid);
    perItem[name] = start === undefined || end === undefined ? undefined : ((end - start) * 1000) / items;
  }
  return { result, perItem };
}

/** Runs `work` over `items` with `concurrency` in flight, in order of start. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
