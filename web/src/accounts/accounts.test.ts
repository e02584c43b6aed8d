import { describe, expect, it } from "vitest";
import { ApiError, networkErrorCode } from "../api";
import { checkPassword } from "../components/password-policy";
import { formatPhone, normalisePhone } from "../format-phone";
import { translate } from "../i18n/messages";
import { safeNext } from "../router";
import { errorText } from "./errors";

const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) =>
  translate("fr", key, vars);

describe("error messages", () => {
  it("tell a rate-limited person how many minutes to wait", () => {
    const error = new ApiError(429, "auth.rate_limited", "Too many", { retryAfterSeconds: 840 });
    expect(errorText(t, error)).toBe("Trop de tentatives. Réessayez dans 14 minutes.");
  });

  it("say “1 minute” in the singular", () => {
    const error = new ApiError(429, "auth.rate_limited", "Too many", { retryAfterSeconds: 20 });
    expect(errorText(t, error)).toBe("Trop de tentatives. Réessayez dans 1 minute.");
  });

  it("translate the codes the console knows", () => {
    expect(errorText(t, new ApiError(409, "user.last_admin", "Last admin"))).toBe(
      "Impossible : c'est le dernier administrateur actif de l'entreprise.",
    );
  });

  it("fall back to a generic sentence with the request id for server errors", () => {
    const error = new ApiError(500, "internal", "Unexpected error", { requestId: "req-42" });
    expect(errorText(t, error)).toBe(
      "Une erreur inattendue s'est produite. Réessayez dans un instant. Code de suivi : req-42",
    );
  });

  it("recognise a network failure", () => {
    expect(errorText(t, new ApiError(0, networkErrorCode, "Network error"))).toContain(
      "Le serveur ne répond pas",
    );
  });
});

describe("password policy, as the server applies it", () => {
  it("wants 12 characters and 3 kinds of characters", () => {
    expect(checkPassword("Soleil-de-Lyon-2026").ok).toBe(true);
    expect(checkPassword("Court-1").ok).toBe(false);
    expect(checkPassword("toutenminuscules").ok).toBe(false);
  });

  it("counts an accented letter as a symbol, like the server", () => {
    const check = checkPassword("éléphantrose2026");
    expect(check.symbol).toBe(true);
    expect(check.ok).toBe(true);
  });

  it("refuses a password built on the email's name", () => {
    expect(checkPassword("Camille.martin-2026", "camille.martin@demo.fr").ok).toBe(false);
  });
});

describe("addresses and numbers", () => {
  it("follows ?next= only within the site", () => {
    expect(safeNext("/admin/users")).toBe("/admin/users");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });

  it("writes French mobiles the French way and keeps others international", () => {
    expect(formatPhone("+33612345678")).toBe("06 12 34 56 78");
    expect(formatPhone("+447700900123")).toBe("+447700900123");
  });

  it("turns a typed French mobile into E.164", () => {
    expect(normalisePhone("06 12 34 56 78")).toBe("+33612345678");
    expect(normalisePhone("0033 6 12 34 56 78")).toBe("+33612345678");
    expect(normalisePhone("+44 7700 900123")).toBe("+447700900123");
  });
});
