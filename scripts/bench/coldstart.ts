import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Environment } from "../../stacks/function";

/**
 * Cold start, offline: each Lambda bundle the synth produced (.sst/artifacts, as `sst deploy` uploads it)
 * is imported in a fresh Node process, several times, beside an empty handler's bundle (the floor: Node's
 * own start-up and ESM loader). Lambda's init phase is mostly this import; what it adds (the runtime
 * client, the sandbox) is the same for every function.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = path.join(root, ".sst", "artifacts");
const FLOOR = "(empty handler)";

/** Goals of issue #12 (bundle bytes, median import ms), by handler folder. */
export function goalOf(handler: string): { bytes?: number; ms: number } | undefined {
  // Event handlers, the job runner (dispatch, imports) and the subscribers.
  if (
    ["functions/events/", "functions/jobs/", "functions/subscribers/"].some((dir) => handler.startsWith(dir))
  )
    return { bytes: 1024 * 1024, ms: 150 };
  if (handler.startsWith("functions/api/")) return { ms: 250 };
  return undefined;
}

/**
 * Settings a module could read at import. core/config.ts is lazy (nothing reads process.env until a
 * call), so these only guard against a future eager read; endpoints point nowhere, so a stray call at
 * import fails fast instead of reaching AWS.
 */
const settings: Environment = {
  STAGE: "bench",
  AWS_REGION: "eu-west-3",
  TABLE_NAME: "bench-table",
  DISPATCH_QUEUE_URL: "http://127.0.0.1:9/queue/dispatch",
  DISPATCH_QUEUE_ARN: "arn:aws:sqs:eu-west-3:123456789012:dispatch",
  IMPORT_QUEUE_URL: "http://127.0.0.1:9/queue/import",
  WEBHOOK_QUEUE_URL: "http://127.0.0.1:9/queue/webhooks",
  ERASURE_QUEUE_URL: "http://127.0.0.1:9/queue/erasure",
  SMS_EVENTS_QUEUE_URL: "http://127.0.0.1:9/queue/sms-events",
  SMS_INBOUND_QUEUE_URL: "http://127.0.0.1:9/queue/sms-inbound",
  EMAIL_EVENTS_QUEUE_URL: "http://127.0.0.1:9/queue/email-events",
  EMAIL_INBOUND_QUEUE_URL: "http://127.0.0.1:9/queue/email-inbound",
  SMS_EVENTS_TOPIC_ARN: "arn:aws:sns:eu-west-3:123456789012:sms-events",
  SMS_INBOUND_TOPIC_ARN: "arn:aws:sns:eu-west-3:123456789012:sms-inbound",
  ATTACHMENTS_BUCKET: "bench-attachments",
  VAULT_BUCKET: "bench-vault",
  SES_CONFIGURATION_SET: "bench",
  MAIL_FROM: "no-reply@example.fr",
  SMS_CONFIGURATION_SET: "bench",
  SCHEDULE_GROUP: "bench",
  SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/bench",
  PUBLIC_URL: "https://bench.example.fr",
};
const dummyEnv = {
  ...settings,
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  // As every deployed function runs (stacks/function.ts); BENCH_NODE_OPTIONS="" measures without.
  NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "--enable-source-maps",
  AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1",
};

export type Bundle = { handler: string; file: string };

/** The newest bundle of each handler under `dir` (SST keeps one folder per function). */
export function findBundles(dir = artifacts): Bundle[] {
  const newest = new Map<string, { file: string; mtime: number }>();
  let folders: string[] = [];
  try {
    folders = readdirSync(dir);
  } catch {
    return [];
  }
  for (const folder of folders) {
    const functions = path.join(dir, folder, "functions");
    let files: string[];
    try {
      files = readdirSync(functions, { recursive: true }) as string[];
    } catch {
      continue;
    }
    // Chunks from code splitting (`chunk-<HASH>.mjs`, `<module>-<HASH>.mjs`) are parts of handlers.
    const entries = files.filter((file) => file.endsWith(".mjs") && !isChunk(file));
    for (const relative of entries) {
      const file = path.join(functions, relative);
      const handler = `functions/${relative.replaceAll(path.sep, "/").replace(/\.mjs$/, "")}`;
      const mtime = statSync(file).mtimeMs;
      if ((newest.get(handler)?.mtime ?? -1) < mtime) newest.set(handler, { file, mtime });
    }
  }
  return [...newest.entries()]
    .map(([handler, { file }]) => ({ handler, file }))
    .sort((a, b) => a.handler.localeCompare(b.handler));
}

/** Newest modification time of what a bundle is built from. */
function newestSource() {
  let newest = statSync(path.join(root, "package-lock.json")).mtimeMs;
  for (const folder of ["core", "functions"]) {
    for (const relative of readdirSync(path.join(root, folder), { recursive: true }) as string[]) {
      if (!relative.endsWith(".ts") || relative.endsWith(".test.ts")) continue;
      newest = Math.max(newest, statSync(path.join(root, folder, relative)).mtimeMs);
    }
  }
  return newest;
}

