import { describe, expect, it } from "vitest";
import { toFieldName } from "../lists/client";
import { matchPath } from "../router";
import { searchQuery } from "./contact-text";

describe("the contacts search box", () => {
  it("sends a number typed with spaces or dots without them", () => {
    expect(searchQuery("06 12 34")).toBe("061234");
    expect(searchQuery(" 06.12.34.56.78 ")).toBe("0612345678");
  });

  it("sends an international number without its + or 00", () => {
    expect(searchQuery("+33 6 12 34")).toBe("3361234");
    expect(searchQuery("0033 6 12")).toBe("33612");
  });

  it("leaves names and emails as typed", () => {
    expect(searchQuery("Jérôme Lefèvre")).toBe("Jérôme Lefèvre");
    expect(searchQuery("lea.petit@example.fr")).toBe("lea.petit@example.fr");
  });
});

describe("column headers as list variables", () => {
  it("fold accents and spaces into a name templates can use", () => {
    expect(toFieldName("Date RDV")).toBe("date_rdv");
    expect(toFieldName(" Lieu de travail ")).toBe("lieu_de_travail");
    expect(toFieldName("Immatriculation n°")).toBe("immatriculation_n");
  });
});

describe("route patterns", () => {
  it("read a list id from its address", () => {
    expect(matchPath("/lists/:listId", "/lists/01J9ABC")).toEqual({ listId: "01J9ABC" });
  });

  it("refuse other addresses", () => {
    expect(matchPath("/lists/:listId", "/lists")).toBeNull();
    expect(matchPath("/lists/:listId", "/lists/a/b")).toBeNull();
    expect(matchPath("/lists/:listId", "/contacts/a")).toBeNull();
  });
});
