import { describe, expect, it } from "vitest";
import { eventsFor } from "./ses-events";

const sent = (to: string) => ({
  messageId: "ses-1",
  from: "no-reply@relais.localhost",
  destination: { to: [to] },
});

describe("local SES events", () => {
  it("delivers an ordinary address", () => {
    expect(eventsFor(sent("camille@example.fr")).map((event) => event.eventType)).toEqual(["Delivery"]);
  });

  it("plays SES's mailbox simulator: bounce, complaint, suppression list", () => {
    const [bounce] = eventsFor(sent("bounce@simulator.amazonses.com"));
    expect(bounce).toMatchObject({ eventType: "Bounce", bounce: { bounceType: "Permanent" } });
    expect(eventsFor(sent("complaint@simulator.amazonses.com")).map((event) => event.eventType)).toEqual([
      "Delivery",
      "Complaint",
    ]);
    const [suppressed] = eventsFor(sent("suppressionlist@simulator.amazonses.com"));
    expect(suppressed).toMatchObject({ bounce: { bounceSubType: "OnAccountSuppressionList" } });
  });

  it("names the SES message, so the consumer finds the message by its provider id", () => {
    const [event] = eventsFor(sent("camille@example.fr"));
    expect(event?.mail).toMatchObject({ messageId: "ses-1", destination: ["camille@example.fr"] });
  });
});
