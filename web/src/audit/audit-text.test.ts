import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { type AuditType, auditTypes } from "../accounts/types";
import { detailFields, groupedTypes, targetText } from "./audit-text";
import auditEn from "./messages.en.json";
import auditFr from "./messages.fr.json";

/** A type of core/audit/audit.types.ts without a label fails to compile here, and the test says which. */
const labelled: Record<`audit.type.${AuditType}`, string> = auditFr;

const agencyId = ulid();
const names = { agencies: new Map([[agencyId, "Agence Lyon Part-Dieu"]]) };
const fr = { locale: "fr" as const, names };
const ulidLike = /\b[0-9A-HJKMNP-TV-Z]{26}\b/i;

describe("audit log in words", () => {
  it("has a French and an English label for every type the API records", () => {
    const missing = auditTypes.filter((type) => {
      const key = `audit.type.${type}`;
      const french = (auditFr as Record<string, string>)[key]?.trim();
      const english = (auditEn as Record<string, string>)[key]?.trim();
      return !french || !english || french === type || english === type;
    });
    expect(missing).toEqual([]);
    expect(Object.keys(labelled).length).toBeGreaterThanOrEqual(auditTypes.length);
  });

  it("offers every type once in the filter, in labelled groups sorted by label", () => {
    for (const locale of ["fr", "en"] as const) {
      const groups = groupedTypes(locale);
      expect(groups.flatMap((group) => group.types.map((option) => option.type)).sort()).toEqual(
        [...auditTypes].sort(),
      );
      expect(groups.every((group) => group.label !== group.group)).toBe(true);
      const labels = groups.map((group) => group.label);
      expect(labels).toEqual([...labels].sort(new Intl.Collator(locale).compare));
    }
  });

  it("names agencies instead of their ids and leaves out ids nobody can read", () => {
    const fields = detailFields(
      { agencyId, fields: ["date_rdv"], linkId: ulid(), duplicatedFrom: ulid(), listOwner: ulid() },
      fr,
    );
    expect(fields).toEqual([
      { key: "agencyId", label: "Agence", value: "Agence Lyon Part-Dieu" },
      { key: "fields", label: "Champs", value: "date_rdv" },
    ]);
  });

  it("shows what changed, in words, with dates in Paris time", () => {
    const fields = detailFields(
      {
        before: { role: "user", agencyIds: [agencyId], firstName: "Noé" },
        after: { role: "manager", agencyIds: [agencyId], firstName: "Noé" },
      },
      fr,
    );
    expect(fields).toEqual([{ key: "role", label: "Rôle", value: "Utilisateur → Manager" }]);
    const [sendAt] = detailFields({ sendAt: "2026-12-06T16:05:00.000Z" }, fr);
    expect(sendAt?.value).toBe("6 déc. 2026, 17:05");
    const [english] = detailFields({ sendAt: "2026-12-06T16:05:00.000Z" }, { locale: "en", names });
    expect(english).toMatchObject({ label: "New send time", value: "6 Dec 2026, 17:05" });
  });

  it("reads company changes and failed sign-ins as sentences rather than codes", () => {
    const text = [
      ...detailFields(
        { changes: { quietHours: { start: "20:00", sundays: true }, urgentRoles: ["admin"] } },
        fr,
      ),
      ...detailFields({ reason: "rate_limited" }, fr),
    ]
      .map((field) => `${field.label} : ${field.value}`)
      .join("\n");
    expect(text).toContain("Plages de silence");
    expect(text).toContain("Dimanches : oui");
    expect(text).toContain("Administrateur");
    expect(text).toContain("trop de tentatives");
    expect(text).not.toMatch(/rate_limited|urgentRoles|quietHours/);
  });

  it("takes ids out of a target's name", () => {
    const text = targetText("fr", { type: "dead_letter", id: "x", label: `send ${ulid()}` });
    expect(text).toBe("Échec technique · send");
    expect(text).not.toMatch(ulidLike);
  });
});
