import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { newCompany, type TestCompany, throttleDynamo } from "../test-helpers";
import { epochSeconds, hashToken, newToken } from "../token";
import * as Auth from "./auth";
import { ResetTokenEntity } from "./session.entity";

let company: TestCompany;
beforeAll(async () => {
  company = await newCompany();
});

/** A reset link for the company's Admin, as forgotPassword stores it (the token itself is emailed). */
async function resetLink() {
  const token = newToken();
  const validUntil = new Date(Date.now() + 3_600_000);
  await ResetTokenEntity.create({
    tokenHash: hashToken(token),
    companyId: company.companyId,
    userId: company.admin.userId,
    validUntil: validUntil.toISOString(),
    expiresAt: epochSeconds(validUntil) + 86_400,
  }).go();
  return token;
}

const marksUsed = (command: { constructor: { name: string }; input: unknown }) =>
  command.constructor.name === "UpdateCommand" &&
  Object.values(
    (command.input as { ExpressionAttributeNames?: object }).ExpressionAttributeNames ?? {},
  ).includes("usedAt");

describe("Auth.resetPassword", () => {
  it("lets a throttled write through as an error, and the link still works afterwards", async () => {
    const token = await resetLink();
    const throttled = throttleDynamo(marksUsed);

    const error = await Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-7" }).catch(
      (thrown: unknown) => thrown,
    );
    // ElectroDB wraps the SDK error; what matters is that it is the throttle, not a business error.
    expect(error).toMatchObject({ cause: expect.any(ProvisionedThroughputExceededException) });

    throttled.mockRestore();
    await expect(Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-7" })).resolves.toBeUndefined();
  });

  it("refuses a link used already with a 410", async () => {
    const token = await resetLink();
    await Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-8" });

    await expect(Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-9" })).rejects.toMatchObject({
      code: "token.expired",
      status: 410,
    });
  });
});
