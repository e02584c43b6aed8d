import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import * as Session from "./session";

const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000);

describe("Session", () => {
  it("stays open while used and extends its idle deadline", async () => {
    const start = new Date();
    const opened = await Session.open(ulid(), ulid(), start);
    const resumed = await Session.resume(opened.token, minutes(20, start));
    expect(resumed.idleExpiresAt).toBe(minutes(50, start).toISOString());
    await expect(Session.resume(opened.token, minutes(45, start))).resolves.toBeDefined();
  });

  it("ends after 30 minutes without activity", async () => {
    const start = new Date();
    const opened = await Session.open(ulid(), ulid(), start);
    await expect(Session.resume(opened.token, minutes(31, start))).rejects.toMatchObject({
      code: "auth.session_expired",
      status: 401,
    });
    // Expired sessions are deleted, not just refused.
    await expect(Session.resume(opened.token, start)).rejects.toMatchObject({ code: "auth.required" });
  });

  it("ends at its absolute lifetime even when used all along", async () => {
    const start = new Date();
    const opened = await Session.open(ulid(), ulid(), start);
    let now = start;
    for (let step = 0; step < 24; step++) {
      now = minutes(29, now);
      await Session.resume(opened.token, now);
    }
    await expect(Session.resume(opened.token, minutes(29, now))).rejects.toMatchObject({ status: 401 });
  });

  it("closes every session of a user but the one kept", async () => {
    const companyId = ulid();
    const userId = ulid();
    const kept = await Session.open(companyId, userId);
    const other = await Session.open(companyId, userId);
    await Session.closeAll(companyId, userId, kept.token);
    await expect(Session.resume(kept.token)).resolves.toBeDefined();
    await expect(Session.resume(other.token)).rejects.toMatchObject({ status: 401 });
  });
});
