import { describe, expect, it } from "vitest";
import { withContext } from "./firing-engine";

describe("context attributes", () => {
  it("fills the attributes AWS replaces in a target's Input, with the occurrence's scheduled time", () => {
    const input = JSON.stringify({
      kind: "reminders.tick",
      at: "<aws.scheduler.scheduled-time>",
      arn: "<aws.scheduler.schedule-arn>",
      id: "<aws.scheduler.execution-id>",
      attempt: "<aws.scheduler.attempt-number>",
    });
    const filled = JSON.parse(
      withContext(input, {
        id: "inv-1",
        scheduleArn: "arn:aws:scheduler:eu-west-3:000000000000:schedule/default/tick",
        scheduledAt: Date.parse("2027-03-01T09:00:00.000Z"),
        attempts: 1,
      }),
    );
    expect(filled).toEqual({
      kind: "reminders.tick",
      at: "2027-03-01T09:00:00Z",
      arn: "arn:aws:scheduler:eu-west-3:000000000000:schedule/default/tick",
      id: "inv-1",
      attempt: "1",
    });
  });
});
