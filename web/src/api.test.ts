import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The one module that may speak HTTP to the API; everything else calls its typed `hc` client. */
const clientModule = "api.ts";
const root = fileURLToPath(new URL(".", import.meta.url));

const sources = (readdirSync(root, { recursive: true }) as string[])
  .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
  .map((file) => file.split("\\").join("/"));

/** The code without its comments (a comment may name a route; only code calls one). */
const code = (file: string) =>
  readFileSync(join(root, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1");

/** What breaks the rule in a file: a hand-written API path, a raw `fetch` or `apiFetch` call. */
function untypedCalls(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/["'`]\/api(?=[/"'`?$])[^"'`]*/g)) found.push(match[0]);
  for (const match of source.matchAll(/\bapiFetch\b/g)) found.push(match[0]);
  // the only raw fetch allowed is to the local cloud's own pages, outside the API
  for (const match of source.matchAll(/\bfetch\(\s*([^,)]*)/g)) {
    if (!/^["'`]\/local\//.test(match[1] ?? "")) found.push(match[0]);
  }
  return found;
}

describe("the console's API calls", () => {
  it("go through the typed client only: no /api path, fetch or apiFetch outside api.ts", () => {
    const offenders = sources
      .filter((file) => file !== clientModule)
      .flatMap((file) => untypedCalls(code(file)).map((call) => `${relative(".", file)}: ${call}`));
    expect(offenders).toEqual([]);
  });

  it("would catch a hand-written call", () => {
    expect(untypedCalls('await fetch("/api/lists")')).toEqual(['"/api/lists', 'fetch("/api/lists"']);
    expect(untypedCalls("apiFetch(`/api/users/` + id)")).toEqual(["`/api/users/", "apiFetch"]);
    expect(untypedCalls("await fetch(url)")).toEqual(["fetch(url"]);
    expect(untypedCalls('await fetch("/local/inbound-email", {})')).toEqual([]);
    expect(untypedCalls("unwrap(api.api.lists.$get())")).toEqual([]);
  });

  it("come from the client module itself", () => {
    expect(sources).toContain(clientModule);
  });
});
