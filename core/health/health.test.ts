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
      [
        "bucket",
        "bucket",
        "email",
        "queue",
        "queue",
        "queue",
        "scheduler",
        "sms",
        "table",
        "topic",
        "topic",
      ].sort(),
    );
  });

  it("marks only the broken dependency down and names the error without quoting it", async () => {
    process.env.DISPATCH_QUEUE_URL = `${saved?.replace(/\/[^/]+$/, "")}/does-not-exist`;
    resetConfig();
    Health.forgetCached();
    const report = await Health.check();
    const dispatch = report.dependencies.find((dependency) => dependency.name === "dispatch-queue");
    expect(report).toMatchObject({ up: false, status: "down" });
    expect(dispatch?.up).toBe(false);
    expect(dispatch?.error).toMatch(/^[\w.-]+$/);
    expect(dispatch?.error).not.toMatch(/does-not-exist|\d{12}|arn:/);
    expect(report.dependencies.filter((dependency) => !dependency.up)).toHaveLength(1);
    Health.forgetCached();
  });

  it("reduces an AWS error to its code, dropping ARNs and account ids", () => {
    const denied = Object.assign(
      new Error("User: arn:aws:sts::123456789012:assumed-role/relais-api/fn is not authorized"),
      { name: "AccessDeniedException" },
    );
    expect(Health.errorName(denied)).toBe("AccessDeniedException");
    expect(Health.errorName(Object.assign(new Error("x"), { Code: "AccessDenied" }))).toBe("AccessDenied");
    expect(Health.errorName("arn:aws:iam::123456789012:role/x")).toBe("Error");
  });

  it("serves a burst from one round of checks", async () => {
    Health.forgetCached();
    const before = Health.rounds.count;

    const reports = await Promise.all(Array.from({ length: 10 }, () => Health.check()));

    expect(Health.rounds.count - before).toBe(1);
    expect(new Set(reports).size).toBe(1);
  });
});
