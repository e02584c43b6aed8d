import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import * as Attempts from "./attempts";

describe("login attempts", () => {
  it("lets a right password in whose check ends in the next 15-minute window", async () => {
    const key = `account:TEST:${ulid()}`;
    const start = new Date("2026-12-06T19:59:59.500Z");
    const reservation = await Attempts.reserve([[key, Attempts.limits.account]], start);
    // scrypt took a second: the check ends at 20:00:00.5, in the next window.
    await expect(
      Attempts.succeeded(
        [key, Attempts.limits.account],
        [],
        reservation,
        new Date("2026-12-06T20:00:00.500Z"),
      ),
    ).resolves.toBeUndefined();
  });

  it("refuses a right password once the window's count passed the limit", async () => {
    const key = `account:TEST:${ulid()}`;
    const now = new Date("2026-12-06T10:00:00Z");
    for (let attempt = 0; attempt < Attempts.limits.account; attempt++)
      await Attempts.reserve([[key, Attempts.limits.account]], now);
    await expect(Attempts.reserve([[key, Attempts.limits.account]], now)).rejects.toMatchObject({
      status: 429,
    });
  });
});
