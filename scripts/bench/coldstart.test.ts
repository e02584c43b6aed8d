import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  emptyBundle,
  findBundles,
  goalOf,
  importTimes,
  loadedBytes,
  measureBundles,
  median,
  table,
} from "./coldstart";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "relais-coldstart-test-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A bundle as SST writes it: <artifacts>/<function folder>/functions/<handler>.mjs */
function writeBundle(artifacts: string, folder: string, handler: string, body: string, mtime: number) {
  const file = path.join(artifacts, folder, `${handler}.mjs`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  utimesSync(file, mtime, mtime);
  return file;
}

describe("coldstart bench", () => {
  it("finds the newest bundle of each handler among SST's artifact folders", () => {
    const artifacts = tempDir();
    writeBundle(artifacts, "c8old", "functions/api/lambda", "export const handler = 1;", 1_000);
    const newer = writeBundle(artifacts, "c8new", "functions/api/lambda", "export const handler = 2;", 2_000);
    const send = writeBundle(
      artifacts,
      "c8send",
      "functions/dispatch/send",
      "export const handler = 3;",
      1_000,
    );
    mkdirSync(path.join(artifacts, "StaticSite-Console"));

    expect(findBundles(artifacts)).toEqual([
      { handler: "functions/api/lambda", file: newer },
      { handler: "functions/dispatch/send", file: send },
    ]);
  });

  it("imports a bundle in fresh processes and reads its handler", () => {
    const times = importTimes(emptyBundle(tempDir()), 2);
    expect(times).toHaveLength(2);
    for (const ms of times) expect(ms).toBeGreaterThan(0);
  });

  it("fails on a bundle that exports no handler", () => {
    const artifacts = tempDir();
    const file = writeBundle(artifacts, "c8x", "functions/events/broken", "export const other = 1;", 1_000);
    expect(() => importTimes(file, 1)).toThrow();
  });

  it("judges events and dispatch on size and time, the API on time, and the rest not at all", () => {
    expect(goalOf("functions/events/sms-events")).toEqual({ bytes: 1024 * 1024, ms: 150 });
    expect(goalOf("functions/jobs/run")).toEqual({ bytes: 1024 * 1024, ms: 150 });
    expect(goalOf("functions/subscribers/consume")).toEqual({ bytes: 1024 * 1024, ms: 150 });
    expect(goalOf("functions/api/lambda")).toEqual({ ms: 250 });
    expect(goalOf("functions/imports/run")).toBeUndefined();
  });

  it("prints the empty handler first, then each bundle with its size and median", () => {
    const artifacts = tempDir();
    const big = "x".repeat(1100 * 1024);
    writeBundle(artifacts, "c8e", "functions/events/big", `export const handler = () => "${big}";`, 1_000);
    const rows = measureBundles(findBundles(artifacts), 1, tempDir());
    expect(rows.map((row) => row.handler)).toEqual(["(empty handler)", "functions/events/big"]);
    expect(rows[1]?.kb).toBeGreaterThan(1024);
    expect(rows[1]?.verdict).toMatch(/^over \(> 1 MB/);
    expect(table(rows)).toContain("functions/events/big");
  });

  it("counts the chunks a handler imports statically, not those it loads with import()", () => {
    const artifacts = tempDir();
    const entry = writeBundle(
      artifacts,
      "c8split",
      "functions/jobs/run",
      'import{a}from"./chunk-AAAAAAAA.mjs";export const handler=()=>import("./send-BBBBBBBB.mjs");',
      1_000,
    );
    const dir = path.dirname(entry);
    writeFileSync(
      path.join(dir, "chunk-AAAAAAAA.mjs"),
      `import"./chunk-CCCCCCCC.mjs";export const a="${"a".repeat(1000)}";`,
    );
    writeFileSync(path.join(dir, "send-BBBBBBBB.mjs"), `export const b="${"b".repeat(5000)}";`);
    writeFileSync(path.join(dir, "chunk-CCCCCCCC.mjs"), `export const c="${"c".repeat(2000)}";`);
    expect(findBundles(artifacts).map((bundle) => bundle.handler)).toEqual(["functions/jobs/run"]);
    const bytes = loadedBytes(entry);
    expect(bytes).toBeGreaterThan(3000);
    expect(bytes).toBeLessThan(5000);
  });

  it("takes the middle value as median", () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 20, 30])).toBe(25);
  });
});
