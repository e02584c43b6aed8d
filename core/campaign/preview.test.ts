import { describe, expect, it } from "vitest";
import { Draft, renderFor } from "./preview";
import type { Recipient } from "./recipients";

const recipient = (fields: Record<string, string>, firstName = "Léa"): Recipient => ({
  key: "e:lea@example.fr",
  firstName,
  email: "lea@example.fr",
  smsCapable: false,
  optOutSms: false,
  optOutEmail: false,
  fields,
});

const email = (html: string) =>
  Draft.parse({
    kind: "info",
    emailSubject: "Sujet",
    emailHtml: html,
    recipients: { entries: ["lea@example.fr"] },
  });

describe("renderFor, email", () => {
  it("drops a javascript: URL that a variable puts in a link", () => {
    const rendered = renderFor(
      recipient({ lien: "javascript:alert(1)" }),
      email('<p><a href="%lien%">Votre planning</a></p>'),
      "email",
    );
    if (rendered.channel !== "email") throw new Error("expected an email");

    expect(rendered.html).not.toMatch(/javascript:/i);
    expect(rendered.html).toContain("Votre planning");
  });

  it("keeps an https link that a variable fills", () => {
    const rendered = renderFor(
      recipient({ lien: "https://relais.example/planning?s=48&a=1" }),
      email('<p><a href="%lien%">Votre planning</a></p>'),
      "email",
    );
    if (rendered.channel !== "email") throw new Error("expected an email");

    expect(rendered.html).toContain('href="https://relais.example/planning?s=48&amp;a=1"');
  });

  it("shows markup in a value as text, never as a tag", () => {
    const rendered = renderFor(
      recipient({ lieu: '"><script>alert(1)</script>' }, '<img src=x onerror="alert(1)">'),
      email("<p>Bonjour %Prénom, rendez-vous à %lieu%</p>"),
      "email",
    );
    if (rendered.channel !== "email") throw new Error("expected an email");

    expect(rendered.html).not.toMatch(/<script|<img/i);
    expect(rendered.html).toContain("&lt;img src=x");
    expect(rendered.html).toContain("&lt;script&gt;");
  });
});
