import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "cdk.out/**", ".local/**", ".sst/**", "web/dist/**"],
    globalSetup: ["scripts/local/test-setup.ts"],
    setupFiles: ["scripts/local/test-dns.ts"],
    pool: "forks",
    reporters: ["default", "./scripts/test-summary.ts"],
    testTimeout: 30_000,
    // A poll waits for what the app does in the background (a page rendering, a queue draining): on a
    // busy 2-core machine that can take longer than vitest's 1 s default.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 180_000,
  },
});
