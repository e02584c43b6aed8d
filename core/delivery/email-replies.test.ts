import { describe, expect, it } from "vitest";
import { toMime } from "../../scripts/local/mail-inbound";
import { parse, plusTag, stripQuoted } from "./email-replies";

describe("email replies", () => {
  it("keeps only the new text of French and English replies", () => {
    expect(
      stripQuoted(
        "Oui je suis dispo\n\nLe mar. 25 nov. 2026 à 10:00, Agence Lyon <no-reply@relais.fr> a écrit :\n> Mission ?",
      ),
    ).toBe("Oui je suis dispo");
    expect(stripQuoted("Non merci\r\n\r\nOn Tue, Nov 25, 2026 at 10:00 AM Agence wrote:\r\n> Mission?")).toBe(
      "Non merci",
    );
    expect(stripQuoted("Ok pour moi\n\nEnvoyé de mon iPhone\n\n> Mission ?")).toBe("Ok pour moi");
    expect(stripQuoted("Je rappelle\n\n-----Message d'origine-----\nDe : Agence\nObjet : Mission")).toBe(
      "Je rappelle",
    );
    expect(stripQuoted("C'est bon\n________________________________\nDe : Agence Lyon\nEnvoyé : mardi")).toBe(
      "C'est bon",
    );
    // Gmail wraps a long attribution line in two
    expect(
      stripQuoted(
        "dispo\n\nLe mar. 25 nov. 2026 à 10:00, Agence de Lyon Part-Dieu <no-reply@relais.fr>\na écrit :\n> x",
      ),
    ).toBe("dispo");
    expect(stripQuoted("Bonjour,\nde mon côté c'est ok.")).toBe("Bonjour,\nde mon côté c'est ok.");
  });

  it("reads the reply address and the Message-ID answered from a real MIME message", async () => {
    const raw = new TextEncoder().encode(
      toMime(
        {
          from: "Léa Martin <Lea.Martin@Example.fr>",
          to: "reply+01JABCDEFGHJKMNPQRSTVWXYZ0.01JZYXWVTSRQPNMKJHGFEDCBA9@relais.fr",
          subject: "Re: Mission demain",
          text: "Oui ça marche 👍\n\nLe lun. 24 nov. 2026, Agence a écrit :\n> Mission demain ?",
          inReplyTo: "<0107019abc-ses-id@eu-west-3.amazonses.com>",
        },
        "reply-1@example.fr",
      ),
    );
    const email = await parse(raw);
    expect(email).toMatchObject({
      from: "lea.martin@example.fr",
      messageId: "reply-1@example.fr",
      answers: ["0107019abc-ses-id@eu-west-3.amazonses.com", "0107019abc-ses-id@eu-west-3.amazonses.com"],
      subject: "Re: Mission demain",
      text: "Oui ça marche 👍",
    });
    expect(plusTag(email.to)).toEqual({
      companyId: "01JABCDEFGHJKMNPQRSTVWXYZ0",
      messageId: "01JZYXWVTSRQPNMKJHGFEDCBA9",
    });
    expect(plusTag(["someone@relais.fr"])).toBeUndefined();
  });
});