/** The bundles, rebuilt by the offline synth (the stacks with functions: Messaging, Events, Api) when older than the code. */
async function freshBundles(): Promise<Bundle[]> {
  const found = findBundles();
  const oldest = Math.min(...found.map((bundle) => statSync(bundle.file).mtimeMs));
  if (found.length > 0 && oldest > newestSource() && !process.env.BENCH_RESYNTH) return found;
  console.log("Bundles missing or older than the code: offline synth of the function stacks…");
  const { synthesize } = await import("../synth");
  const outdir = mkdtempSync(path.join(tmpdir(), "relais-coldstart-"));
  try {
    await synthesize({
      outdir,
      only: ["Messaging", "Events", "Api"],
      // Web is synthesised without being built when it is not in `only`; skip Vite in any case.
      env: { RELAIS_WEB_BUILD: "skip" },
      failOnNagErrors: false,
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return findBundles();
}

/** What Lambda's Node runtime does first: import the handler module. Prints the milliseconds it took. */
const probe = `
const started = performance.now();
const module = await import(process.argv[1]);
const ms = performance.now() - started;
if (typeof module.handler !== "function") throw new Error("no handler export");
process.stdout.write(String(ms));
`;

/** Imports `file` in `runs` fresh processes (after one unmeasured run that warms the file cache). */
export function importTimes(file: string, runs: number, node = process.execPath): number[] {
  const times: number[] = [];
  for (let run = -1; run < runs; run++) {
    const out = execFileSync(node, ["--input-type=module", "-e", probe, pathToFileURL(file).href], {
      env: { PATH: process.env.PATH ?? "", ...dummyEnv },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (run >= 0) times.push(Number(out));
  }
  return times;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** An empty handler bundled as SST bundles ours (ESM, with its createRequire banner). */
export function emptyBundle(dir: string) {
  const file = path.join(dir, "empty.mjs");
  writeFileSync(
    file,
    "import { createRequire as topLevelCreateRequire } from 'module';\n" +
      "const require = topLevelCreateRequire(import.meta.url);\n" +
      "export const handler = async () => ({});\n",
  );
  return file;
}

/** esbuild names split chunks `<name>-<8 base-32 characters>.mjs`; handlers never end so. */
const isChunk = (file: string) => /-[A-Z0-9]{8}\.mjs$/.test(file);

/**
 * Bytes Node reads when it imports `file`: the file and the chunks it imports statically, transitively.
 * Chunks reached only through `import()` load on the first call that needs them, not at cold start.
 */
export function loadedBytes(file: string, seen = new Set<string>()): number {
  if (seen.has(file)) return 0;
  seen.add(file);
  const code = readFileSync(file, "utf8");
  let bytes = Buffer.byteLength(code);
  // Static imports of sibling chunks, minified or not: `from"./chunk-X.mjs"` or `import"./x-X.mjs"`
  // (never `import("./x-X.mjs")`, which loads later).
  for (const match of code.matchAll(/(?:from|import)\s*["'](\.\/[\w.-]+\.mjs)["']/g))
    bytes += loadedBytes(path.join(path.dirname(file), match[1]!), seen);
  return bytes;
}

export type Row = { handler: string; kb: number; medianMs: number; minMs: number; verdict: string };

export function measureBundles(bundles: Bundle[], runs: number, floorDir: string): Row[] {
  return [{ handler: FLOOR, file: emptyBundle(floorDir) }, ...bundles].map(({ handler, file }) => {
    const times = importTimes(file, runs);
    const bytes = loadedBytes(file);
    const medianMs = median(times);
    const goal = goalOf(handler);
    const misses = [
      goal?.bytes !== undefined && bytes > goal.bytes ? `> ${goal.bytes / 1024 / 1024} MB` : "",
      goal && medianMs > goal.ms ? `> ${goal.ms} ms` : "",
    ].filter(Boolean);
    const verdict = !goal ? "" : misses.length ? `over (${misses.join(", ")})` : "met";
    return { handler, kb: Math.round(bytes / 1024), medianMs, minMs: Math.min(...times), verdict };
  });
}

export function table(rows: Row[]) {
  const width = Math.max(...rows.map((row) => row.handler.length), "function".length);
  const lines = [
    `  ${"function".padEnd(width)}  ${"loaded KB".padStart(9)}  ${"median ms".padStart(9)}  ${"min ms".padStart(7)}  goal`,
    ...rows.map(
      (row) =>
        `  ${row.handler.padEnd(width)}  ${String(row.kb).padStart(9)}  ${row.medianMs.toFixed(0).padStart(9)}  ${row.minMs.toFixed(0).padStart(7)}  ${row.verdict}`,
    ),
  ];
  return lines.join("\n");
}

export async function coldstartBench(runs = Number(process.env.BENCH_COLDSTART_RUNS ?? 7)) {
  const bundles = await freshBundles();
  if (bundles.length === 0) throw new Error("No function bundle in .sst/artifacts after the synth");
  const floorDir = mkdtempSync(path.join(tmpdir(), "relais-coldstart-floor-"));
  try {
    const version = execFileSync(process.execPath, ["--version"], { encoding: "utf8" }).trim();
    const rows = measureBundles(bundles, runs, floorDir);
    console.log(
      `\ncoldstart — import of each Lambda bundle in a fresh Node ${version} process ` +
        `(NODE_OPTIONS="${dummyEnv.NODE_OPTIONS}"), ${runs} runs each ` +
        "(goals: events and dispatch < 1 MB and < 150 ms, API < 250 ms)",
    );
    console.log(table(rows));
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
  }
}
