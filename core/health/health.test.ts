import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "../config";
import { Health } from ".";

describe("Health.check", () => {
  const saved = process.env.DISPATCH_QUEUE_URL;
  afterEach(() => {
    process.env.DISPATCH_QUEUE_URL = saved;
    resetConfig();
  });

  it("reports every AWS dependency up against the local cloud", async () => {
    const report = await Health.check();
    const down = report.dependencies.filter((dependency) => !dependency.up);
    expect(down).toEqual([]);
    expect(report.up).toBe(true);
    expect(report.dependencies.map((dependency) => dependency.kind).sort()).toEqual(
      ["bucket", "bucket", "email", "queue", "queue", "scheduler", "sms", "table", "topic", "topic"].sort(),
    );
  });

  it("marks only the broken dependency down and names the error", async () => {
    process.env.DISPATCH_QUEUE_URL = `${saved?.replace(/\/[^/]+$/, "")}/does-not-exist`;
    resetConfig();
    const report = await Health.check();
    const dispatch = report.dependencies.find((dependency) => dependency.name === "dispatch-queue");
    expect(report.up).toBe(false);
    expect(dispatch?.up).toBe(false);
    expect(dispatch?.error).toMatch(/\w+/);
    expect(report.dependencies.filter((dependency) => !dependency.up)).toHaveLength(1);
  });
});
