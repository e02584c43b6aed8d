import { describe, expect, it } from "vitest";
import { Password } from ".";

describe("Password", () => {
  it("verifies the password it hashed and nothing else", async () => {
    const stored = await Password.hash("correct horse battery");
    expect(await Password.verify("correct horse battery", stored)).toBe(true);
    expect(await Password.verify("correct horse batterY", stored)).toBe(false);
  });

  it("salts each hash so equal passwords do not look equal", async () => {
    const [first, second] = await Promise.all([
      Password.hash("même mot de passe"),
      Password.hash("même mot de passe"),
    ]);
    expect(first).not.toBe(second);
  });

  it("rejects a stored value it does not recognise", async () => {
    expect(await Password.verify("x", "md5$abc")).toBe(false);
  });
});
